package io.github.mskproducer.core.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.model.StsException;

/** Pure logic: a scripted provider, no network. */
class SteadyCredentialsTest {
  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final AwsCredentials FIRST = AwsBasicCredentials.create("AKIAFIRST", "first-secret");
  private static final AwsCredentials SECOND = AwsBasicCredentials.create("AKIASECOND", "second-secret");

  /** The provider's answer to its n-th call (0-based): credentials, or a thrown exception. */
  private static final class Scripted implements AwsCredentialsProvider {
    final AtomicInteger calls = new AtomicInteger();
    volatile IntFunction<AwsCredentials> script;

    Scripted(IntFunction<AwsCredentials> script) {
      this.script = script;
    }

    @Override
    public AwsCredentials resolveCredentials() {
      return script.apply(calls.getAndIncrement());
    }
  }

  static StsException throttled() {
    return (StsException)
        StsException.builder()
            .statusCode(400)
            .message("Rate exceeded")
            .awsErrorDetails(AwsErrorDetails.builder().errorCode("Throttling").errorMessage("Rate exceeded").build())
            .build();
  }

  @Test
  void stsThrottling_isRetriedWithBackoff_notFatal() {
    Scripted p = new Scripted(n -> {
      if (n < 3) {
        throw throttled();
      }
      return FIRST;
    });

    assertThat(new SteadyCredentials(p, "assume-role provider", CLOCK).resolve()).isEqualTo(FIRST);
    assertThat(p.calls).hasValue(4);
  }

  @Test
  void permanentFailure_failsAtOnce() {
    Scripted p = new Scripted(n -> {
      throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
    });

    assertThatThrownBy(() -> new SteadyCredentials(p, "default chain", CLOCK).resolve())
        .isInstanceOf(SdkClientException.class);
    assertThat(p.calls).hasValue(1);
  }

  @Test
  void aProviderGivenAsALambda_isNamedInPlainWords() {
    // A provider given as a lambda has no useful class name; the message once read "the your
    // credentials provider".
    software.amazon.awssdk.auth.credentials.AwsCredentialsProvider lambda = () -> null;
    String description =
        io.github.mskproducer.core.MskAuth.iam(c -> c.credentialsProvider(lambda))
            .iamCredentials()
            .orElseThrow()
            .toString();
    assertThatThrownBy(() -> new SteadyCredentials(lambda, description, CLOCK).resolve())
        .hasMessage("the credentials provider you gave returned no credentials");
  }

  @Test
  void classification() {
    assertThat(SteadyCredentials.isTransient(throttled())).isTrue();
    assertThat(SteadyCredentials.isTransient(StsException.builder().statusCode(503).build())).isTrue();
    assertThat(SteadyCredentials.isTransient(StsException.builder().statusCode(403).message("AccessDenied").build())).isFalse();
    assertThat(SteadyCredentials.isTransient(SdkClientException.builder().message("x").cause(new java.net.SocketTimeoutException()).build())).isTrue();
    assertThat(SteadyCredentials.isTransient(new IllegalStateException("no profile"))).isFalse();
    assertThat(SteadyCredentials.isTransient(software.amazon.awssdk.core.exception.ApiCallTimeoutException.create(1000))).isTrue();
    assertThat(SteadyCredentials.isTransient(SdkClientException.builder().message("x").cause(new javax.net.ssl.SSLHandshakeException("untrusted")).build()))
        .as("a TLS failure does not pass by asking again")
        .isFalse();
    assertThat(SteadyCredentials.isTransient(SdkClientException.create("Unable to load credentials from any of the providers in the chain")))
        .as("no source configured: a set-up problem, said at once")
        .isFalse();
  }

  @Test
  void providerHangs_withEarlierCredentials_signsWithThem_andAsksOnceInTheBackground() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Scripted p = new Scripted(n -> FIRST);
    SteadyCredentials steady = new SteadyCredentials(p, "container provider", CLOCK);
    assertThat(steady.resolve()).isEqualTo(FIRST);

    p.script = n -> {
      try {
        release.await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return SECOND;
    };
    for (int i = 0; i < 5; i++) {
      assertThat(steady.resolve()).as("signing %d while the provider hangs", i).isEqualTo(FIRST);
    }
    assertThat(p.calls).as("one call in the background, not one per signing").hasValue(2);

    release.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    AwsCredentials now = steady.resolve();
    while (!now.equals(SECOND) && System.nanoTime() < deadline) {
      Thread.sleep(20);
      now = steady.resolve();
    }
    assertThat(now).as("its answer serves the signings once it comes").isEqualTo(SECOND);
  }

  @Test
  void providerThrottlesForLong_withEarlierCredentials_signsWithThem() {
    Scripted p = new Scripted(n -> FIRST);
    SteadyCredentials steady = new SteadyCredentials(p, "assume-role provider", CLOCK);
    steady.resolve();
    p.script = n -> {
      throw throttled();
    };

    assertThat(steady.resolve()).isEqualTo(FIRST);
  }

  @Test
  void noUsableCredentials_andTheProviderHangs_theSigningGivesUpAfterItsBudget_notForEver() throws Exception {
    // Bounded by the budget (10 s in production, 1 s here): checked for the outcome, not the time.
    CountDownLatch release = new CountDownLatch(1);
    AwsCredentials expiring =
        AwsSessionCredentials.builder().accessKeyId("ASIAX").secretAccessKey("s").sessionToken("t").expirationTime(NOW.plusSeconds(5)).build();
    Scripted p = new Scripted(n -> expiring);
    SteadyCredentials steady = new SteadyCredentials(p, "container provider", CLOCK, Duration.ofSeconds(1));
    steady.resolve();
    p.script = n -> {
      try {
        release.await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return SECOND;
    };
    try {
      assertThatThrownBy(steady::resolve).hasMessageContaining("did not answer within 1 s");
    } finally {
      release.countDown();
    }
  }

  @Test
  void earlierCredentialsAboutToExpire_areNotUsed() {
    AwsCredentials expiring =
        AwsSessionCredentials.builder()
            .accessKeyId("ASIAEXPIRING")
            .secretAccessKey("s")
            .sessionToken("t")
            .expirationTime(NOW.plusSeconds(10))
            .build();
    Scripted p = new Scripted(n -> expiring);
    SteadyCredentials steady = new SteadyCredentials(p, "container provider", CLOCK);
    steady.resolve();
    p.script = n -> {
      throw SdkClientException.create("container endpoint refused");
    };

    assertThatThrownBy(steady::resolve).isInstanceOf(SdkClientException.class);
  }
}
