package io.github.mskproducer.core.internal.auth;

import io.github.mskproducer.core.internal.Causes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Credentials for signing, steady while the provider is not: Kafka asks for a token on its I/O
 * thread (each new connection, each re-authentication), where a provider that hangs (IMDS, STS
 * under load) would stall every connection of the producer, and where one throttled {@code
 * AssumeRole} would fail an authentication (aws-msk-iam-auth issue #251).
 *
 * <ul>
 *   <li>With credentials from an earlier answer that have not expired, a signing waits at most
 *       {@link #GRACE} for the provider; if it fails or has not answered by then, the token is
 *       signed with the earlier credentials, and a warning says why (once per episode).
 *       Meanwhile one background call, and only one, keeps asking, retrying transient failures
 *       with back-off; its answer serves the next signing.
 *   <li>With none (the first token, or expired ones), the signing asks here, retrying a
 *       transient failure (throttling, a 5xx, a network error) with back-off for up to {@link
 *       #FIRST_BUDGET}; a permanent failure fails at once.
 * </ul>
 */
final class SteadyCredentials {
  private static final Logger LOG = LoggerFactory.getLogger("io.github.mskproducer.core.MskProducer");

  /** How long a signing with usable earlier credentials waits for the provider. */
  static final Duration GRACE = Duration.ofMillis(500);
  /** How long a signing with no usable credentials retries transient failures. */
  static final Duration FIRST_BUDGET = Duration.ofSeconds(10);
  /** How long the background call retries transient failures before it gives up (and the next signing starts another). */
  static final Duration BACKGROUND_BUDGET = Duration.ofSeconds(60);
  /** Earlier credentials that expire sooner than this are not used. */
  static final Duration EXPIRY_MARGIN = Duration.ofSeconds(30);

  private static final long FIRST_BACKOFF_MILLIS = 100;
  private static final long MAX_BACKOFF_MILLIS = 2_000;

  private final AwsCredentialsProvider provider;
  private final String description;
  private final Clock clock;
  private final Duration firstBudget;

  private volatile Held held;
  /** The background call in progress, and when it started; null when none. */
  private Refresh refreshing;
  private boolean warned;
  private volatile boolean asked;

  private static final class Held {
    final AwsCredentials credentials;
    final Instant resolvedAt;

    Held(AwsCredentials credentials, Instant resolvedAt) {
      this.credentials = credentials;
      this.resolvedAt = resolvedAt;
    }
  }

  private static final class Refresh {
    final CompletableFuture<AwsCredentials> answer = new CompletableFuture<>();
    final long graceEndsNanos = System.nanoTime() + GRACE.toNanos();
    /** The last failure of the provider while it is being asked again, if any. */
    volatile RuntimeException lastFailure;
  }

  SteadyCredentials(AwsCredentialsProvider provider, String description, Clock clock) {
    this(provider, description, clock, FIRST_BUDGET);
  }

  /** With another budget than {@link #FIRST_BUDGET}: for tests that wait it out. */
  SteadyCredentials(AwsCredentialsProvider provider, String description, Clock clock, Duration firstBudget) {
    this.provider = provider;
    this.description = description;
    this.clock = clock;
    this.firstBudget = firstBudget;
  }

  /**
   * Credentials to sign with now.
   *
   * @throws RuntimeException what the provider threw, if there is nothing to fall back on
   */
  AwsCredentials resolve() {
    Held h = held;
    if (h == null && !asked) {
      // The very first signing (the start's warm-up thread): ask here, retrying what may pass.
      asked = true;
      AwsCredentials c = askWithRetries(System.nanoTime() + firstBudget.toNanos(), null);
      remember(c, true);
      return c;
    }
    if (h == null || !usable(h.credentials)) {
      // Nothing usable to fall back on, maybe on Kafka's I/O thread: wait for the background
      // call, but not for ever on a provider that hangs.
      Refresh r = refresh();
      try {
        return r.answer.get(firstBudget.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        throw new IllegalStateException(
            "the " + description + " did not answer within " + firstBudget.toSeconds() + " s", e);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException
            ? (RuntimeException) e.getCause()
            : new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the " + description, e);
      }
    }
    Refresh r = refresh();
    long waitNanos = r.graceEndsNanos - System.nanoTime();
    try {
      AwsCredentials c =
          waitNanos > 0 ? r.answer.get(waitNanos, TimeUnit.NANOSECONDS) : r.answer.getNow(null);
      if (c != null) {
        return c;
      }
      fallBack(h, notYet(r), r.lastFailure);
    } catch (TimeoutException e) {
      fallBack(h, notYet(r), r.lastFailure);
    } catch (ExecutionException e) {
      fallBack(h, "failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fallBack(h, "was interrupted", e);
    }
    return h.credentials;
  }

  private static String notYet(Refresh r) {
    RuntimeException f = r.lastFailure;
    return f == null
        ? "did not answer within " + GRACE.toMillis() + " ms"
        : "failed (" + f + ")";
  }

  /**
   * The one background call: the one in progress, or the one that answered within its grace
   * (the signings of one reconnect burst share it), or a new one.
   */
  private synchronized Refresh refresh() {
    Refresh r = refreshing;
    if (r != null
        && (!r.answer.isDone()
            || !r.answer.isCompletedExceptionally() && System.nanoTime() < r.graceEndsNanos)) {
      return r;
    }
    Refresh next = new Refresh();
    refreshing = next;
    ASKERS.execute(
        () -> {
          try {
            AwsCredentials c = askWithRetries(System.nanoTime() + BACKGROUND_BUDGET.toNanos(), next);
            remember(c, System.nanoTime() <= next.graceEndsNanos);
            next.answer.complete(c);
          } catch (RuntimeException | Error e) {
            next.answer.completeExceptionally(e);
          }
        });
    return next;
  }

  /** Threads for the background calls, shared by all producers; idle ones end after 5 s. */
  private static final java.util.concurrent.ExecutorService ASKERS =
      new java.util.concurrent.ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          5,
          TimeUnit.SECONDS,
          new java.util.concurrent.SynchronousQueue<>(),
          task -> {
            Thread t = new Thread(task, "msk-producer-credentials");
            t.setDaemon(true);
            return t;
          });

  /**
   * Keeps what the provider answered. An episode of trouble (one warning) ends only with an
   * answer within {@link #GRACE}: a provider that is slow every time warns once, not at every
   * signing.
   */
  private void remember(AwsCredentials c, boolean prompt) {
    if (c == null) {
      throw new IllegalStateException("the " + description + " returned no credentials");
    }
    held = new Held(c, clock.instant());
    boolean recovered;
    synchronized (this) {
      recovered = warned && prompt;
      if (prompt) {
        warned = false;
      }
    }
    if (recovered) {
      LOG.info("The {} answers again: IAM tokens are signed with its current credentials", description);
    }
  }

  private void fallBack(Held h, String what, Throwable cause) {
    synchronized (this) {
      if (warned) {
        LOG.debug("The {} {}; signing with the credentials it gave before", description, what);
        return;
      }
      warned = true;
    }
    Duration age = Duration.between(h.resolvedAt, clock.instant());
    LOG.warn(
        "The {} {}; signing IAM tokens with the credentials it gave {} s ago (access key {}{}) and"
            + " asking it again in the background, with back-off, until it answers",
        description,
        what,
        Math.max(0, age.getSeconds()),
        AccessKeys.shown(h.credentials.accessKeyId()),
        h.credentials.expirationTime().map(t -> ", valid until " + t).orElse(""));
  }

  private boolean usable(AwsCredentials c) {
    return c.expirationTime().map(t -> clock.instant().plus(EXPIRY_MARGIN).isBefore(t)).orElse(true);
  }

  /** Asks the provider, retrying transient failures with jittered back-off until the deadline. */
  private AwsCredentials askWithRetries(long deadlineNanos, Refresh tell) {
    long backoff = FIRST_BACKOFF_MILLIS;
    while (true) {
      try {
        return provider.resolveCredentials();
      } catch (RuntimeException e) {
        if (tell != null) {
          tell.lastFailure = e;
        }
        long sleep = ThreadLocalRandom.current().nextLong(backoff / 2, backoff + 1);
        if (!isTransient(e) || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sleep) > deadlineNanos) {
          throw e;
        }
        LOG.debug("The {} failed ({}); asking again in {} ms", description, e.toString(), sleep);
        try {
          Thread.sleep(sleep);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      }
    }
  }

  /**
   * Whether asking again may pass: throttling (STS's {@code Throttling}, a 429), a server error,
   * the SDK's own call timeouts, or a network failure to reach the service (IMDS, the container
   * endpoint, STS). Not: access denied, a missing profile, a TLS failure, or the default chain
   * finding no source at all (a set-up problem, reported at once).
   */
  static boolean isTransient(Throwable e) {
    // The first cause that tells: a service's answer, or a failure to reach it.
    return Causes.chain(e)
        .filter(c -> c instanceof SdkServiceException || unreachable(c))
        .findFirst()
        .map(
            c -> {
              if (c instanceof SdkServiceException s) {
                return s.isThrottlingException() || s.statusCode() == 429 || s.statusCode() >= 500;
              }
              return true;
            })
        .orElse(false);
  }

  private static boolean unreachable(Throwable c) {
    return c instanceof software.amazon.awssdk.core.exception.ApiCallTimeoutException
        || c instanceof software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException
        || c instanceof java.net.SocketTimeoutException
        || c instanceof java.net.ConnectException
        || c instanceof java.net.NoRouteToHostException
        || c instanceof java.net.SocketException;
  }
}
