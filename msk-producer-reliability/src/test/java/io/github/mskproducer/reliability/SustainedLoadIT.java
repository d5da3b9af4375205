package io.github.mskproducer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 9: four threads share one producer at a fixed total rate for 30 s (5 minutes in soak
 * mode): throughput, acknowledgement latency and this JVM's heap after a full GC every 5 s (the
 * broker runs in its own JVM, so the heap is the client's). Heap must not grow with the records
 * sent: a leak of a few hundred bytes per record would show as tens of MB here.
 */
@Order(9)
class SustainedLoadIT {
  private static final String TOPIC = "s9-load";
  private static final String NAME = "Sustained load";

  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(b -> b.mode(LocalMskBroker.Mode.CHILD_PROCESS).topic(TOPIC, 6));

  @Test
  void fourThreadsAtAFixedRate_allAcknowledged_heapStable() throws Exception {
    LocalMskBroker msk = MSK.broker();
    Ledger ledger = new Ledger("s9", 512);
    int rate = 4_000;
    Duration run = Soak.duration(Duration.ofSeconds(30), Duration.ofMinutes(5));
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    List<Double> heapMb = new ArrayList<>();
    long t0 = System.nanoTime();
    FlushResult<String, String> result;
    try (MskProducer<String, String> producer = Brokers.producer(msk).build()) {
      try (Load load = Load.start(ledger, producer, TOPIC, rate, 4)) {
        for (long s = 5; s <= run.toSeconds(); s += 5) {
          Thread.sleep(Math.max(0, t0 / 1_000_000 + s * 1000 - System.nanoTime() / 1_000_000));
          System.gc();
          heapMb.add(memory.getHeapMemoryUsage().getUsed() / 1048576.0);
        }
      }
      result = producer.flush(Duration.ofMinutes(1));
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    Outcome o = Outcome.of(ledger, Arrivals.read(msk, TOPIC, ledger.run(), Duration.ofMinutes(2)));
    double throughput = o.acknowledged() / (run.toMillis() / 1000.0);
    // the first sample is taken during warm-up; stability is judged from the second on
    double first = heapMb.get(Math.min(1, heapMb.size() - 1));
    double last = heapMb.get(heapMb.size() - 1);
    double max = heapMb.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    StringBuilder series = new StringBuilder();
    heapMb.forEach(h -> series.append(series.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", h)));
    Figures.write(
        "9",
        NAME,
        o,
        took,
        String.format(
            Locale.ROOT,
            "4 threads, one producer, %,d records/s asked, %,.0f acknowledged/s; 512 B values; ack p50 %s, p99 %s, max %s; heap after GC every 5 s (MB): %s",
            rate, throughput, Figures.ms(ledger.latencyMillis(50)), Figures.ms(ledger.latencyMillis(99)), Figures.ms(ledger.latencyMillis(100)), series),
        ledger);

    assertThat(result.isComplete()).as("flush %s", result).isTrue();
    o.assertEveryRecordAcknowledgedOnce(ledger);
    assertThat(o.acknowledged()).isGreaterThan(rate * run.toSeconds() * 9 / 10);
    // not a speed target: a leak check. 4,000 records/s x 512 B would leak ~60 MB in 30 s.
    assertThat(last - first).as("heap growth after warm-up, MB: %s", heapMb).isLessThan(24);
    assertThat(max).as("heap after GC, MB").isLessThan(256);
    Figures.assertDocumented("9", NAME);
  }
}
