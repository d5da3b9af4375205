package io.github.mskproducer.spring;

import io.github.mskproducer.core.Acks;
import io.github.mskproducer.core.Compression;
import io.github.mskproducer.core.FlushPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code msk.producer.*} properties. Every one is optional but the bootstrap servers; an
 * option left out keeps the SDK's default (see {@code MskProducerConfig}), so this class holds
 * no defaults of its own besides the serializers and the health check's. Bad values fail the
 * application's start with the property's name and the SDK's message.
 *
 * <p>This file is long (some 970 lines, half of it Javadoc) because Spring Boot binds
 * properties through getters and setters, and the IDE metadata takes each property's
 * description from its field's Javadoc: one documented field, getter and setter per property,
 * in nested classes by group. It holds no logic: the mapping to the SDK's config is {@code
 * internal.ConfigMapping}.
 */
@ConfigurationProperties(prefix = MskProducerProperties.PREFIX)
public class MskProducerProperties {
  /** Nothing set but the defaults. */
  public MskProducerProperties() {}

  /** The properties' prefix. */
  public static final String PREFIX = "msk.producer";

  /** Whether to create the producer beans at all. */
  private boolean enabled = true;

  /** The cluster's bootstrap brokers, host:port,... as 'aws kafka get-bootstrap-brokers' gives them. */
  private String bootstrapServers;

  /** The AWS region the IAM tokens are signed for; default: from the MSK host names, else AWS_REGION. */
  private String region;

  /** The client id; default: msk-producer-(random suffix). */
  private String clientId;

  /** Which acknowledgement a send waits for; default ALL. */
  private Acks acks;

  /** Whether the producer is idempotent (no duplicates on retries); default true. */
  private Boolean idempotence;

  /** The compression of record batches; default LZ4. */
  private Compression compression;

  /**
   * How long to wait for more records before sending a batch; default 10 ms (none with the
   * PER_SEND flush policy).
   */
  private Duration linger;

  /** The largest batch per partition, in bytes; default 65536. */
  private Integer batchSize;

  /** Whether each send waits for its acknowledgement (PER_SEND) or not (EXPLICIT, the default). */
  private FlushPolicy flushPolicy;

  /** Kafka producer properties the SDK does not manage itself, e.g. max.request.size. */
  private final Map<String, String> properties = new LinkedHashMap<>();

  /** The key serializer; default StringSerializer. */
  private Class<? extends Serializer<?>> keySerializer = stringSerializer();

  /** The value serializer; default StringSerializer. */
  private Class<? extends Serializer<?>> valueSerializer = stringSerializer();

  /** How long closing the producer with the application waits for records in flight. */
  private Duration closeTimeout = Duration.ofSeconds(10);

  private final Auth auth = new Auth();
  private final Truststore truststore = new Truststore();
  private final Timeouts timeouts = new Timeouts();
  private final Retry retry = new Retry();
  private final ReconnectBackoff reconnectBackoff = new ReconnectBackoff();
  private final Health health = new Health();

  @SuppressWarnings("unchecked")
  private static Class<? extends Serializer<?>> stringSerializer() {
    return (Class<? extends Serializer<?>>) (Class<?>) StringSerializer.class;
  }

  /** How the producer authenticates. */
  public static class Auth {
    /** Nothing set. */
    public Auth() {}

    /** IAM (default), IAM_LEGACY, TLS, SCRAM or PLAINTEXT. */
    private Mechanism mechanism = Mechanism.IAM;

    /** With IAM: an AWS profile of the shared config files; default: the default credentials chain. */
    private String profile;

    /** With IAM: a role to assume with STS. */
    private String roleArn;

    /** With IAM and a role: the role session name; default msk-producer. */
    private String roleSessionName;

    /** With IAM: a static access key id (for tests and local brokers, never production). */
    private String accessKeyId;

    /** With IAM and a static access key: its secret. */
    private String secretAccessKey;

    /** With IAM and a static access key: its session token, if temporary. */
    private String sessionToken;

    /** With SCRAM: the user name. */
    private String username;

    /** With SCRAM: the password. */
    private String password;

    /** The kinds of authentication. */
    public enum Mechanism {
      /** MSK IAM over SASL/OAUTHBEARER, signed by the SDK (port 9098). */
      IAM,
      /** MSK IAM over the legacy AWS_MSK_IAM mechanism (needs aws-msk-iam-auth). */
      IAM_LEGACY,
      /** TLS without client authentication (port 9094). */
      TLS,
      /** SASL/SCRAM-SHA-512 (port 9096). */
      SCRAM,
      /** No encryption, no authentication (port 9092): local development only. */
      PLAINTEXT
    }

    /**
     * IAM (default), IAM_LEGACY, TLS, SCRAM or PLAINTEXT.
     *
     * @return the value
     */
    public Mechanism getMechanism() {
      return mechanism;
    }

    /**
     * Sets: iAM (default), IAM_LEGACY, TLS, SCRAM or PLAINTEXT.
     *
     * @param mechanism the value
     */
    public void setMechanism(Mechanism mechanism) {
      this.mechanism = mechanism;
    }

    /**
     * With IAM: an AWS profile of the shared config files; default: the default credentials chain.
     *
     * @return the value
     */
    public String getProfile() {
      return profile;
    }

    /**
     * Sets: with IAM: an AWS profile of the shared config files; default: the default credentials chain.
     *
     * @param profile the value
     */
    public void setProfile(String profile) {
      this.profile = profile;
    }

    /**
     * With IAM: a role to assume with STS.
     *
     * @return the value
     */
    public String getRoleArn() {
      return roleArn;
    }

    /**
     * Sets: with IAM: a role to assume with STS.
     *
     * @param roleArn the value
     */
    public void setRoleArn(String roleArn) {
      this.roleArn = roleArn;
    }

    /**
     * With IAM and a role: the role session name; default msk-producer.
     *
     * @return the value
     */
    public String getRoleSessionName() {
      return roleSessionName;
    }

    /**
     * Sets: with IAM and a role: the role session name; default msk-producer.
     *
     * @param roleSessionName the value
     */
    public void setRoleSessionName(String roleSessionName) {
      this.roleSessionName = roleSessionName;
    }

    /**
     * With IAM: a static access key id (for tests and local brokers, never production).
     *
     * @return the value
     */
    public String getAccessKeyId() {
      return accessKeyId;
    }

    /**
     * Sets: with IAM: a static access key id (for tests and local brokers, never production).
     *
     * @param accessKeyId the value
     */
    public void setAccessKeyId(String accessKeyId) {
      this.accessKeyId = accessKeyId;
    }

    /**
     * With IAM and a static access key: its secret.
     *
     * @return the value
     */
    public String getSecretAccessKey() {
      return secretAccessKey;
    }

    /**
     * Sets: with IAM and a static access key: its secret.
     *
     * @param secretAccessKey the value
     */
    public void setSecretAccessKey(String secretAccessKey) {
      this.secretAccessKey = secretAccessKey;
    }

    /**
     * With IAM and a static access key: its session token, if temporary.
     *
     * @return the value
     */
    public String getSessionToken() {
      return sessionToken;
    }

    /**
     * Sets: with IAM and a static access key: its session token, if temporary.
     *
     * @param sessionToken the value
     */
    public void setSessionToken(String sessionToken) {
      this.sessionToken = sessionToken;
    }

    /**
     * With SCRAM: the user name.
     *
     * @return the value
     */
    public String getUsername() {
      return username;
    }

    /**
     * Sets: with SCRAM: the user name.
     *
     * @param username the value
     */
    public void setUsername(String username) {
      this.username = username;
    }

    /**
     * The PKCS12 truststore's password.
     *
     * @return the value
     */
    public String getPassword() {
      return password;
    }

    /**
     * Sets: the PKCS12 truststore's password.
     *
     * @param password the value
     */
    public void setPassword(String password) {
      this.password = password;
    }
  }

  /** The brokers' certificate authority, when not the JVM's (MSK's certificates need none). */
  public static class Truststore {
    /** Nothing set. */
    public Truststore() {}

    /** A PEM file of trusted certificates. */
    private Path pem;

    /** A PKCS12 truststore file (with password). */
    private Path pkcs12;

    /** The PKCS12 truststore's password. */
    private String password;

    /**
     * A PEM file of trusted certificates.
     *
     * @return the value
     */
    public Path getPem() {
      return pem;
    }

    /**
     * Sets: a PEM file of trusted certificates.
     *
     * @param pem the value
     */
    public void setPem(Path pem) {
      this.pem = pem;
    }

    /**
     * A PKCS12 truststore file (with password).
     *
     * @return the value
     */
    public Path getPkcs12() {
      return pkcs12;
    }

    /**
     * Sets: a PKCS12 truststore file (with password).
     *
     * @param pkcs12 the value
     */
    public void setPkcs12(Path pkcs12) {
      this.pkcs12 = pkcs12;
    }

    /**
     * The PKCS12 truststore's password.
     *
     * @return the value
     */
    public String getPassword() {
      return password;
    }

    /**
     * Sets: the PKCS12 truststore's password.
     *
     * @param password the value
     */
    public void setPassword(String password) {
      this.password = password;
    }
  }

  /** The producer's timeouts; each left out keeps Kafka's default. */
  public static class Timeouts {
    /** Nothing set. */
    public Timeouts() {}

    /** How long to wait for a broker's answer to one request (request.timeout.ms). */
    private Duration request;

    /** How long a record may take from send to acknowledgement, retries included (delivery.timeout.ms). */
    private Duration delivery;

    /** How long send may block for metadata or buffer space (max.block.ms). */
    private Duration maxBlock;

    /** How long a new connection may take to set up (socket.connection.setup.timeout.ms). */
    private Duration connectionSetup;

    /** The longest connection set-up timeout after back-off (socket.connection.setup.timeout.max.ms). */
    private Duration connectionSetupMax;

    /**
     * How long to wait for a broker's answer to one request (request.timeout.ms).
     *
     * @return the value
     */
    public Duration getRequest() {
      return request;
    }

    /**
     * Sets: how long to wait for a broker's answer to one request (request.timeout.ms).
     *
     * @param request the value
     */
    public void setRequest(Duration request) {
      this.request = request;
    }

    /**
     * How long a record may take from send to acknowledgement, retries included (delivery.timeout.ms).
     *
     * @return the value
     */
    public Duration getDelivery() {
      return delivery;
    }

    /**
     * Sets: how long a record may take from send to acknowledgement, retries included (delivery.timeout.ms).
     *
     * @param delivery the value
     */
    public void setDelivery(Duration delivery) {
      this.delivery = delivery;
    }

    /**
     * How long send may block for metadata or buffer space (max.block.ms).
     *
     * @return the value
     */
    public Duration getMaxBlock() {
      return maxBlock;
    }

    /**
     * Sets: how long send may block for metadata or buffer space (max.block.ms).
     *
     * @param maxBlock the value
     */
    public void setMaxBlock(Duration maxBlock) {
      this.maxBlock = maxBlock;
    }

    /**
     * How long a new connection may take to set up (socket.connection.setup.timeout.ms).
     *
     * @return the value
     */
    public Duration getConnectionSetup() {
      return connectionSetup;
    }

    /**
     * Sets: how long a new connection may take to set up (socket.connection.setup.timeout.ms).
     *
     * @param connectionSetup the value
     */
    public void setConnectionSetup(Duration connectionSetup) {
      this.connectionSetup = connectionSetup;
    }

    /**
     * The longest connection set-up timeout after back-off (socket.connection.setup.timeout.max.ms).
     *
     * @return the value
     */
    public Duration getConnectionSetupMax() {
      return connectionSetupMax;
    }

    /**
     * Sets: the longest connection set-up timeout after back-off (socket.connection.setup.timeout.max.ms).
     *
     * @param connectionSetupMax the value
     */
    public void setConnectionSetupMax(Duration connectionSetupMax) {
      this.connectionSetupMax = connectionSetupMax;
    }
  }

  /** Retries of sends that failed before reaching Kafka's buffer (missing metadata, a full buffer). */
  public static class Retry {
    /** Nothing set. */
    public Retry() {}

    /** Attempts in all, the first included; 1 turns retries off. */
    private Integer maxAttempts;

    /** The first pause between attempts. */
    private Duration initialBackoff;

    /** The longest pause between attempts. */
    private Duration maxBackoff;

    /** How long after the first attempt a retry may still start; default max block. */
    private Duration maxElapsed;

    /**
     * Attempts in all, the first included; 1 turns retries off.
     *
     * @return the value
     */
    public Integer getMaxAttempts() {
      return maxAttempts;
    }

    /**
     * Sets: attempts in all, the first included; 1 turns retries off.
     *
     * @param maxAttempts the value
     */
    public void setMaxAttempts(Integer maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    /**
     * The first pause between attempts.
     *
     * @return the value
     */
    public Duration getInitialBackoff() {
      return initialBackoff;
    }

    /**
     * Sets: the first pause between attempts.
     *
     * @param initialBackoff the value
     */
    public void setInitialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
    }

    /**
     * The longest pause between attempts.
     *
     * @return the value
     */
    public Duration getMaxBackoff() {
      return maxBackoff;
    }

    /**
     * Sets: the longest pause between attempts.
     *
     * @param maxBackoff the value
     */
    public void setMaxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
    }

    /**
     * How long after the first attempt a retry may still start; default max block.
     *
     * @return the value
     */
    public Duration getMaxElapsed() {
      return maxElapsed;
    }

    /**
     * Sets: how long after the first attempt a retry may still start; default max block.
     *
     * @param maxElapsed the value
     */
    public void setMaxElapsed(Duration maxElapsed) {
      this.maxElapsed = maxElapsed;
    }
  }

  /** The pause before reconnecting to a broker, growing from initial to max (MSK advises 1 s or more). */
  public static class ReconnectBackoff {
    /** Nothing set. */
    public ReconnectBackoff() {}

    /** The first pause; default 1 s. */
    private Duration initial;

    /** The longest pause; default 10 s. */
    private Duration max;

    /**
     * The first pause; default 1 s.
     *
     * @return the value
     */
    public Duration getInitial() {
      return initial;
    }

    /**
     * Sets: the first pause; default 1 s.
     *
     * @param initial the value
     */
    public void setInitial(Duration initial) {
      this.initial = initial;
    }

    /**
     * The longest pause; default 10 s.
     *
     * @return the value
     */
    public Duration getMax() {
      return max;
    }

    /**
     * Sets: the longest pause; default 10 s.
     *
     * @param max the value
     */
    public void setMax(Duration max) {
      this.max = max;
    }
  }

  /** The Actuator health check (management.health.msk-producer.enabled turns it off). */
  public static class Health {
    /** Nothing set. */
    public Health() {}

    /** The longest a health request waits for a check; after it, the last result is shown. */
    private Duration timeout = Duration.ofSeconds(5);

    /** How long a result is reused before the next request runs the checks again. */
    private Duration cacheTtl = Duration.ofSeconds(30);

    /** Topics whose existence and describe permission the check also verifies. */
    private final List<String> topics = new ArrayList<>();

    /**
     * The longest a health request waits for a check; after it, the last result is shown.
     *
     * @return the value
     */
    public Duration getTimeout() {
      return timeout;
    }

    /**
     * Sets: the longest a health request waits for a check; after it, the last result is shown.
     *
     * @param timeout the value
     */
    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    /**
     * How long a result is reused before the next request runs the checks again.
     *
     * @return the value
     */
    public Duration getCacheTtl() {
      return cacheTtl;
    }

    /**
     * Sets: how long a result is reused before the next request runs the checks again.
     *
     * @param cacheTtl the value
     */
    public void setCacheTtl(Duration cacheTtl) {
      this.cacheTtl = cacheTtl;
    }

    /**
     * Topics whose existence and describe permission the check also verifies.
     *
     * @return the value
     */
    public List<String> getTopics() {
      return topics;
    }
  }

  /**
   * Whether to create the producer beans at all.
   *
   * @return the value
   */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * Sets: whether to create the producer beans at all.
   *
   * @param enabled the value
   */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * The cluster's bootstrap brokers, host:port,... as 'aws kafka get-bootstrap-brokers' gives them.
   *
   * @return the value
   */
  public String getBootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Sets: the cluster's bootstrap brokers, host:port,... as 'aws kafka get-bootstrap-brokers' gives them.
   *
   * @param bootstrapServers the value
   */
  public void setBootstrapServers(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * The AWS region the IAM tokens are signed for; default: from the MSK host names, else AWS_REGION.
   *
   * @return the value
   */
  public String getRegion() {
    return region;
  }

  /**
   * Sets: the AWS region the IAM tokens are signed for; default: from the MSK host names, else AWS_REGION.
   *
   * @param region the value
   */
  public void setRegion(String region) {
    this.region = region;
  }

  /**
   * The client id; default: msk-producer-(random suffix).
   *
   * @return the value
   */
  public String getClientId() {
    return clientId;
  }

  /**
   * Sets: the client id; default: msk-producer-(random suffix).
   *
   * @param clientId the value
   */
  public void setClientId(String clientId) {
    this.clientId = clientId;
  }

  /**
   * Which acknowledgement a send waits for; default ALL.
   *
   * @return the value
   */
  public Acks getAcks() {
    return acks;
  }

  /**
   * Sets: which acknowledgement a send waits for; default ALL.
   *
   * @param acks the value
   */
  public void setAcks(Acks acks) {
    this.acks = acks;
  }

  /**
   * Whether the producer is idempotent (no duplicates on retries); default true.
   *
   * @return the value
   */
  public Boolean getIdempotence() {
    return idempotence;
  }

  /**
   * Sets: whether the producer is idempotent (no duplicates on retries); default true.
   *
   * @param idempotence the value
   */
  public void setIdempotence(Boolean idempotence) {
    this.idempotence = idempotence;
  }

  /**
   * The compression of record batches; default LZ4.
   *
   * @return the value
   */
  public Compression getCompression() {
    return compression;
  }

  /**
   * Sets: the compression of record batches; default LZ4.
   *
   * @param compression the value
   */
  public void setCompression(Compression compression) {
    this.compression = compression;
  }

  /**
   * How long to wait for more records before sending a batch; default 10 ms (none with the
   * PER_SEND flush policy).
   *
   * @return the value
   */
  public Duration getLinger() {
    return linger;
  }

  /**
   * Sets: how long to wait for more records before sending a batch; default 10 ms.
   *
   * @param linger the value
   */
  public void setLinger(Duration linger) {
    this.linger = linger;
  }

  /**
   * The largest batch per partition, in bytes; default 65536.
   *
   * @return the value
   */
  public Integer getBatchSize() {
    return batchSize;
  }

  /**
   * Sets: the largest batch per partition, in bytes; default 65536.
   *
   * @param batchSize the value
   */
  public void setBatchSize(Integer batchSize) {
    this.batchSize = batchSize;
  }

  /**
   * Whether each send waits for its acknowledgement (PER_SEND) or not (EXPLICIT, the default).
   *
   * @return the value
   */
  public FlushPolicy getFlushPolicy() {
    return flushPolicy;
  }

  /**
   * Sets: whether each send waits for its acknowledgement (PER_SEND) or not (EXPLICIT, the default).
   *
   * @param flushPolicy the value
   */
  public void setFlushPolicy(FlushPolicy flushPolicy) {
    this.flushPolicy = flushPolicy;
  }

  /**
   * Kafka producer properties the SDK does not manage itself, e.g. max.request.size.
   *
   * @return the value
   */
  public Map<String, String> getProperties() {
    return properties;
  }

  /**
   * The key serializer; default StringSerializer.
   *
   * @return the value
   */
  public Class<? extends Serializer<?>> getKeySerializer() {
    return keySerializer;
  }

  /**
   * Sets: the key serializer; default StringSerializer.
   *
   * @param keySerializer the value
   */
  public void setKeySerializer(Class<? extends Serializer<?>> keySerializer) {
    this.keySerializer = keySerializer;
  }

  /**
   * The value serializer; default StringSerializer.
   *
   * @return the value
   */
  public Class<? extends Serializer<?>> getValueSerializer() {
    return valueSerializer;
  }

  /**
   * Sets: the value serializer; default StringSerializer.
   *
   * @param valueSerializer the value
   */
  public void setValueSerializer(Class<? extends Serializer<?>> valueSerializer) {
    this.valueSerializer = valueSerializer;
  }

  /**
   * How long closing the producer with the application waits for records in flight.
   *
   * @return the value
   */
  public Duration getCloseTimeout() {
    return closeTimeout;
  }

  /**
   * Sets: how long closing the producer with the application waits for records in flight.
   *
   * @param closeTimeout the value
   */
  public void setCloseTimeout(Duration closeTimeout) {
    this.closeTimeout = closeTimeout;
  }

  /**
   * How the producer authenticates.
   *
   * @return the value
   */
  public Auth getAuth() {
    return auth;
  }

  /**
   * The brokers' certificate authority.
   *
   * @return the value
   */
  public Truststore getTruststore() {
    return truststore;
  }

  /**
   * The producer's timeouts.
   *
   * @return the value
   */
  public Timeouts getTimeouts() {
    return timeouts;
  }

  /**
   * Retries of sends that failed before the buffer.
   *
   * @return the value
   */
  public Retry getRetry() {
    return retry;
  }

  /**
   * The pause before reconnecting to a broker.
   *
   * @return the value
   */
  public ReconnectBackoff getReconnectBackoff() {
    return reconnectBackoff;
  }

  /**
   * The Actuator health check.
   *
   * @return the value
   */
  public Health getHealth() {
    return health;
  }
}
