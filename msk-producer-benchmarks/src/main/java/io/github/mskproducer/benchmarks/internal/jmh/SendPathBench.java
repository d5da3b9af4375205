package io.github.mskproducer.benchmarks.internal.jmh;

import io.github.mskproducer.benchmarks.internal.Producers;
import io.github.mskproducer.benchmarks.internal.Target;
import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskProducer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Benchmark 2: the cost of {@code send} into the producer's buffer, no network: both producers
 * connect and learn the topic's metadata, then the broker's process is frozen (SIGSTOP) so that
 * nothing leaves the buffer while JMH measures a batch of sends (single-shot iterations of
 * {@code batchSize} calls: small enough that the retained batches do not turn the measurement
 * into a GC benchmark); after each iteration the broker is thawed and everything is flushed and
 * acknowledged, outside the measurement.
 *
 * <p>Besides JMH's GC profiler, which counts what every thread of the fork allocated while a
 * batch ran (Kafka's I/O thread polling the frozen broker included), each state counts what the
 * sending thread alone allocated during each measured batch and appends it to the file named by
 * {@value #ALLOCATION_FILE_PROPERTY}: the bytes a {@code send} itself costs.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SendPathBench {
  /** The topic. */
  public static final String TOPIC = "bench-send-path";
  private static final String BUFFER = Long.toString(256L * 1024 * 1024);
  /** The file each measured batch appends its sending thread's allocation to. */
  public static final String ALLOCATION_FILE_PROPERTY = "bench.sendPath.allocationFile";

  /** What the sending thread allocated during one batch, counted between the batch's helpers. */
  static final class SendingThread {
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private long before;

    /** At the batch's start, on the sending thread (JMH runs iteration helpers there). */
    void start() {
      before = THREADS.getCurrentThreadAllocatedBytes();
    }

    /**
     * At the batch's end, before anything else allocates on this thread: appends {@code side
     * size bytes calls} for a measured batch.
     */
    void end(String side, BenchmarkParams benchmark, IterationParams iteration) {
      long bytes = THREADS.getCurrentThreadAllocatedBytes() - before;
      String file = System.getProperty(ALLOCATION_FILE_PROPERTY);
      if (file == null || iteration.getType() != IterationType.MEASUREMENT) {
        return;
      }
      String line =
          side + " " + benchmark.getParam("size") + " " + bytes + " " + iteration.getBatchSize() + "\n";
      try {
        Files.writeString(
            Path.of(file), line, StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new IllegalStateException("cannot append to " + file + ": " + e, e);
      }
    }
  }

  /** The record size, shared by both sides. */
  @State(Scope.Benchmark)
  public static class Values {
    /** Bytes per value. */
    @Param({"100", "1024"})
    public int size;

    byte[][] values;
    int next;

    /** Makes the values. */
    @Setup(Level.Trial)
    public void setUp() {
      values = Producers.payloads(size, 4096);
    }

    byte[] next() {
      return values[next++ & 4095];
    }
  }

  /** The hand-wired KafkaProducer. */
  @State(Scope.Benchmark)
  public static class HandWiredState {
    KafkaProducer<byte[], byte[]> producer;
    Target target;
    final SendingThread sending = new SendingThread();

    /**
     * Connects, then freezes the broker.
     *
     * @throws Exception if the broker cannot be reached
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
      target = Target.fromFile();
      target.installSystemProperties();
      producer =
          Producers.handWired(
              target,
              Map.of(
                  "client.id", "jmh-hand",
                  "buffer.memory", BUFFER,
                  "request.timeout.ms", "300000",
                  "delivery.timeout.ms", "600000",
                  "max.block.ms", "60000"));
      producer.send(new ProducerRecord<>(TOPIC, new byte[1])).get(60, TimeUnit.SECONDS);
      target.signalBroker("STOP");
    }

    /** Starts counting the sending thread's allocation. */
    @Setup(Level.Iteration)
    public void startBatch() {
      sending.start();
    }

    /**
     * Thaws the broker, sends everything, freezes it again.
     *
     * @param benchmark this benchmark's parameters
     * @param iteration this batch's
     * @throws Exception if a record was not acknowledged
     */
    @TearDown(Level.Iteration)
    public void drain(BenchmarkParams benchmark, IterationParams iteration) throws Exception {
      sending.end("handWired", benchmark, iteration);
      target.signalBroker("CONT");
      Future<RecordMetadata> last = producer.send(new ProducerRecord<>(TOPIC, new byte[1]));
      producer.flush();
      last.get(); // throws if the producer failed
      target.signalBroker("STOP");
    }

    /** Thaws the broker and closes. */
    @TearDown(Level.Trial)
    public void tearDown() {
      target.signalBroker("CONT");
      producer.close(Duration.ofSeconds(30));
    }
  }

  /** msk-producer. */
  @State(Scope.Benchmark)
  public static class SdkState {
    MskProducer<byte[], byte[]> producer;
    Target target;
    final SendingThread sending = new SendingThread();

    /**
     * Connects, then freezes the broker.
     *
     * @throws Exception if the broker cannot be reached
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
      target = Target.fromFile();
      target.installSystemProperties();
      producer =
          Producers.sdk(
              target,
              b ->
                  b.clientId("jmh-sdk")
                      .property("buffer.memory", BUFFER)
                      .timeouts(
                          t ->
                              t.request(Duration.ofMinutes(5))
                                  .delivery(Duration.ofMinutes(10))
                                  .maxBlock(Duration.ofMinutes(1))));
      producer.send(TOPIC, new byte[1]).get(60, TimeUnit.SECONDS);
      target.signalBroker("STOP");
    }

    /** Starts counting the sending thread's allocation. */
    @Setup(Level.Iteration)
    public void startBatch() {
      sending.start();
    }

    /**
     * Thaws the broker, sends everything, freezes it again.
     *
     * @param benchmark this benchmark's parameters
     * @param iteration this batch's
     */
    @TearDown(Level.Iteration)
    public void drain(BenchmarkParams benchmark, IterationParams iteration) {
      sending.end("mskProducer", benchmark, iteration);
      target.signalBroker("CONT");
      FlushResult<byte[], byte[]> f = producer.flush(Duration.ofMinutes(5));
      if (!f.isComplete()) {
        throw new IllegalStateException("not every record was acknowledged: " + f);
      }
      target.signalBroker("STOP");
    }

    /** Thaws the broker and closes. */
    @TearDown(Level.Trial)
    public void tearDown() {
      target.signalBroker("CONT");
      producer.close(Duration.ofSeconds(30));
    }
  }

  /**
   * {@code KafkaProducer.send}.
   *
   * @param p the producer
   * @param v the values
   * @return the future
   */
  @Benchmark
  public Future<RecordMetadata> handWired(HandWiredState p, Values v) {
    return p.producer.send(new ProducerRecord<>(TOPIC, v.next()));
  }

  /**
   * {@code MskProducer.send}.
   *
   * @param p the producer
   * @param v the values
   * @return the future
   */
  @Benchmark
  public CompletableFuture<RecordMetadata> mskProducer(SdkState p, Values v) {
    return p.producer.send(TOPIC, v.next());
  }
}
