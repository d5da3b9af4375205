package io.github.mskproducer.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * F12: Kafka's flush() has no deadline. Ours stops at its deadline with the records still
 * pending, loses none, and reports them acknowledged once the broker is back.
 */
class FlushDeadlineIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK = LocalMskBrokerExtension.perClass(b -> b.topic("flush", 1).topic("flush-interrupted", 1));

  @Test
  void flushWithTheBrokerStopped_returnsAtItsDeadline_reportingPending_andNothingIsLost() {
    LocalMskBroker msk = MSK.broker();
    // A long linger keeps the records in the buffer until the flush, when the broker is gone.
    try (MskProducer<String, String> producer =
        LocalMsk.producer(msk).linger(Duration.ofSeconds(20)).build()) {
      producer.send("flush", "k", "warm-up");
      assertThat(producer.flush(Duration.ofSeconds(30)).acknowledged()).isEqualTo(1); // not the linger's 20 s
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        sent.add("while-down-" + i);
        producer.send("flush", "k", "while-down-" + i);
      }
      msk.stop();

      long t0 = System.nanoTime();
      FlushResult<String, String> whileDown = producer.flush(Duration.ofSeconds(2));
      Duration took = Duration.ofNanos(System.nanoTime() - t0);

      assertThat(whileDown.deadlineReached()).isTrue();
      assertThat(whileDown.pending()).extracting(ProducerRecord::value).containsExactlyElementsOf(sent);
      assertThat(whileDown.failed()).isEmpty();
      // Kafka's flush ran on this thread and was interrupted at the deadline: not any more.
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
      // It waited for its deadline (Kafka's flush ran until the timer interrupted it), and no
      // longer: Kafka's own flush() would wait up to the 2-minute delivery timeout. Bounds, not a
      // speed target.
      assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1_900)).isLessThan(Duration.ofSeconds(30));

      msk.start();
      FlushResult<String, String> afterRestart = producer.flush(Duration.ofSeconds(90));

      assertThat(afterRestart.isComplete()).as(afterRestart.toString()).isTrue();
      assertThat(afterRestart.acknowledged()).isEqualTo(20);
    }
    assertThat(LocalMsk.readValues(msk, "flush", 21, Duration.ofSeconds(60))).hasSize(21);
  }

  @Test
  void aCallerInterruptedBeforeItsFlush_getsAReportAtOnce_staysInterrupted_andLosesNothing() {
    try (MskProducer<String, String> producer = connectedWithALongLinger()) {
      CompletableFuture<RecordMetadata> sent = producer.send("flush-interrupted", "k", "while-interrupted");

      Thread.currentThread().interrupt();
      FlushResult<String, String> interrupted;
      try {
        interrupted = producer.flush(Duration.ofSeconds(30));
      } finally {
        assertThat(Thread.interrupted()).as("the caller's own interrupt is kept").isTrue();
      }

      if (interrupted.acknowledged() == 0) {
        assertThat(interrupted.deadlineReached()).isTrue();
        assertThat(interrupted.pending()).extracting(ProducerRecord::value).containsExactly("while-interrupted");
      } else {
        // The flush it could not wait for sent the record at once, in the background: on a
        // loaded machine its acknowledgement can land before this report is assembled (seen in
        // CI), and the report then counts it.
        assertThat(interrupted.pending()).isEmpty();
      }
      // The flush it could not wait for still sends the record now, not after its 60 s linger.
      assertThat(sent).succeedsWithin(Duration.ofSeconds(30));
      FlushResult<String, String> after = producer.flush(Duration.ofSeconds(60));
      assertThat(after.isComplete()).as(after.toString()).isTrue();
      // Counted once, in one report or the other.
      assertThat(interrupted.acknowledged() + after.acknowledged()).isEqualTo(1);
    }
  }

  @Test
  void aFlushWithNoTime_reportsAtOnce_andStillSendsWhatIsBufferedNow() {
    try (MskProducer<String, String> producer = connectedWithALongLinger()) {
      CompletableFuture<RecordMetadata> sent = producer.send("flush-interrupted", "k", "no-time");

      FlushResult<String, String> now = producer.flush(Duration.ZERO);

      if (now.acknowledged() == 0) {
        assertThat(now.pending()).extracting(ProducerRecord::value).containsExactly("no-time");
        assertThat(now.deadlineReached()).isTrue();
      } else {
        assertThat(now.pending()).isEmpty(); // acknowledged before the report was assembled
      }
      // Sent now, not after its 60 s linger.
      assertThat(sent).succeedsWithin(Duration.ofSeconds(30));
      assertThat(now.acknowledged() + producer.flush(Duration.ofSeconds(30)).acknowledged()).isEqualTo(1);
    }
  }

  /** A producer connected (one record acknowledged) whose records wait 60 s unless flushed. */
  private static MskProducer<String, String> connectedWithALongLinger() {
    MskProducer<String, String> producer = LocalMsk.producer(MSK.broker()).linger(Duration.ofSeconds(60)).build();
    producer.send("flush-interrupted", "k", "warm-up");
    assertThat(producer.flush(Duration.ofSeconds(30)).acknowledged()).isEqualTo(1);
    return producer;
  }
}
