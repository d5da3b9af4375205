package io.github.mskproducer.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code send(record, callback)}, the future-free send: every record's callback runs exactly
 * once, flush counts and waits for them as for futures, close fails what is left through the
 * callback (F12's "nothing accepted is lost silently" for callback senders too).
 */
class SendCallbackIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(b -> b.topic("callbacks", 3).topic("callbacks-down", 1));

  @Test
  void everyCallbackRunsOnce_flushCountsThemAndReturnsAfterThem_evenIfSomeThrow() {
    LocalMskBroker msk = MSK.broker();
    int n = 2_000;
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    List<MskProducerException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    try (MskProducer<String, String> producer = LocalMsk.producer(msk).build()) {
      for (int i = 0; i < n; i++) {
        String value = "cb-" + i;
        boolean throwing = i % 10 == 0;
        boolean error = i % 20 == 0;
        producer.send(
            new ProducerRecord<>("callbacks", "k" + (i % 7), value),
            (metadata, failure) -> {
              calls.computeIfAbsent(value, v -> new AtomicInteger()).incrementAndGet();
              if (failure != null) {
                failures.add(failure);
              }
              if (throwing) {
                // An Error too: Kafka's I/O thread catches only Exceptions, so an Error that got
                // out would end it and leave every later record without an outcome.
                if (error) {
                  throw new AssertionError("a failing assertion in a callback");
                }
                throw new IllegalStateException("a careless callback");
              }
            });
      }
      FlushResult<String, String> flush = producer.flush(Duration.ofSeconds(60));

      assertThat(flush.isComplete()).as(flush.toString()).isTrue();
      assertThat(flush.acknowledged()).isEqualTo(n);
      // flush returned after every callback had run, the throwing ones included
      assertThat(calls).hasSize(n);
      assertThat(calls.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
      assertThat(failures).isEmpty();
    }
    assertThat(LocalMsk.readValues(msk, "callbacks", n, Duration.ofSeconds(60))).hasSize(n);
  }

  @Test
  void recordsWithoutOutcomeAtClose_failThroughTheirCallbackOnce_andAClosedProducerFailsAtOnce() {
    LocalMskBroker msk = MSK.broker();
    Map<String, List<Object>> outcomes = new ConcurrentHashMap<>();
    MskProducer<String, String> producer =
        LocalMsk.producer(msk).linger(Duration.ofSeconds(20)).build();
    try {
      producer.sendAndWait("callbacks-down", "k", "warm-up", Duration.ofSeconds(30));
      // A long linger keeps them in the buffer until the broker is gone.
      for (int i = 0; i < 20; i++) {
        String value = "down-" + i;
        producer.send(
            new ProducerRecord<>("callbacks-down", "k", value),
            (metadata, failure) ->
                outcomes
                    .computeIfAbsent(value, v -> java.util.Collections.synchronizedList(new ArrayList<>()))
                    .add(failure != null ? failure : metadata));
      }
      msk.stop();
      FlushResult<String, String> whileDown = producer.flush(Duration.ofMillis(500));
      assertThat(whileDown.deadlineReached()).isTrue();
      assertThat(whileDown.pending()).hasSize(20);
      assertThat(outcomes).isEmpty();

      producer.close(Duration.ofSeconds(1));

      assertThat(outcomes).hasSize(20);
      assertThat(outcomes.values())
          .allSatisfy(
              o -> {
                assertThat(o).hasSize(1);
                assertThat(o.get(0)).isInstanceOf(MskDeliveryException.class);
              });

      List<Object> afterClose = new ArrayList<>();
      Thread caller = Thread.currentThread();
      List<Thread> ranOn = new ArrayList<>();
      producer.send(
          new ProducerRecord<>("callbacks-down", "k", "after-close"),
          (metadata, failure) -> {
            afterClose.add(failure);
            ranOn.add(Thread.currentThread());
          });
      assertThat(afterClose).singleElement().isInstanceOf(MskProducerClosedException.class);
      assertThat(ranOn).containsExactly(caller);
    } finally {
      producer.close(Duration.ZERO);
      msk.start();
    }
  }
}
