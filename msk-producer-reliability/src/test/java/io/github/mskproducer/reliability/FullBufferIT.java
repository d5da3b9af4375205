package io.github.mskproducer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskDeliveryException;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 15: the cluster slows down (a proxy delays every chunk of data) while the
 * application keeps sending faster than it drains, into a small {@code buffer.memory}. {@code
 * send} blocks for buffer space at most max block, then fails with a typed error naming
 * buffer.memory and timeouts.maxBlock; every record is acknowledged or reported failed (none
 * that failed is in the log), and the heap stays bounded.
 */
@Order(15)
class FullBufferIT {
  private static final String TOPIC = "s15-full-buffer";
  private static final String NAME = "Full buffer (slow broker, small buffer.memory)";
  private static final Duration MAX_BLOCK = Duration.ofSeconds(1);

  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
          b -> b.mode(LocalMskBroker.Mode.CHILD_PROCESS).proxied(true).topic(TOPIC, 3));

  @Test
  void slowBrokerSmallBuffer_sendBlocksAtMostMaxBlock_thenFailsTyped_nothingLost() throws Exception {
    LocalMskBroker msk = MSK.broker();
    int node = msk.brokerIds().get(0);
    Ledger ledger = new Ledger("s15", 1_000);
    int rate = 2_000; // about 2 MB/s asked; the slowed link carries a few KB/s
    Duration slow = Soak.duration(Duration.ofSeconds(20), Duration.ofMinutes(2));
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    List<Long> heapMb = new ArrayList<>();
    long t0 = System.nanoTime();
    FlushResult<String, String> result;
    long longestSend;
    long baseline;
    try (MskProducer<String, String> producer =
        Brokers.producer(msk)
            .property("buffer.memory", Integer.toString(64 * 1024))
            .batchSize(16 * 1024)
            .timeouts(t -> t.maxBlock(MAX_BLOCK).request(Duration.ofSeconds(15)).delivery(Duration.ofSeconds(60)))
            // a retry budget above max block: a full buffer must still not be waited for twice
            .retry(r -> r.maxElapsed(Duration.ofSeconds(10)))
            .build()) {
      producer.awaitReady(Duration.ofSeconds(30));
      ledger.send(producer, TOPIC).get(); // the topic's metadata is known before the link slows
      System.gc();
      baseline = memory.getHeapMemoryUsage().getUsed() >> 20;
      msk.proxy(node).delay(Duration.ofMillis(500));
      Load load = Load.start(ledger, producer, TOPIC, rate, 4);
      try (load) {
        for (long waited = 0; waited < slow.toMillis(); waited += 2_000) {
          Thread.sleep(2_000);
          System.gc();
          heapMb.add(memory.getHeapMemoryUsage().getUsed() >> 20);
        }
      }
      longestSend = load.longestSendMillis();
      msk.proxy(node).delay(Duration.ZERO);
      result = producer.flush(Duration.ofMinutes(2));
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    Map<Long, Integer> arrived = Arrivals.read(msk, TOPIC, ledger.run(), Duration.ofMinutes(1));
    Outcome o = Outcome.of(ledger, arrived);
    long fullBuffer =
        ledger.failed().values().stream().filter(e -> String.valueOf(e.getMessage()).contains("buffer.memory")).count();
    long maxHeap = heapMb.stream().mapToLong(Long::longValue).max().orElse(0);
    Figures.write(
        "15",
        NAME,
        o,
        took,
        String.format(
            "buffer.memory 64 KiB, batch.size 16 KiB, max block %d s, 1 KiB records at %,d/s asked from 4 threads for %d s through a proxy delaying every chunk of data 500 ms; %,d failed with the buffer full (\"buffer.memory ... timeouts.maxBlock\"); longest send() %,d ms, longest from send to its failure %,d ms (retry budget 10 s); reported failed but in the log: %d; heap after GC every 2 s (MB): %s (before: %d)",
            MAX_BLOCK.toSeconds(),
            rate,
            slow.toSeconds(),
            fullBuffer,
            longestSend,
            ledger.longestFailureMillis(),
            o.failedButArrived(),
            heapMb,
            baseline),
        ledger);

    assertThat(result.pending()).as("every record has an outcome: %s", result).isEmpty();
    assertThat(o.pending()).isZero();
    assertThat(fullBuffer).as("sends failed because the buffer stayed full").isPositive();
    assertThat(ledger.failed().values())
        .as("each failure is typed and names the option to change")
        .allSatisfy(
            e ->
                assertThat(e)
                    .isInstanceOf(MskDeliveryException.class)
                    .hasMessageContaining("buffer.memory")
                    .hasMessageContaining("timeouts.maxBlock"));
    assertThat(o.failedButArrived()).as("a record refused for a full buffer was never sent").isZero();
    assertThat(o.acknowledged()).as("the slow link still carried records").isPositive();
    assertThat(o.lost()).isZero();
    assertThat(o.duplicated()).isZero();
    assertThat(o.unknown()).isZero();
    assertThat(o.secondOutcomes()).isZero();
    // Behaviour, not speed: Kafka waits max block for space once; a second wait inside send
    // (a retry of the full buffer) would double it.
    assertThat(longestSend).as("send blocked at most max block (plus scheduling)").isLessThan(MAX_BLOCK.toMillis() + 2_000);
    assertThat(ledger.longestFailureMillis())
        .as("a full buffer fails after one max block, not retried for the retry budget")
        .isLessThan(MAX_BLOCK.toMillis() + 2_000);
    assertThat(maxHeap - baseline).as("heap bounded while the buffer is full: %s MB", heapMb).isLessThan(128);
    Figures.assertDocumented("15", NAME);
  }
}
