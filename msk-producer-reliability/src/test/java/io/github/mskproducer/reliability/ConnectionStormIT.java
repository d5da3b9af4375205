package io.github.mskproducer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskAuthenticationException;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.MskProducerException;
import io.github.mskproducer.core.MskProducerListener;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 5: 50 producers start at once (a fleet scaling out, or Lambda's concurrent cold
 * starts) against a broker that allows 10 new IAM authentications per second and refuses the
 * rest with "Too many connects", as MSK does. Every producer delivers in the end; the figures say
 * how long it took and how many refused authentications were retried.
 */
@Order(5)
class ConnectionStormIT {
  private static final String TOPIC = "s5-storm";
  private static final String NAME = "Connection storm: 50 producers at once";
  private static final int PRODUCERS = 50;
  private static final int RECORDS_EACH = 20;
  private static final int AUTHS_PER_SECOND = 10;

  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
          b ->
              b.mode(LocalMskBroker.Mode.CHILD_PROCESS)
                  .iamConnectionRateLimit(AUTHS_PER_SECOND)
                  .topic(TOPIC, 3));

  @Test
  void fiftyProducersAtOnce_allDeliver_refusedAuthenticationsRetried() throws Exception {
    LocalMskBroker msk = MSK.broker();
    Ledger ledger = new Ledger("s5", 100);
    AtomicLong retries = new AtomicLong();
    AtomicLong tooManyConnectsRetries = new AtomicLong();
    AtomicLong restartedAtStart = new AtomicLong();
    AtomicLong refusedInLog = SecretScan.watch("Too many connects");
    refusedInLog.set(0);
    MskProducerListener listener =
        new MskProducerListener() {
          @Override
          public void onRestarted(int attempt, Duration wait, MskAuthenticationException cause) {
            restartedAtStart.incrementAndGet();
          }

          @Override
          public void onRetry(String topic, int attempt, Duration wait, MskProducerException cause) {
            retries.incrementAndGet();
            if (cause instanceof MskAuthenticationException
                && ((MskAuthenticationException) cause).reason() == MskAuthenticationException.Reason.TOO_MANY_CONNECTS) {
              tooManyConnectsRetries.incrementAndGet();
            }
          }
        };
    ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Long>> producers = new ArrayList<>();
    List<FlushResult<String, String>> results = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int p = 0; p < PRODUCERS; p++) {
      producers.add(
          pool.submit(
              () -> {
                go.await();
                long start = System.nanoTime();
                try (MskProducer<String, String> producer = Brokers.producer(msk).listener(listener).build()) {
                  for (int i = 0; i < RECORDS_EACH; i++) {
                    ledger.send(producer, TOPIC);
                  }
                  results.add(producer.flush(Duration.ofMinutes(2)));
                }
                return System.nanoTime() - start;
              }));
    }
    long t0 = System.nanoTime();
    go.countDown();
    double[] perProducerMs = new double[PRODUCERS];
    for (int p = 0; p < PRODUCERS; p++) {
      perProducerMs[p] = producers.get(p).get(3, TimeUnit.MINUTES) / 1e6;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    pool.shutdown();
    java.util.Arrays.sort(perProducerMs);
    Outcome o = Outcome.of(ledger, Arrivals.read(msk, TOPIC, ledger.run(), Duration.ofMinutes(1)));
    Figures.write(
        "5",
        NAME,
        o,
        took,
        String.format(
            "limit %d new IAM authentications/s; %d refused (\"Too many connects\" in the client log); retried: %d producers restarted at start (first connection refused), %d sends; all 50 done after %.1f s (first %.1f s, median %.1f s)",
            AUTHS_PER_SECOND, refusedInLog.get(), restartedAtStart.get(), tooManyConnectsRetries.get(),
            perProducerMs[PRODUCERS - 1] / 1000, perProducerMs[0] / 1000, Ledger.percentile(perProducerMs, 50) / 1000), ledger);

    assertThat(results).hasSize(PRODUCERS).allSatisfy(r -> assertThat(r.isComplete()).as("%s", r).isTrue());
    assertThat(o.sent()).isEqualTo((long) PRODUCERS * RECORDS_EACH);
    o.assertEveryRecordAcknowledgedOnce(ledger);
    assertThat(refusedInLog.get()).as("the limit refused some authentications (else the storm tested nothing)").isPositive();
    Figures.assertDocumented("5", NAME);
  }
}
