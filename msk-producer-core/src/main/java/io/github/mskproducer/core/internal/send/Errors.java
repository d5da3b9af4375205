package io.github.mskproducer.core.internal.send;

import io.github.mskproducer.core.internal.Causes;
import io.github.mskproducer.core.MskAuthenticationException;
import io.github.mskproducer.core.MskAuthorizationException;
import io.github.mskproducer.core.MskAuthorizationException.IamAction;
import io.github.mskproducer.core.MskDeliveryException;
import io.github.mskproducer.core.MskProducerClosedException;
import io.github.mskproducer.core.MskProducerException;
import io.github.mskproducer.core.internal.auth.AccessKeys;
import io.github.mskproducer.core.internal.auth.CredentialsException;
import io.github.mskproducer.core.internal.kafka.KafkaClientFacts;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;

/**
 * Turns what Kafka reports into msk-producer's exceptions, each with what to do. Messages name
 * topic, partition and a key hash, never a value or a secret.
 *
 * <p>A little over 500 lines because it is the one place where each of Kafka's failures gets
 * its type and its advice, most of them a sentence or two of text; splitting it by failure
 * would scatter the one table a maintainer reads to see what a user is told.
 */
public final class Errors {
  /** What the messages can say about this producer. */
  public static final class Context {
    final String bootstrap;
    final String mechanism;
    final String region;
    final boolean idempotence;
    final Duration maxBlock;
    final Duration delivery;
    final java.util.function.Supplier<String> accessKeyId;

    public Context(
        String bootstrap,
        String mechanism,
        String region,
        boolean idempotence,
        Duration maxBlock,
        Duration delivery,
        java.util.function.Supplier<String> accessKeyId) {
      this.bootstrap = bootstrap;
      this.mechanism = mechanism;
      this.region = region;
      this.idempotence = idempotence;
      this.maxBlock = maxBlock;
      this.delivery = delivery;
      this.accessKeyId = accessKeyId;
    }

    /** The context of a resolved configuration. */
    public static Context of(
        io.github.mskproducer.core.internal.config.Settings s,
        java.util.function.Supplier<String> accessKeyId) {
      return new Context(
          s.bootstrap(),
          s.auth().mechanism().toString(),
          s.region(),
          s.idempotence(),
          s.timeouts().maxBlock(),
          s.timeouts().delivery(),
          accessKeyId);
    }
  }

  private final Context ctx;
  /** The Kafka producer's metrics, once it exists: what its connections did. */
  private volatile Supplier<Map<MetricName, ? extends Metric>> metrics;

  public Errors(Context ctx) {
    this.ctx = ctx;
  }

  /** Lets messages say what the producer's connections did (read from its metrics). */
  public void connectionMetrics(Supplier<Map<MetricName, ? extends Metric>> metrics) {
    this.metrics = metrics;
  }

  /**
   * If the producer's connections are failing authentication now (Kafka's failed-authentication
   * rate over its recent window), what that means for a record that timed out: Kafka keeps
   * retrying such connections, so its records just time out, without the cause.
   */
  private String failingAuthentications() {
    Supplier<Map<MetricName, ? extends Metric>> m = metrics;
    if (m == null) {
      return null;
    }
    long now = System.nanoTime();
    KafkaClientFacts.Connections c = recentConnections;
    if (c == null || now - recentConnectionsAt > RECENT_CONNECTIONS_NANOS) {
      // Records expire in bulk, on Kafka's I/O thread: read the metrics once a second at most.
      try {
        c = KafkaClientFacts.connections(m.get());
      } catch (RuntimeException e) {
        return null; // a closed producer's metrics: say nothing rather than guess
      }
      recentConnections = c;
      recentConnectionsAt = now;
    }
    if (c.failedAuthenticationRate <= 0 || c.failedAuthenticationRate < c.successfulAuthenticationRate) {
      return null;
    }
    return "the connections to the brokers "
        + ctx.bootstrap
        + " are failing authentication now ("
        + (long) c.failedAuthentications
        + " failed so far, more than succeed), which alone keeps records from being sent: either"
        + " the TLS handshake (a broker certificate this client does not trust: check"
        + " truststore(...), or the JVM's default truststore for MSK) or the "
        + ctx.mechanism
        + " authentication (credentials, region, clock); the client log's \"failed"
        + " authentication due to\" lines say which";
  }

  private static final long RECENT_CONNECTIONS_NANOS = 1_000_000_000L;
  private volatile KafkaClientFacts.Connections recentConnections;
  private volatile long recentConnectionsAt;

  /**
   * Why no metadata came, as far as the connections tell: none made, none through TLS and
   * authentication, or connections fine (then the topic is the likely cause).
   */
  private String metadataTimeoutHint() {
    String topicAndNetwork =
        "check that the topic exists (MSK does not create topics by default) and that"
            + " the brokers "
            + ctx.bootstrap
            + " are reachable (security group, network, port)";
    Supplier<Map<MetricName, ? extends Metric>> source = metrics;
    if (source == null) {
      return topicAndNetwork;
    }
    double created;
    double authenticated;
    try {
      KafkaClientFacts.Connections c = KafkaClientFacts.connections(source.get());
      created = c.created;
      authenticated = c.authenticated;
    } catch (RuntimeException e) {
      return topicAndNetwork;
    }
    if (created > 0 && authenticated == 0 && !"PLAINTEXT".equals(ctx.mechanism)) {
      return String.format(
          Locale.ROOT,
          "%.0f connection(s) to %s opened, none got through TLS and authentication (closed"
              + " during set-up): check that the port speaks TLS for auth %s (MSK: 9098 for IAM,"
              + " 9094 for TLS, 9096 for SCRAM; 9092 is plaintext) and that nothing on the path"
              + " blocks TLS",
          created,
          ctx.bootstrap,
          ctx.mechanism);
    }
    if (created == 0) {
      return "no connection to the brokers "
          + ctx.bootstrap
          + " could be opened: check the host names, the port, the security group and the"
          + " network path";
    }
    String failingAuth = failingAuthentications();
    if (failingAuth != null) {
      // They worked, but fail now (a rotated certificate, expired credentials): the topic is
      // not the cause, whatever metadata the client had. (Never authenticated: the branch
      // above, which also covers a port that does not speak TLS.)
      return failingAuth;
    }
    return "the connections to the brokers work, so check that the topic exists (MSK does not"
        + " create topics by default) and is spelled right, or, if the brokers answer slowly, that"
        + " timeouts.maxBlock leaves them time";
  }

  /** Whether a failure before the buffer may pass if the send is tried again. */
  public static boolean retriableBeforeBuffer(Throwable t) {
    Throwable c = unwrap(t);
    if (c instanceof SaslAuthenticationException) {
      return KafkaClientFacts.isTooManyConnects(c);
    }
    if (c instanceof BufferExhaustedException) {
      // Kafka already waited max block for buffer space: waiting again would make send block
      // longer than the caller allowed, while the buffer is full because the brokers are slow.
      return false;
    }
    return c instanceof TimeoutException || c instanceof UnknownTopicOrPartitionException;
  }

  /**
   * The exception for a record's failure.
   *
   * @param beforeBuffer true if the record never reached the buffer (failed inside send)
   */
  public MskProducerException forRecord(
      Throwable failure, ProducerRecord<?, ?> record, boolean beforeBuffer) {
    Throwable t = unwrap(failure);
    if (t instanceof MskProducerException) {
      return (MskProducerException) t;
    }
    if (KafkaClientFacts.isProducerClosed(t)) {
      return closedWhileRunning("nothing was sent to topic " + record.topic(), t);
    }
    MskProducerException auth = authentication(t);
    if (auth != null) {
      return auth;
    }
    // Kafka may wrap these, e.g. "Cannot execute transactional method because we are in an
    // error state" once InitProducerId was refused.
    TopicAuthorizationException topicDenied = Causes.find(t, TopicAuthorizationException.class).orElse(null);
    ClusterAuthorizationException clusterDenied = Causes.find(t, ClusterAuthorizationException.class).orElse(null);
    if (topicDenied != null) {
      IamAction action = beforeBuffer ? IamAction.DESCRIBE_TOPIC : IamAction.WRITE_DATA;
      return new MskAuthorizationException(
          action,
          record.topic(),
          "not authorized to "
              + (beforeBuffer ? "describe" : "write to")
              + " topic "
              + record.topic()
              + ": the IAM policy of "
              + identity()
              + " must allow "
              + action.action()
              + " on arn:aws:kafka:"
              + ctx.region
              + ":<account>:topic/<cluster name>/<cluster uuid>/"
              + record.topic(),
          t);
    }
    if (clusterDenied != null) {
      IamAction action = ctx.idempotence ? IamAction.WRITE_DATA_IDEMPOTENTLY : IamAction.CONNECT;
      return new MskAuthorizationException(
          action,
          "cluster",
          "not authorized on the cluster: the IAM policy of "
              + identity()
              + " must allow "
              + action.action()
              + " on arn:aws:kafka:"
              + ctx.region
              + ":<account>:cluster/<cluster name>/<cluster uuid>"
              + (ctx.idempotence
                  ? " (idempotent writes, on by default; or turn them off with idempotence(false)"
                      + " and lose their protection against duplicates)"
                  : ""),
          t);
    }
    return delivery(t, record, beforeBuffer);
  }

  /**
   * A call racing close(), refused by Kafka as closed: nothing was sent. The same type as a call
   * made after close(), whose outcome it is.
   */
  private static MskProducerClosedException closedWhileRunning(String what, Throwable kafkas) {
    return new MskProducerClosedException(
        "the producer was closed while this call ran: "
            + what
            + " ("
            + kafkas.getClass().getSimpleName()
            + ": "
            + kafkas.getMessage()
            + "); build a new producer",
        kafkas);
  }

  /** For failures with no record (building the producer, flushing, closing). */
  public MskProducerException general(Throwable failure, String what) {
    Throwable t = unwrap(failure);
    if (t instanceof MskProducerException) {
      return (MskProducerException) t;
    }
    if (KafkaClientFacts.isProducerClosed(t)) {
      return closedWhileRunning(what, t);
    }
    MskProducerException auth = authentication(t);
    if (auth != null) {
      return auth;
    }
    return new MskProducerException(
        what + ": " + t.getClass().getSimpleName() + ": " + t.getMessage(),
        t,
        t instanceof RetriableException);
  }

  private MskProducerException authentication(Throwable t) {
    CredentialsException credentials = Causes.find(t, CredentialsException.class).orElse(null);
    if (credentials != null) {
      MskAuthenticationException.Reason reason =
          credentials.kind() == CredentialsException.Kind.EXPIRED
              ? MskAuthenticationException.Reason.CREDENTIALS_EXPIRED
              : MskAuthenticationException.Reason.NO_CREDENTIALS;
      return new MskAuthenticationException(reason, credentials.getMessage(), t);
    }
    if (Causes.find(t, SslAuthenticationException.class).isPresent()) {
      return new MskAuthenticationException(
          MskAuthenticationException.Reason.OTHER,
          "TLS handshake with the brokers "
              + ctx.bootstrap
              + " failed: "
              + t.getMessage()
              + ". Check the port matches auth "
              + ctx.mechanism
              + " and that the broker certificate is trusted (MSK's is, by the JVM's default"
              + " truststore; a local broker's needs truststore(...))",
          t);
    }
    AuthenticationException authFailure = Causes.find(t, AuthenticationException.class).orElse(null);
    if (authFailure == null) {
      return null;
    }
    // A port without the mechanism: the SCRAM port answers UnsupportedSaslMechanismException,
    // a port without SASL IllegalSaslStateException; both name the mechanisms it offers.
    if (authFailure instanceof UnsupportedSaslMechanismException
        || KafkaClientFacts.enabledMechanisms(authFailure.getMessage()).isPresent()) {
      return mechanismNotEnabled(authFailure);
    }
    String msg = String.valueOf(authFailure.getMessage());
    if (KafkaClientFacts.isTooManyConnects(t)) {
      return new MskAuthenticationException(
          MskAuthenticationException.Reason.TOO_MANY_CONNECTS,
          "the broker refused a new IAM connection: Too many connects (MSK limits new IAM"
              + " connections per broker per second). Create producers once and share them,"
              + " stagger start-up, keep reconnect back-off at 1 s or more; retrying later helps",
          t);
    }
    if (KafkaClientFacts.isPrincipalChange(t)) {
      return new MskAuthenticationException(
          MskAuthenticationException.Reason.PRINCIPAL_CHANGED,
          "re-authentication presented another principal than the connection started with: the"
              + " credentials changed identity (a role session name that changes, or a different"
              + " role). Use a fixed role session name (auth iam(c -> c.assumeRole(arn, name)))",
          t);
    }
    if (ctx.region == null) {
      return new MskAuthenticationException(
          MskAuthenticationException.Reason.OTHER,
          "authentication with the brokers " + ctx.bootstrap + " failed: " + msg,
          t);
    }
    return new MskAuthenticationException(
        MskAuthenticationException.Reason.INVALID_TOKEN,
        "the brokers "
            + ctx.bootstrap
            + " rejected the IAM token signed for region "
            + ctx.region
            + " (host kafka."
            + ctx.region
            + ".amazonaws.com) with "
            + identity()
            + ". Check that: the region is the cluster's; the secret belongs to that key and the"
            + " key is active; this machine's clock is within 5 minutes of real time; the"
            + " policy allows kafka-cluster:Connect. Broker said: "
            + msg,
        t);
  }

  /** Which MSK port an authentication uses, as advice. */
  public static String portFor(String mechanism) {
    switch (mechanism) {
      case "IAM":
      case "IAM_LEGACY":
        return "IAM uses port 9098 (in the VPC) or 9198 (public access)";
      case "SCRAM_SHA_512":
        return "SCRAM uses port 9096 (in the VPC) or 9196 (public access)";
      case "TLS":
        return "TLS uses port 9094 (in the VPC) or 9194 (public access)";
      default:
        return "plaintext uses port 9092";
    }
  }

  private MskAuthenticationException mechanismNotEnabled(AuthenticationException e) {
    java.util.Optional<java.util.List<String>> offered =
        KafkaClientFacts.enabledMechanisms(e.getMessage());
    String offers;
    if (offered.isEmpty()) {
      offers = "do not offer the mechanism this client uses";
    } else if (offered.get().isEmpty()) {
      offers = "offer no SASL mechanism on this port: it is a TLS-only or plaintext port (MSK's 9094 or 9092)";
    } else {
      offers =
          "offer only "
              + String.join(", ", offered.get())
              + " on this port"
              + (offered.get().stream().anyMatch(m -> m.startsWith("SCRAM"))
                  ? ": it is a SCRAM port (MSK's 9096 or 9196)"
                  : "");
    }
    String use = portFor(ctx.mechanism);
    return new MskAuthenticationException(
        MskAuthenticationException.Reason.MECHANISM_NOT_ENABLED,
        "the brokers "
            + ctx.bootstrap
            + " "
            + offers
            + ", but auth "
            + ctx.mechanism
            + " needs its own: check the port in the bootstrap servers; "
            + use,
        e);
  }

  private MskDeliveryException delivery(
      Throwable t, ProducerRecord<?, ?> record, boolean beforeBuffer) {
    String hint;
    boolean retriable = t instanceof RetriableException;
    if (t instanceof TopicNotFoundException) {
      hint =
          "create it (MSK does not create topics by default) or correct the name; nothing was"
              + " sent";
      retriable = false;
    } else if (t instanceof BufferExhaustedException) {
      hint =
          "the producer's buffer (buffer.memory) stayed full for timeouts.maxBlock ("
              + ctx.maxBlock
              + "): records are sent faster than the brokers acknowledge them (a slow or"
              + " unreachable broker, a throttled client); nothing was sent. Slow down or wait"
              + " for earlier sends, raise timeouts.maxBlock, or raise buffer.memory with"
              + " property(\"buffer.memory\", ...) on the builder";
      retriable = true;
    } else if (t instanceof TimeoutException && beforeBuffer) {
      hint =
          "no metadata for the topic within timeouts.maxBlock ("
              + ctx.maxBlock
              + "): "
              + metadataTimeoutHint();
    } else if (t instanceof TimeoutException) {
      String failingAuth = failingAuthentications();
      hint =
          "not acknowledged within timeouts.delivery ("
              + ctx.delivery
              + "): the brokers were unreachable or too slow, the partition had no leader, or it"
              + " had fewer in-sync replicas than the topic's min.insync.replicas (with acks=all"
              + " the leader refuses the write, NOT_ENOUGH_REPLICAS, and Kafka retries it until"
              + " this timeout; check the cluster's under-min-ISR partitions)"
              + (failingAuth == null ? "" : "; and " + failingAuth)
              + "; its delivery is unknown, so sending it again may duplicate it";
    } else if (t instanceof RecordTooLargeException) {
      hint =
          "the record is larger than the producer's max.request.size (1 MiB unless set) or the"
              + " topic's max.message.bytes: make it smaller, or raise both (the producer's with"
              + " property(\"max.request.size\", ...) on the builder, the topic's on the cluster)";
      retriable = false;
    } else if (t instanceof SerializationException) {
      hint = "the key or value could not be serialized: check the serializers";
      retriable = false;
    } else if (t instanceof InterruptException || t instanceof InterruptedException) {
      hint = "the sending thread was interrupted";
      retriable = false;
    } else {
      hint = retriable ? "it may pass if sent again" : "sending it again will not help";
    }
    Integer partition = record.partition();
    Integer keyHash = record.key() == null ? null : record.key().hashCode();
    return new MskDeliveryException(
        "record for topic "
            + record.topic()
            + (partition == null ? "" : " partition " + partition)
            + (keyHash == null ? "" : " (key hash " + keyHash + ")")
            + " was not "
            + (beforeBuffer ? "accepted" : "acknowledged")
            + ": "
            + t.getClass().getSimpleName()
            + ": "
            + sentence(t.getMessage())
            + " "
            + Character.toUpperCase(hint.charAt(0))
            + hint.substring(1),
        t,
        retriable,
        record.topic(),
        partition,
        keyHash);
  }

  private String identity() {
    String key = ctx.accessKeyId.get();
    return key == null ? "the producer's credentials" : "access key " + AccessKeys.shown(key);
  }

  /** A message as one sentence: ending with one period, whether Kafka's had one or not. */
  static String sentence(String message) {
    String m = String.valueOf(message).trim();
    while (m.endsWith(".")) {
      m = m.substring(0, m.length() - 1);
    }
    return m + ".";
  }

  /** Strips the wrappers futures and our retry put around a failure. */
  public static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException
            || c instanceof ExecutionException
            || c instanceof PreBufferFailure)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

}
