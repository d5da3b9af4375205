package io.github.mskproducer.benchmarks.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The CPU time a producer's own threads spend: Kafka's I/O thread of one client id and the
 * thread that measures (which sends, or waits and flushes). Steadier than records per second
 * on a machine whose cores the broker shares: a run that waits for the broker costs time but no
 * CPU.
 */
final class ClientCpu {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private final long io;
  private final long io0;
  private final long self0;

  private ClientCpu(long io) {
    this.io = io;
    this.io0 = CPU.getThreadCpuTime(io);
    this.self0 = CPU.getCurrentThreadCpuTime();
  }

  /**
   * Starts counting, on the thread that will call {@link #elapsed()}.
   *
   * @param clientId the producer's client id (its I/O thread is named after it)
   * @return the counter
   */
  static ClientCpu start(String clientId) {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("kafka-producer-network-thread | " + clientId)) {
        return new ClientCpu(t.getId());
      }
    }
    throw new IllegalStateException("no I/O thread for client id " + clientId);
  }

  /**
   * The CPU time of this thread so far, for threads that count their own.
   *
   * @return nanoseconds
   */
  static long currentThread() {
    return CPU.getCurrentThreadCpuTime();
  }

  /**
   * CPU time since {@link #start}: the I/O thread's and the calling thread's.
   *
   * @return nanoseconds
   */
  long elapsed() {
    return ioElapsed() + selfElapsed();
  }

  /**
   * CPU time of Kafka's I/O thread since {@link #start}.
   *
   * @return nanoseconds
   */
  long ioElapsed() {
    return CPU.getThreadCpuTime(io) - io0;
  }

  /**
   * CPU time of the calling thread since {@link #start}.
   *
   * @return nanoseconds
   */
  long selfElapsed() {
    return CPU.getCurrentThreadCpuTime() - self0;
  }
}
