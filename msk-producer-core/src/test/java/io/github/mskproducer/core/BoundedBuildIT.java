package io.github.mskproducer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * build() waits for nothing on the network: a credentials provider that hangs, or a bootstrap
 * that accepts connections and never answers, leave build() free to return; awaitReady waits,
 * sends wait within max block, close stops a start. No timing is asserted, only who waits for
 * whom (the benchmark suite measures how long build() takes).
 */
@ExtendWith(LocalMskBrokerExtension.class)
class BoundedBuildIT {
  private final LocalMskBroker msk;

  BoundedBuildIT(LocalMskBroker msk) {
    this.msk = msk;
  }

  /** Blocks every call until released, as an IMDS or STS call that hangs would. */
  static final class HangingCredentials implements AwsCredentialsProvider {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final AwsCredentialsProvider real;

    HangingCredentials(AwsCredentialsProvider real) {
      this.real = real;
    }

    @Override
    public AwsCredentials resolveCredentials() {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      return real.resolveCredentials();
    }
  }

  @Test
  void hangingCredentials_doNotHoldBuild_sendsWaitWithinMaxBlock_awaitReadyWaits() throws Exception {
    msk.createTopic("core-bounded", 1);
    HangingCredentials credentials = new HangingCredentials(msk.credentialsProvider());
    try (MskProducer<String, String> producer =
        LocalMsk.producer(msk)
            .auth(MskAuth.iam(c -> c.credentialsProvider(credentials)))
            .timeouts(t -> t.maxBlock(Duration.ofSeconds(1)))
            .build()) {
      // build() returned while the credentials provider is blocked in its first call.
      assertThat(credentials.entered.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(credentials.release.getCount()).isOne();
      assertThat(producer.isReady()).isFalse();
      assertThat(producer.awaitReady(Duration.ofMillis(100))).isFalse();
      assertThat(producer.failure()).as("still starting is no failure").isEmpty();
      assertThat(producer.metrics()).isEmpty();
      assertThatThrownBy(() -> producer.sendAndWait("core-bounded", "k", "early", Duration.ofSeconds(30)))
          .isInstanceOfSatisfying(
              MskDeliveryException.class,
              e -> {
                assertThat(e.isRetriable()).isTrue();
                assertThat(e.getMessage())
                    .contains("did not finish starting within max block", "signing the first IAM token", "awaitReady");
              });

      credentials.release.countDown();
      assertThat(producer.awaitReady(Duration.ofSeconds(60))).isTrue();
      assertThat(producer.failure()).isEmpty();
      assertThat(producer.sendAndWait("core-bounded", "k", "late", Duration.ofSeconds(30)).topic()).isEqualTo("core-bounded");
      assertThat(producer.metrics()).isNotEmpty();
    }
  }

  @Test
  void aBootstrapThatNeverAnswers_doesNotHoldBuild_andCloseStopsTheStart() throws Exception {
    List<Socket> accepted = new ArrayList<>();
    try (ServerSocket blackhole = new ServerSocket(0)) {
      Thread acceptor =
          new Thread(
              () -> {
                while (!blackhole.isClosed()) {
                  try {
                    accepted.add(blackhole.accept()); // never reads, never writes
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      MskProducer<String, String> producer =
          MskProducer.builder(String.class, String.class)
              .bootstrapServers("localhost:" + blackhole.getLocalPort())
              .region(msk.region())
              .truststore(msk.truststorePem())
              .auth(MskAuth.iam(c -> c.credentialsProvider(msk.credentialsProvider())))
              .build();
      String clientId = producer.clientId();
      assertThat(producer.awaitReady(Duration.ofMillis(200))).as("TLS never completes").isFalse();

      producer.close(Duration.ZERO);

      assertThatThrownBy(() -> producer.awaitReady(Duration.ofSeconds(1))).isInstanceOf(MskProducerClosedException.class);
      assertThat(producer.failure()).containsInstanceOf(MskProducerClosedException.class);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(Thread.getAllStackTraces().keySet())
                      .extracting(Thread::getName)
                      .as("no thread of this producer outlives its close")
                      .noneMatch(n -> n.contains(clientId)));
    } finally {
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  @Test
  void aSendWaitingForTheStart_hearsTheCloseAtOnce() throws Exception {
    HangingCredentials credentials = new HangingCredentials(msk.credentialsProvider());
    MskProducer<String, String> producer =
        LocalMsk.producer(msk).auth(MskAuth.iam(c -> c.credentialsProvider(credentials))).build();
    assertThat(credentials.entered.await(30, TimeUnit.SECONDS)).isTrue();
    java.util.concurrent.CompletableFuture<Object> sending =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> producer.send("core-bounded", "k", "v").handle((md, e) -> e).join());
    Thread.sleep(200); // most likely waiting for the start by now; closed-before-send is fine too

    producer.close(Duration.ZERO);

    // The default max block is 60 s: the send heard the close, it did not wait that out.
    Object failure = sending.get(30, TimeUnit.SECONDS);
    assertThat(failure).isInstanceOf(MskProducerClosedException.class);
    assertThatThrownBy(() -> producer.awaitReady(Duration.ofSeconds(1))).isInstanceOf(MskProducerClosedException.class);
    credentials.release.countDown();
  }

  @Test
  void closedWhileItsCredentialsHang_theStartReleasesWhatItMade() throws Exception {
    HangingCredentials credentials = new HangingCredentials(msk.credentialsProvider());
    OwnedSerializer serializer = new OwnedSerializer();
    MskProducer<String, String> producer =
        MskProducer.builder(serializer, serializer)
            .bootstrapServers(msk.bootstrapServers())
            .region(msk.region())
            .truststore(msk.truststorePem())
            .auth(MskAuth.iam(c -> c.credentialsProvider(credentials)))
            .build();
    String clientId = producer.clientId();
    assertThat(credentials.entered.await(30, TimeUnit.SECONDS)).isTrue();

    producer.close(Duration.ZERO);
    assertThat(serializer.closes).hasValue(1);
    credentials.release.countDown(); // the start goes on, sees the close, and stops

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(Thread.getAllStackTraces().keySet())
                    .extracting(Thread::getName)
                    .noneMatch(n -> n.contains(clientId)));
    assertThat(serializer.serialized).hasValue(0);
  }
}
