package io.github.mskproducer.core.internal.kafka;

import io.github.mskproducer.core.internal.Causes;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Everything msk-producer knows about kafka-clients beyond its public API, in one place: a
 * private field, texts of Kafka's (and MSK's) messages, metric names and internal class names.
 * Each fact is checked against the kafka-clients on the class path by {@code
 * KafkaClientFactsIT}, which the build runs with the lowest (3.8) and the highest (4.4)
 * supported version and {@code docs/compatibility.md} with every one: when Kafka changes one of
 * these, that test fails, not a user's producer. Everything else uses Kafka's public API only.
 *
 * <p>Where a fact decides behaviour, its absence must be safe: {@link #hasProducerId} says
 * "unknown" rather than guess, and the callers fall back to public signals.
 *
 * <p>Two behaviours of {@code KafkaProducer.send} are relied on too, and tested with each
 * version elsewhere: a callback from inside {@code send} on the calling thread means the record
 * did not get into the buffer ({@code SendAttempts}; {@code MskProducerIT}'s pre-buffer retry),
 * and an interrupted wait for metadata throws {@code InterruptException} with nothing buffered
 * ({@code TopicCheck}; {@code MissingTopicIT} reads the topic back after creating it).
 */
public final class KafkaClientFacts {
  private KafkaClientFacts() {}

  // ---------------------------------------------------------------- metric names

  /** Connections opened (every producer's {@code producer-metrics} group). */
  public static final String CONNECTION_CREATION_TOTAL = "connection-creation-total";

  /** Connections closed. */
  public static final String CONNECTION_CLOSE_TOTAL = "connection-close-total";

  /** SASL authentications that succeeded. */
  public static final String SUCCESSFUL_AUTHENTICATION_TOTAL = "successful-authentication-total";

  /** SASL authentications that failed. */
  public static final String FAILED_AUTHENTICATION_TOTAL = "failed-authentication-total";

  /** SASL (and TLS) authentications that failed, per second over the metrics' recent window. */
  public static final String FAILED_AUTHENTICATION_RATE = "failed-authentication-rate";

  /** SASL authentications that succeeded, per second over the metrics' recent window. */
  public static final String SUCCESSFUL_AUTHENTICATION_RATE = "successful-authentication-rate";

  /** The metric names above, for the test that checks each exists. */
  public static final List<String> METRIC_NAMES =
      List.of(
          CONNECTION_CREATION_TOTAL,
          CONNECTION_CLOSE_TOTAL,
          SUCCESSFUL_AUTHENTICATION_TOTAL,
          FAILED_AUTHENTICATION_TOTAL,
          FAILED_AUTHENTICATION_RATE,
          SUCCESSFUL_AUTHENTICATION_RATE);

  /** What a producer's connections did so far, summed over its nodes. */
  public static final class Connections {
    public final double created;
    public final double closed;
    public final double authenticated;
    public final double failedAuthentications;
    /** Failed authentications per second recently (Kafka's window: about the last minute). */
    public final double failedAuthenticationRate;
    /** Successful authentications per second recently. */
    public final double successfulAuthenticationRate;

    Connections(
        double created, double closed, double authenticated, double failed, double failedRate, double okRate) {
      this.created = created;
      this.closed = closed;
      this.authenticated = authenticated;
      this.failedAuthentications = failed;
      this.failedAuthenticationRate = failedRate;
      this.successfulAuthenticationRate = okRate;
    }
  }

  /** Sums the connection metrics of a producer's metrics. */
  public static Connections connections(Map<MetricName, ? extends Metric> metrics) {
    double created = 0;
    double closed = 0;
    double authenticated = 0;
    double failed = 0;
    double failedRate = 0;
    double okRate = 0;
    for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
      Object v = e.getValue().metricValue();
      if (!(v instanceof Double)) {
        continue;
      }
      switch (e.getKey().name()) {
        case CONNECTION_CREATION_TOTAL:
          created += (Double) v;
          break;
        case CONNECTION_CLOSE_TOTAL:
          closed += (Double) v;
          break;
        case SUCCESSFUL_AUTHENTICATION_TOTAL:
          authenticated += (Double) v;
          break;
        case FAILED_AUTHENTICATION_TOTAL:
          failed += (Double) v;
          break;
        case FAILED_AUTHENTICATION_RATE:
          if (!((Double) v).isNaN()) {
            failedRate += (Double) v;
          }
          break;
        case SUCCESSFUL_AUTHENTICATION_RATE:
          if (!((Double) v).isNaN()) {
            okRate += (Double) v;
          }
          break;
        default:
          break;
      }
    }
    return new Connections(created, closed, authenticated, failed, failedRate, okRate);
  }

  // ---------------------------------------------------------------- a private field

  private static final String TRANSACTION_MANAGER_FIELD = "transactionManager";
  private static final String HAS_PRODUCER_ID_METHOD = "hasProducerId";

  /**
   * Whether an idempotent Kafka producer has its producer id, read from its private {@code
   * transactionManager} (no public API tells). Empty when this Kafka version or producer does not
   * show it: callers then decide on public signals alone.
   *
   * @param kafka the producer
   * @return true or false, or empty if unknown
   */
  public static Optional<Boolean> hasProducerId(Producer<?, ?> kafka) {
    if (!(kafka instanceof KafkaProducer)) {
      return Optional.empty();
    }
    try {
      Field f = KafkaProducer.class.getDeclaredField(TRANSACTION_MANAGER_FIELD);
      f.setAccessible(true);
      Object tm = f.get(kafka);
      if (tm == null) {
        return Optional.empty();
      }
      Method m = tm.getClass().getMethod(HAS_PRODUCER_ID_METHOD);
      Object has = m.invoke(tm);
      return has instanceof Boolean ? Optional.of((Boolean) has) : Optional.empty();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return Optional.empty();
    }
  }

  // ---------------------------------------------------------------- message texts

  /** MSK's (and the testkit's) answer to too many new IAM connections per second. */
  static final String TOO_MANY_CONNECTS = "Too many connects";

  /** The broker's refusal of a re-authentication as another principal. */
  static final String PRINCIPAL_CHANGE = "Cannot change principals";

  /** KafkaProducer's {@code IllegalStateException} after close. */
  static final String PRODUCER_CLOSED = "Cannot perform operation after producer has been closed";

  /**
   * An idempotent producer's state after a fatal error ("Cannot execute transactional method
   * because we are in an error state"), as kafka-clients 4.x says it; 3.8 repeats the fatal
   * cause itself, which callers check by type first.
   */
  static final String ERROR_STATE = "in an error state";

  /**
   * The mechanisms a port offers, in the client's "Client SASL mechanism 'X' not enabled in the
   * server, enabled mechanisms are [...]" (a SASL port of another mechanism) or "Unexpected
   * handshake request with client mechanism X, enabled mechanisms are []" (a port without SASL).
   */
  private static final Pattern ENABLED_MECHANISMS = Pattern.compile("enabled mechanisms are \\[([^\\]]*)\\]");

  /** Whether a failure, or one of its causes, is MSK's "Too many connects". */
  public static boolean isTooManyConnects(Throwable t) {
    return Causes.anyMessageContains(t, TOO_MANY_CONNECTS);
  }

  /** Whether the broker refused a re-authentication that presented another principal. */
  public static boolean isPrincipalChange(Throwable t) {
    return Causes.anyMessageContains(t, PRINCIPAL_CHANGE);
  }

  /** Whether a failure says the Kafka producer was closed. */
  public static boolean isProducerClosed(Throwable t) {
    return t instanceof IllegalStateException && String.valueOf(t.getMessage()).contains(PRODUCER_CLOSED);
  }

  /** Whether a failure, or one of its causes, says the producer is in a fatal error state. */
  public static boolean isErrorState(Throwable t) {
    return Causes.anyMessageContains(t, ERROR_STATE);
  }

  /**
   * The mechanisms a broker said it offers, from the client's {@code
   * UnsupportedSaslMechanismException}; empty list when it offers none (a port without SASL).
   *
   * @param message the exception's message
   * @return the mechanisms, or empty if the message does not say
   */
  public static Optional<List<String>> enabledMechanisms(String message) {
    Matcher m = ENABLED_MECHANISMS.matcher(String.valueOf(message));
    if (!m.find()) {
      return Optional.empty();
    }
    String list = m.group(1).trim();
    return Optional.of(list.isEmpty() ? List.of() : List.of(list.split("\\s*,\\s*")));
  }


  // ---------------------------------------------------------------- versions

  /**
   * The version of the kafka-clients in use, read as Kafka reads it ({@code
   * kafka/kafka-version.properties}; its reader's package changed between 3.x and 4.x).
   *
   * @return e.g. {@code 3.9.1}, or {@code unknown}
   */
  public static String clientsVersion() {
    try (java.io.InputStream in =
        KafkaProducer.class.getClassLoader() == null
            ? null
            : KafkaProducer.class.getClassLoader().getResourceAsStream("kafka/kafka-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      java.util.Properties p = new java.util.Properties();
      p.load(in);
      return p.getProperty("version", "unknown").trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /**
   * The producer properties that leave out Kafka's JMX reporter (an MBean per metric, registered
   * as the producer starts): an empty {@code metric.reporters}, and before Kafka 4.0 also {@code
   * auto.include.jmx.reporter=false}, which 4.0 removed (naming it there logs a warning). The
   * {@code app-info} MBean Kafka registers for every client stays.
   *
   * @param clientsVersion the kafka-clients version
   * @return the properties
   */
  public static Map<String, String> withoutJmxReporter(String clientsVersion) {
    int major;
    try {
      major = Integer.parseInt(clientsVersion.substring(0, clientsVersion.indexOf('.')));
    } catch (RuntimeException e) {
      major = 4;
    }
    return major < 4
        ? Map.of("metric.reporters", "", "auto.include.jmx.reporter", "false")
        : Map.of("metric.reporters", "");
  }

  /**
   * Whether SCRAM cannot work: kafka-clients before 3.9 call {@code Subject.getSubject} in their
   * SCRAM client, which Java 23 and later refuse ("getSubject is not supported"); seen in
   * docs/compatibility.md with 3.8.1 on Java 25, and not with 3.9.2.
   *
   * @param clientsVersion the kafka-clients version
   * @param javaFeature the Java feature release, e.g. 25
   * @return true if SCRAM fails on this combination
   */
  public static boolean scramBroken(String clientsVersion, int javaFeature) {
    if (javaFeature < 23) {
      return false;
    }
    String[] parts = clientsVersion.split("[.-]");
    try {
      int major = Integer.parseInt(parts[0]);
      int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      return major < 3 || (major == 3 && minor < 9);
    } catch (NumberFormatException e) {
      return false; // unknown: let it try
    }
  }

  // ---------------------------------------------------------------- internal class names

  /**
   * Kafka's protocol tables whose static initialisers build every request and response schema
   * and an exception per error code: initialised ahead by the start's warm-up. Missing ones are
   * skipped.
   */
  public static final List<String> PROTOCOL_TABLES =
      List.of(
          "org.apache.kafka.common.message.ApiMessageType",
          "org.apache.kafka.common.protocol.ApiKeys",
          "org.apache.kafka.common.protocol.Errors");

  /**
   * Kafka classes of the send path that a SnapStart snapshot should hold already loaded. Missing
   * ones are skipped (only a head start is lost).
   */
  public static final List<String> SEND_PATH_CLASSES =
      List.of(
          "org.apache.kafka.clients.producer.internals.RecordAccumulator",
          "org.apache.kafka.clients.producer.internals.Sender",
          "org.apache.kafka.clients.producer.internals.ProducerBatch",
          "org.apache.kafka.clients.producer.internals.TransactionManager",
          "org.apache.kafka.clients.NetworkClient",
          "org.apache.kafka.common.network.SslTransportLayer",
          "org.apache.kafka.common.security.authenticator.SaslClientAuthenticator",
          "org.apache.kafka.common.security.oauthbearer.internals.OAuthBearerSaslClient",
          "org.apache.kafka.common.requests.ProduceRequest",
          "org.apache.kafka.common.requests.MetadataRequest",
          "org.apache.kafka.common.compress.Lz4BlockOutputStream");
}
