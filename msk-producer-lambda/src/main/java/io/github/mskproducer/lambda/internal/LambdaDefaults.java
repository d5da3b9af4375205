package io.github.mskproducer.lambda.internal;

import io.github.mskproducer.core.internal.kafka.KafkaClientFacts;

import io.github.mskproducer.core.FlushPolicy;
import io.github.mskproducer.core.MskProducerConfig;
import io.github.mskproducer.core.Timeouts;
import java.time.Duration;

/**
 * The producer options Lambda wants other than a service does, each applied only where the
 * user set none: short timeouts (an invocation has seconds, not minutes), a short linger (the
 * invocation ends with a flush anyway), no linger for {@code PER_SEND}, connections closed
 * before a broker's 10-minute idle limit would reset them during a freeze, a client id per
 * execution environment, a prompt first reconnect ({@link #RECONNECT_BACKOFF}: after a thaw the
 * broker may have closed the connections, and Kafka waits the first back-off before it
 * reconnects; repeated failures still back off exponentially up to {@link
 * #RECONNECT_BACKOFF_MAX}, as MSK's connection-rate limit needs), and no JMX reporter (nobody
 * reads JMX in a Lambda; its MBeans cost start-up time).
 */
public final class LambdaDefaults {
  /** The first reconnect back-off: Kafka's own default, jittered by Kafka by 20%. */
  public static final Duration RECONNECT_BACKOFF = Duration.ofMillis(50);

  /** The largest reconnect back-off: core's (and MSK's connection-rate limit's) 10 s. */
  public static final Duration RECONNECT_BACKOFF_MAX = Duration.ofSeconds(10);

  private final Timeouts timeouts;
  private final Duration linger;
  private final Duration connectionsMaxIdle;

  /**
   * @param timeouts Lambda's timeouts
   * @param linger Lambda's linger
   * @param connectionsMaxIdle Lambda's {@code connections.max.idle.ms}
   */
  public LambdaDefaults(Timeouts timeouts, Duration linger, Duration connectionsMaxIdle) {
    this.timeouts = timeouts;
    this.linger = linger;
    this.connectionsMaxIdle = connectionsMaxIdle;
  }

  /**
   * {@code user} with Lambda's defaults for the options it leaves unset.
   *
   * @param user the user's configuration
   * @param clientId the client id to use if the user set none
   * @return the configuration to build the producer with
   */
  public MskProducerConfig apply(MskProducerConfig user, String clientId) {
    MskProducerConfig.Builder c = user.toBuilder();
    Duration l =
        user.linger()
            .orElse(
                user.flushPolicy().orElse(null) == FlushPolicy.PER_SEND ? Duration.ZERO : linger);
    c.linger(l);
    Timeouts t = user.timeouts().orElse(timeouts);
    if (!user.timeouts().isSet(Timeouts.Option.DELIVERY)) {
      // Lambda's delivery timeout, but never below what Kafka requires of the user's request.
      Duration least = t.request().plus(l);
      if (t.delivery().compareTo(least) < 0) {
        t = t.toBuilder().delivery(least).build();
      }
    }
    c.timeouts(t);
    if (user.clientId().isEmpty()) {
      c.clientId(clientId);
    }
    if (user.reconnectBackoff().isEmpty()) {
      c.reconnectBackoff(RECONNECT_BACKOFF, RECONNECT_BACKOFF_MAX);
    }
    if (!user.properties().containsKey("metric.reporters")
        && !user.properties().containsKey("auto.include.jmx.reporter")) {
      KafkaClientFacts.withoutJmxReporter(KafkaClientFacts.clientsVersion()).forEach(c::property);
    }
    if (!user.properties().containsKey("connections.max.idle.ms")) {
      c.property("connections.max.idle.ms", Long.toString(connectionsMaxIdle.toMillis()));
    }
    return c.build();
  }
}
