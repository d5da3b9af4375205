package io.github.mskproducer.testkit;

import io.github.mskproducer.testkit.internal.broker.BrokerRuntime;
import io.github.mskproducer.testkit.internal.broker.ClusterLayout;
import io.github.mskproducer.testkit.internal.broker.Files2;
import io.github.mskproducer.testkit.internal.broker.KafkaClientsVersion;
import io.github.mskproducer.testkit.internal.broker.Nodes;
import io.github.mskproducer.testkit.internal.broker.TlsMaterial;
import io.github.mskproducer.testkit.internal.broker.SystemPropertyCredentials;
import io.github.mskproducer.testkit.internal.control.ControlFile;
import io.github.mskproducer.testkit.internal.control.IamSettings;
import io.github.mskproducer.testkit.internal.control.ServerClasses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * A real Apache Kafka cluster on this machine that behaves like an Amazon MSK cluster with IAM
 * access control: clients connect over TLS with SASL/OAUTHBEARER (or the legacy {@code
 * AWS_MSK_IAM}) and MSK IAM tokens, and the broker verifies each token's SigV4 signature for the
 * identities it knows. No AWS account, no Docker.
 *
 * <pre>{@code
 * try (LocalMskBroker msk = LocalMskBroker.builder().topic("orders", 3).start()) {
 *   Properties props = msk.mskIamClientProperties();    // bootstrap, TLS, SASL, aws-msk-iam-auth
 *   AwsCredentialsProvider creds = msk.credentialsProvider();  // the test identity
 *   ...
 * }
 * }</pre>
 *
 * <p>Every node is a combined KRaft broker and controller, bound to {@code 127.0.0.1} only and
 * advertised as {@code localhost}. The IAM listener's certificate is self-signed for {@code
 * localhost} and {@code 127.0.0.1}; clients trust it through {@link #truststorePem()} or {@link
 * #truststorePkcs12()} and keep hostname verification on. Admin work (topics, ACLs) goes through
 * an internal PLAINTEXT listener whose principal is a super user.
 *
 * <p>Principals are {@code User:<identity name>}. As for an IAM identity with a broad policy,
 * everything is allowed until you add DENY ACLs with {@link #deny} to reproduce authorization
 * failures; a DENY for one identity does not affect the others. As on MSK, an idempotent producer
 * needs {@link AclOperation#IDEMPOTENT_WRITE} on the cluster.
 *
 * <p>IAM knobs ({@link #addIdentity}, {@link #rotateIdentity}, {@link #setClockOffset}, ...)
 * apply at once, also to brokers in child processes, from the next authentication on. Close the
 * broker when done: {@link #close()} stops every node and deletes a data directory it created.
 *
 * <p>Thread-safe.
 */
public final class LocalMskBroker implements AutoCloseable {
  /** The default region. */
  public static final String DEFAULT_REGION = "us-east-1";

  /** The name of the identity made when the builder is given none. */
  public static final String DEFAULT_IDENTITY = "writer";

  private static final Logger LOG = LoggerFactory.getLogger(LocalMskBroker.class);
  static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
  private static final String CLUSTER_RESOURCE = "kafka-cluster";
  /** The oldest kafka-clients the testkit's admin calls work with (allTopicNames: 3.1). */
  private static final int MIN_CLIENTS_MAJOR = 3;
  private static final int MIN_CLIENTS_MINOR = 1;

  /** Where the Kafka nodes run. */
  public enum Mode {
    /** In this JVM: fastest to start; nodes cannot be killed or frozen alone. */
    IN_PROCESS,
    /**
     * Each node in its own JVM: slower to start, but a test can {@link #killBroker kill -9},
     * {@link #pauseBroker SIGSTOP} or restart it independently of the test JVM.
     */
    CHILD_PROCESS
  }

  /** The client listeners, standing in for MSK's ports. */
  public enum Listener {
    /** SASL_SSL with MSK IAM (OAUTHBEARER and AWS_MSK_IAM), like MSK's port 9098. Always on. */
    IAM,
    /** Unauthenticated plaintext, like MSK's port 9092. Off unless asked for. */
    PLAINTEXT,
    /** TLS without client authentication, like MSK's port 9094. Off unless asked for. */
    TLS,
    /**
     * SASL_SSL with SCRAM-SHA-512, like MSK's port 9096; add users with {@link
     * #addScramUser}. Off unless asked for.
     */
    SCRAM
  }

  /** A change that {@link #close()} undoes; closing twice is harmless. */
  public interface Restorable extends AutoCloseable {
    /** Undoes the change. */
    @Override
    void close();
  }

  private final Builder config;
  private final ClusterLayout layout;
  private final TlsMaterial tls;
  private final boolean ownsDataDir;
  private final ControlFile controlFile;
  private final Nodes nodes;
  private final Map<String, TestIdentity> lastKnownIdentities = new ConcurrentHashMap<>();
  private final Thread shutdownHook;
  private final Map<Integer, TcpProxy> proxies = new LinkedHashMap<>();
  private volatile IamSettings iam;
  private Admin admin;
  private boolean started;
  private boolean everStarted;
  private boolean closed;
  private String systemPropertyIdentity;
  private Map<String, String> savedSystemProperties;

  private LocalMskBroker(Builder b) {
    this.config = b.copy();
    Path dir = b.dataDir;
    boolean owns = false;
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("local-msk-");
        owns = true;
      } else {
        Files.createDirectories(dir);
      }
    } catch (IOException e) {
      throw new LocalMskException("cannot create the data directory " + dir, e);
    }
    this.ownsDataDir = owns;
    this.layout = ClusterLayout.prepare(dir, b.brokers, b.port, b.extraListeners, b.proxied);
    if (b.mode == Mode.IN_PROCESS) {
      // Kafka's classes load while keytool makes the certificate (a process of its own).
      BrokerRuntime.warmUpInBackground(ServerClasses.KAFKA_NODE);
    }
    this.tls = TlsMaterial.in(layout.tlsDir());
    this.controlFile = new ControlFile(layout.controlFile());

    IamSettings settings;
    if (Files.exists(layout.controlFile())) {
      // A data directory reused: keep its identities so earlier credentials still work.
      settings = controlFile.read();
      if (!settings.region().equals(b.region)) {
        throw new LocalMskException(
            "data directory "
                + dir
                + " holds a cluster in region "
                + settings.region()
                + ", not "
                + b.region
                + ": use region(\""
                + settings.region()
                + "\") or another data directory");
      }
    } else {
      settings = IamSettings.create(b.region, ClusterLayout.CERTIFICATE_HOSTS);
    }
    List<TestIdentity> identities = new ArrayList<>(b.identities);
    if (identities.isEmpty() && settings.identities().isEmpty()) {
      identities.add(TestIdentity.random(DEFAULT_IDENTITY));
    }
    for (TestIdentity id : identities) {
      settings = settings.withIdentity(id.toControl());
    }
    settings =
        settings
            .withClockOffset(b.clockOffset)
            .withClockSkewAllowance(b.clockSkewAllowance)
            .withMaxTokenLifetime(b.maxTokenLifetime)
            .withConnectionRateLimit(b.iamConnectionRateLimit);
    settings.identities().forEach(i -> lastKnownIdentities.put(i.name(), TestIdentity.fromControl(i)));
    this.iam = settings;
    ControlFile.write(layout.controlFile(), settings);

    ClusterLayout.BrokerSettings brokerSettings = new ClusterLayout.BrokerSettings();
    brokerSettings.connectionsMaxReauth = b.connectionsMaxReauth;
    brokerSettings.connectionsMaxIdle = b.connectionsMaxIdle;
    brokerSettings.autoCreateTopics = b.autoCreateTopics;
    brokerSettings.advertisedHost = b.advertisedHost;
    brokerSettings.overrides.putAll(b.brokerProperties);
    this.nodes =
        new Nodes(
            layout,
            tls,
            brokerSettings,
            b.mode == Mode.CHILD_PROCESS,
            b.childJvmOptions,
            b.startupTimeout,
            levelName(b.kafkaLogLevel));
    if (b.proxied) {
      for (int id : layout.nodeIds()) {
        proxies.put(
            id,
            TcpProxy.start(
                layout.iamPort(id), ClusterLayout.BIND_HOST, layout.iamBackendPort(id)));
      }
    }
    this.shutdownHook = new Thread(this::close, "local-msk-broker-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * A builder with every default: one broker in this JVM, region {@value #DEFAULT_REGION}, one
   * random identity {@value #DEFAULT_IDENTITY}, ephemeral ports, a temporary data directory.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Starts every node (in parallel, as KRaft needs a quorum) and returns once all of them serve
   * clients and the topics given to the builder exist. Starting a started broker does nothing;
   * starting a stopped one restarts it on the same data and ports.
   *
   * @return this broker
   * @throws LocalMskException if a node does not start, with the end of its log
   */
  public synchronized LocalMskBroker start() {
    checkNotClosed();
    if (started) {
      return this;
    }
    long t0 = System.nanoTime();
    String clients = KafkaClientsVersion.get();
    checkClients(clients);
    nodes.startAll();
    try {
      admin = Admin.create(adminPropertiesMap());
    } catch (LinkageError e) {
      nodes.stopAll();
      throw new LocalMskException(unsupportedClients(clients, e), e);
    }
    started = true;
    try {
      awaitBrokers(layout.nodeIds().size());
      if (!everStarted) {
        grantEveryoneEverything();
        for (Builder.TopicSpec t : config.topics) {
          createTopic(t.name, t.partitions, t.replicationFactor);
        }
      }
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
    everStarted = true;
    LOG.info(
        "local MSK cluster of {} broker(s) ready in {} ms: bootstrap {}",
        layout.nodeIds().size(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
        bootstrapServers());
    return this;
  }

  /**
   * Stops every node cleanly; data, ports and identities stay, so {@link #start()} brings the
   * same cluster back.
   */
  public synchronized void stop() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
      admin = null;
    }
    nodes.stopAll();
    started = false;
  }

  /** Stops and starts the whole cluster: same data, same ports, same identities. */
  public synchronized void restart() {
    stop();
    start();
  }

  /**
   * Stops every node and, if the builder was not given a data directory, deletes the one it
   * made. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    try {
      stop();
    } finally {
      closed = true;
      proxies.values().forEach(TcpProxy::close);
      restoreSystemProperties();
      if (ownsDataDir) {
        Files2.deleteRecursively(layout.dataDir());
      }
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down
      }
    }
  }

  /**
   * Whether the cluster was started and not stopped since (single nodes may be down).
   *
   * @return true between {@link #start()} and {@link #stop()}
   */
  public synchronized boolean isRunning() {
    return started;
  }

  // ---------------------------------------------------------------- single nodes

  /**
   * The node ids, {@code 1..brokers}.
   *
   * @return the node ids in order
   */
  public List<Integer> brokerIds() {
    return layout.nodeIds();
  }

  /**
   * Stops one node cleanly (controlled shutdown: its partitions move to other nodes first).
   *
   * @param nodeId the node, from {@link #brokerIds()}
   */
  public void stopBroker(int nodeId) {
    nodes.node(nodeId).stop();
  }

  /**
   * Starts a stopped or killed node again, on its data and ports.
   *
   * @param nodeId the node, from {@link #brokerIds()}
   */
  public void startBroker(int nodeId) {
    nodes.node(nodeId).start();
  }

  /**
   * Ends one node at once with SIGKILL, as a crash does. Needs {@link Mode#CHILD_PROCESS}.
   *
   * @param nodeId the node, from {@link #brokerIds()}
   * @throws LocalMskException if the node runs in this JVM
   */
  public void killBroker(int nodeId) {
    nodes.node(nodeId).kill();
  }

  /**
   * Freezes one node with SIGSTOP: its sockets stay open but it answers nothing. Needs {@link
   * Mode#CHILD_PROCESS}.
   *
   * @param nodeId the node, from {@link #brokerIds()}
   * @throws LocalMskException if the node runs in this JVM
   */
  public void pauseBroker(int nodeId) {
    nodes.node(nodeId).pause();
  }

  /**
   * Thaws a node frozen by {@link #pauseBroker(int)} with SIGCONT.
   *
   * @param nodeId the node, from {@link #brokerIds()}
   */
  public void resumeBroker(int nodeId) {
    nodes.node(nodeId).resume();
  }

  /**
   * The OS process id of a node in {@link Mode#CHILD_PROCESS}.
   *
   * @param nodeId the node, from {@link #brokerIds()}
   * @return the pid, or empty if the node runs in this JVM or is down
   */
  public Optional<Long> brokerPid(int nodeId) {
    long pid = nodes.node(nodeId).pid();
    return pid < 0 ? Optional.empty() : Optional.of(pid);
  }

  /**
   * The proxy in front of a node's IAM listener, for fault injection (blackhole, reset, delay).
   * Needs {@link Builder#proxied(boolean)}.
   *
   * @param nodeId the node, from {@link #brokerIds()}
   * @return the proxy
   * @throws LocalMskException if the broker was not built with proxies
   */
  public TcpProxy proxy(int nodeId) {
    if (proxies.isEmpty()) {
      throw new LocalMskException(
          "this broker has no proxies: build it with LocalMskBroker.builder().proxied(true)");
    }
    TcpProxy p = proxies.get(nodeId);
    if (p == null) {
      throw new IllegalArgumentException(
          "no broker with node id " + nodeId + ": node ids are " + layout.nodeIds());
    }
    return p;
  }

  // ---------------------------------------------------------------- connection facts

  /**
   * The bootstrap servers of the IAM listener, {@code localhost:<port>,...}.
   *
   * @return the bootstrap servers
   */
  public String bootstrapServers() {
    return layout.bootstrap(Listener.IAM);
  }

  /**
   * The bootstrap servers of one listener.
   *
   * @param listener the listener; PLAINTEXT and TLS only if enabled in the builder
   * @return the bootstrap servers
   * @throws LocalMskException if the listener is off
   */
  public String bootstrapServers(Listener listener) {
    return layout.bootstrap(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * The cluster's region: tokens must be signed for it and for {@code kafka.<region>.amazonaws.com}.
   *
   * @return the region, e.g. {@code us-east-1}
   */
  public String region() {
    return iam.region();
  }

  /**
   * The broker certificate as PEM, for {@code ssl.truststore.type=PEM}.
   *
   * @return the file's path
   */
  public Path truststorePem() {
    return tls.truststorePem();
  }

  /**
   * The broker certificate in a PKCS12 truststore (password: {@link #truststorePassword()}).
   *
   * @return the file's path
   */
  public Path truststorePkcs12() {
    return tls.truststoreP12();
  }

  /**
   * The password of {@link #truststorePkcs12()}.
   *
   * @return the password
   */
  public String truststorePassword() {
    return tls.truststorePassword();
  }

  /**
   * The data directory: logs, TLS files, each node's {@code broker.log} in child-process mode.
   *
   * @return the directory
   */
  public Path dataDir() {
    return layout.dataDir();
  }

  /**
   * The facts a client or a script needs, as the standalone launcher prints them: {@code
   * bootstrap}, {@code region}, {@code aws_access_key_id}, {@code aws_secret_access_key}, {@code
   * aws_session_token} (if any), {@code truststore_pem}, {@code truststore_p12}, {@code
   * truststore_password}, {@code bootstrap_plaintext} and {@code bootstrap_tls} (if enabled),
   * {@code admin_bootstrap}, {@code data_dir}. The credentials are those of the first identity.
   *
   * @return the facts, in that order
   */
  public Map<String, String> connectionFacts() {
    Map<String, String> facts = new LinkedHashMap<>();
    TestIdentity id = identity();
    facts.put("bootstrap", bootstrapServers());
    facts.put("region", region());
    facts.put("identity", id.name());
    facts.put("aws_access_key_id", id.accessKeyId());
    facts.put("aws_secret_access_key", id.secretAccessKey());
    id.sessionToken().ifPresent(t -> facts.put("aws_session_token", t));
    facts.put("truststore_pem", truststorePem().toString());
    facts.put("truststore_p12", truststorePkcs12().toString());
    facts.put("truststore_password", truststorePassword());
    if (layout.has(Listener.PLAINTEXT)) {
      facts.put("bootstrap_plaintext", bootstrapServers(Listener.PLAINTEXT));
    }
    if (layout.has(Listener.TLS)) {
      facts.put("bootstrap_tls", bootstrapServers(Listener.TLS));
    }
    if (layout.has(Listener.SCRAM)) {
      facts.put("bootstrap_scram", bootstrapServers(Listener.SCRAM));
    }
    facts.put("admin_bootstrap", layout.internalBootstrap());
    facts.put("data_dir", dataDir().toString());
    return facts;
  }

  /**
   * The environment variables that point a client at this broker, named as msk-producer's
   * {@code fromEnvironment(Map)} and the AWS SDK read them: {@code MSK_BOOTSTRAP_SERVERS},
   * {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code
   * AWS_SESSION_TOKEN} (if the identity has one) and {@code MSK_TRUSTSTORE} (the PEM file). One
   * line points an {@code MskProducer} at the broker, without the testkit knowing msk-producer:
   *
   * <pre>{@code
   * MskProducer.builder(String.class, String.class).fromEnvironment(msk.environment()).build()
   * }</pre>
   *
   * <p>Also the environment of a child process (a Lambda handler's JVM, a script). The
   * credentials are the first identity's as they are now; after {@link #rotateIdentity} ask
   * again.
   *
   * @return a new, mutable map, in that order
   */
  public Map<String, String> environment() {
    return environment(identity().name());
  }

  /**
   * Like {@link #environment()}, with a named identity's credentials.
   *
   * @param identityName the identity's name
   * @return a new, mutable map
   */
  public Map<String, String> environment(String identityName) {
    TestIdentity id = identity(identityName);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("MSK_BOOTSTRAP_SERVERS", bootstrapServers());
    env.put("AWS_REGION", region());
    env.put("AWS_ACCESS_KEY_ID", id.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", id.secretAccessKey());
    id.sessionToken().ifPresent(t -> env.put("AWS_SESSION_TOKEN", t));
    env.put("MSK_TRUSTSTORE", truststorePem().toString());
    return env;
  }

  // ---------------------------------------------------------------- client settings

  /**
   * The TLS settings a client of the IAM or TLS listener needs: the PEM truststore. Hostname
   * verification stays on.
   *
   * @return {@code ssl.truststore.type} and {@code ssl.truststore.location}
   */
  public Properties sslProperties() {
    Properties p = new Properties();
    p.setProperty(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
    p.setProperty(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststorePem().toString());
    return p;
  }

  /**
   * Everything a plain {@code KafkaProducer} or {@code KafkaConsumer} needs to reach this
   * cluster with MSK IAM the way AWS documents it: bootstrap, {@code SASL_SSL}, {@code
   * OAUTHBEARER}, aws-msk-iam-auth's {@code IAMOAuthBearerLoginCallbackHandler}, and the
   * truststore. aws-msk-iam-auth must be on the classpath; it takes credentials and region from
   * the AWS SDK's default chains (environment, system properties, profile...): use {@link
   * #installCredentialsAsSystemProperties()} to point them at a test identity.
   *
   * @return a new, mutable set of properties
   */
  public Properties mskIamClientProperties() {
    Properties p = sslProperties();
    p.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.setProperty(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
    p.setProperty("sasl.mechanism", "OAUTHBEARER");
    p.setProperty(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
    p.setProperty(
        "sasl.login.callback.handler.class",
        "software.amazon.msk.auth.iam.IAMOAuthBearerLoginCallbackHandler");
    p.setProperty(
        "sasl.client.callback.handler.class",
        "software.amazon.msk.auth.iam.IAMOAuthBearerLoginCallbackHandler");
    return p;
  }

  /**
   * The settings of a client of the PLAINTEXT or TLS listener (no authentication).
   *
   * @param listener {@link Listener#PLAINTEXT} or {@link Listener#TLS}, enabled in the builder
   * @return bootstrap, security protocol and, for TLS, the truststore
   * @throws IllegalArgumentException for {@link Listener#IAM} (use {@link
   *     #mskIamClientProperties()}) and {@link Listener#SCRAM} (use {@link
   *     #scramClientProperties(String, String)})
   */
  public Properties clientProperties(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    if (listener == Listener.IAM) {
      throw new IllegalArgumentException(
          "the IAM listener needs SASL settings: use mskIamClientProperties()");
    }
    if (listener == Listener.SCRAM) {
      throw new IllegalArgumentException(
          "the SCRAM listener needs a user: use scramClientProperties(username, password)");
    }
    Properties p = listener == Listener.TLS ? sslProperties() : new Properties();
    p.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(listener));
    p.setProperty(
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
        listener == Listener.TLS ? "SSL" : "PLAINTEXT");
    return p;
  }

  /**
   * The settings of a client of the {@link Listener#SCRAM} listener.
   *
   * @param username a user added with {@link #addScramUser}
   * @param password its password
   * @return bootstrap, SASL_SSL, SCRAM-SHA-512 with this user, and the truststore
   */
  public Properties scramClientProperties(String username, String password) {
    Properties p = sslProperties();
    p.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(Listener.SCRAM));
    p.setProperty(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
    p.setProperty("sasl.mechanism", "SCRAM-SHA-512");
    p.setProperty(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + username.replace("\\", "\\\\").replace("\"", "\\\"")
            + "\" password=\""
            + password.replace("\\", "\\\\").replace("\"", "\\\"")
            + "\";");
    return p;
  }

  /**
   * Settings for an {@link Admin} on the internal listener, whose principal is a super user.
   *
   * @return bootstrap and security protocol of the internal listener
   */
  public Properties adminProperties() {
    Properties p = new Properties();
    p.putAll(adminPropertiesMap());
    return p;
  }

  private Map<String, Object> adminPropertiesMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, layout.internalBootstrap());
    m.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
    m.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-msk-admin");
    m.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
    return m;
  }

  /**
   * The broker's shared admin client (super user). Do not close it: the broker does.
   *
   * @return the admin client
   * @throws LocalMskException if the broker is not running
   */
  public synchronized Admin admin() {
    if (!started) {
      throw new LocalMskException("the broker is not running: call start() first");
    }
    return admin;
  }

  // ---------------------------------------------------------------- identities

  /**
   * The first identity (the default one unless the builder was given others).
   *
   * @return the identity
   */
  public TestIdentity identity() {
    return TestIdentity.fromControl(iam.identities().iterator().next());
  }

  /**
   * An identity by name, as it is now (after any rotation).
   *
   * @param name the identity's name
   * @return the identity
   * @throws LocalMskException if the broker knows no identity of that name
   */
  public TestIdentity identity(String name) {
    Objects.requireNonNull(name, "name");
    return iam.identity(name)
        .map(TestIdentity::fromControl)
        .orElseThrow(
            () ->
                new LocalMskException(
                    "no identity named '" + name + "': known are " + identityNames()));
  }

  /**
   * Every identity the broker accepts now.
   *
   * @return the identities, in the order they were added
   */
  public List<TestIdentity> identities() {
    List<TestIdentity> all = new ArrayList<>();
    iam.identities().forEach(i -> all.add(TestIdentity.fromControl(i)));
    return List.copyOf(all);
  }

  /**
   * Adds an identity with fresh random long-term credentials.
   *
   * @param name its name; the principal is {@code User:<name>}
   * @return the new identity
   */
  public TestIdentity addIdentity(String name) {
    return addIdentity(TestIdentity.random(name));
  }

  /**
   * Adds (or replaces, by name) an identity.
   *
   * @param identity the identity
   * @return the identity
   */
  public synchronized TestIdentity addIdentity(TestIdentity identity) {
    Objects.requireNonNull(identity, "identity");
    update(iam.withIdentity(identity.toControl()));
    lastKnownIdentities.put(identity.name(), identity);
    return identity;
  }

  /**
   * Forgets an identity: its next authentication (a new connection or a re-authentication)
   * fails, as when an IAM user or key is deleted.
   *
   * @param name the identity's name
   */
  public synchronized void removeIdentity(String name) {
    identity(name);
    update(iam.withoutIdentity(name));
  }

  /**
   * Gives an identity new credentials; the old ones stop working at the next authentication.
   * {@link #credentialsProvider(String)} returns the new ones from now on.
   *
   * @param name the identity's name
   * @return the identity with its new credentials
   */
  public synchronized TestIdentity rotateIdentity(String name) {
    TestIdentity rotated = identity(name).rotated();
    addIdentity(rotated);
    if (name.equals(systemPropertyIdentity)) {
      SystemPropertyCredentials.apply(rotated, region());
    }
    return rotated;
  }

  /**
   * Gives an identity a second access key, as IAM's CreateAccessKey does: the identity (and its
   * principal) stays the same, its current key keeps working, and {@link
   * #credentialsProvider(String)} returns the new key from now on (the application picked up the
   * new key). Remove the old key with {@link #removeAccessKey(String)}: the gentle rotation,
   * where nothing is refused at any moment, unlike {@link #rotateIdentity(String)}.
   *
   * @param name the identity's name
   * @return the identity with its new key
   */
  public synchronized TestIdentity addAccessKey(String name) {
    TestIdentity current = identity(name);
    TestIdentity added = current.rotated();
    update(iam.withAdditionalKey(added.toControl()));
    lastKnownIdentities.put(name, added);
    if (name.equals(systemPropertyIdentity)) {
      SystemPropertyCredentials.apply(added, region());
    }
    return added;
  }

  /**
   * Deletes one access key, as IAM's DeleteAccessKey does: the next authentication with it (a
   * new connection or a re-authentication) fails; the identity's other key keeps working.
   *
   * @param accessKeyId the key to delete
   * @throws IllegalArgumentException if no identity has this key
   */
  public synchronized void removeAccessKey(String accessKeyId) {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    update(iam.withoutAccessKey(accessKeyId));
  }

  /**
   * The first identity's credentials as an AWS SDK credentials provider.
   *
   * @return a provider that always returns the identity's current credentials
   */
  public AwsCredentialsProvider credentialsProvider() {
    return credentialsProvider(identity().name());
  }

  /**
   * An identity's credentials as an AWS SDK credentials provider. It follows {@link
   * #rotateIdentity rotation}; after {@link #removeIdentity removal} it keeps returning the
   * last credentials (which the broker now refuses), as a real client would.
   *
   * @param name the identity's name
   * @return the provider
   */
  public AwsCredentialsProvider credentialsProvider(String name) {
    identity(name);
    return () -> lastKnownIdentities.get(name).toAwsCredentials();
  }

  /**
   * Points the AWS SDK's default credentials and region chains of this JVM at the first
   * identity, through the system properties {@code aws.accessKeyId}, {@code
   * aws.secretAccessKey}, {@code aws.sessionToken} and {@code aws.region}: what a producer
   * wired with aws-msk-iam-auth's handlers and no profile uses. Follows rotation. Close the
   * result to restore the previous values.
   *
   * @return a handle that restores the system properties
   */
  public Restorable installCredentialsAsSystemProperties() {
    return installCredentialsAsSystemProperties(identity().name());
  }

  /**
   * Like {@link #installCredentialsAsSystemProperties()}, for a named identity.
   *
   * @param name the identity's name
   * @return a handle that restores the system properties
   */
  public synchronized Restorable installCredentialsAsSystemProperties(String name) {
    TestIdentity id = identity(name);
    if (savedSystemProperties == null) {
      savedSystemProperties = SystemPropertyCredentials.snapshot();
    }
    systemPropertyIdentity = name;
    SystemPropertyCredentials.apply(id, region());
    return this::restoreSystemProperties;
  }

  private synchronized void restoreSystemProperties() {
    if (savedSystemProperties == null) {
      return;
    }
    SystemPropertyCredentials.restore(savedSystemProperties);
    savedSystemProperties = null;
    systemPropertyIdentity = null;
  }

  // ---------------------------------------------------------------- IAM knobs

  /**
   * Moves the brokers' clock (for token checks only) by an offset: positive makes client tokens
   * look old (expired sooner), negative makes them look dated in the future.
   *
   * @param offset the offset, zero to undo
   */
  public synchronized void setClockOffset(Duration offset) {
    update(iam.withClockOffset(Objects.requireNonNull(offset, "offset")));
  }

  /**
   * How far in the future a token's X-Amz-Date may be. Default 5 minutes (MSK's own value is not
   * public; 5 minutes is the common AWS allowance).
   *
   * @param skew the allowance, zero or positive
   */
  public synchronized void setClockSkewAllowance(Duration skew) {
    update(iam.withClockSkewAllowance(Objects.requireNonNull(skew, "skew")));
  }

  /**
   * Caps how long a token is valid after its X-Amz-Date, whatever its X-Amz-Expires says, and
   * so how long a session lasts before the client must re-authenticate. {@code null} removes
   * the cap (the default: X-Amz-Expires alone decides, as on MSK).
   *
   * @param lifetime the cap, positive, or null
   */
  public synchronized void setMaxTokenLifetime(Duration lifetime) {
    update(iam.withMaxTokenLifetime(lifetime));
  }

  /**
   * Limits new IAM authentications per second on each broker; over it, authentication fails
   * with {@code Too many connects}, as MSK's per-broker limit does. 0 removes the limit.
   * Default: the builder's {@link Builder#iamConnectionRateLimit(int)}, else no limit.
   *
   * @param perSecond authentications per second per broker, 0 for none
   */
  public synchronized void setIamConnectionRateLimit(int perSecond) {
    update(iam.withConnectionRateLimit(perSecond));
  }

  private void update(IamSettings next) {
    ControlFile.write(layout.controlFile(), next);
    iam = next;
  }

  // ---------------------------------------------------------------- SCRAM users

  /**
   * Adds (or changes the password of) a SCRAM-SHA-512 user for the {@link Listener#SCRAM}
   * listener, as an MSK SCRAM secret would; its principal is {@code User:<username>}. Waits
   * until the brokers know it.
   *
   * @param username the user
   * @param password the password
   */
  public void addScramUser(String username, String password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (!layout.has(Listener.SCRAM)) {
      throw new LocalMskException(
          "the SCRAM listener is off: enable it with builder().extraListeners(Listener.SCRAM)");
    }
    Admin a = admin();
    get(
        a.alterUserScramCredentials(
                List.of(
                    new UserScramCredentialUpsertion(
                        username,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                        password)))
            .all());
    waitUntil(
        ADMIN_TIMEOUT,
        () -> {
          try {
            return a.describeUserScramCredentials(List.of(username)).all().get().containsKey(username);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          } catch (ExecutionException e) {
            return false;
          }
        },
        "SCRAM user " + username + " is known");
  }

  // ---------------------------------------------------------------- topics and ACLs

  /**
   * Creates a topic with replication factor min(brokers, 3), and waits until every partition
   * has a leader. A topic that already exists is left as it is.
   *
   * @param name the topic
   * @param partitions the number of partitions, at least 1
   */
  public void createTopic(String name, int partitions) {
    createTopic(name, partitions, (short) Math.min(layout.nodeIds().size(), 3));
  }

  /**
   * Creates a topic and waits until every partition has a leader. A topic that already exists
   * is left as it is.
   *
   * @param name the topic
   * @param partitions the number of partitions, at least 1
   * @param replicationFactor the replication factor, 1 to the number of brokers
   */
  public void createTopic(String name, int partitions, short replicationFactor) {
    Objects.requireNonNull(name, "name");
    Builder.checkTopic(name, partitions, replicationFactor, layout.nodeIds().size());
    Admin a = admin();
    try {
      get(a.createTopics(List.of(new NewTopic(name, partitions, replicationFactor))).all());
    } catch (LocalMskException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
    waitUntil(
        ADMIN_TIMEOUT,
        () -> {
          try {
            TopicDescription d =
                a.describeTopics(List.of(name)).allTopicNames().get().get(name);
            return d.partitions().size() == partitions
                && d.partitions().stream().map(TopicPartitionInfo::leader).allMatch(Objects::nonNull);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          } catch (ExecutionException e) {
            return false;
          }
        },
        "every partition of topic " + name + " has a leader");
  }

  /**
   * Reads a topic from its beginning, as strings, until {@code count} records arrived or {@code
   * timeout} passed, over the admin listener (a super user: no IAM, no ACLs in the way), so that
   * a test can check what its producer wrote. Returns what it read, possibly fewer than asked:
   * assert on it. To see that no more than {@code count} arrive, ask for {@code count + 1}
   * with a short timeout.
   *
   * @param topic the topic
   * @param count how many records to wait for, at least 1
   * @param timeout how long to wait at most
   * @return the records, in the order read (per partition in offset order)
   */
  public List<ConsumerRecord<String, String>> read(String topic, int count, Duration timeout) {
    return read(topic, count, timeout, new StringDeserializer(), new StringDeserializer());
  }

  /**
   * Like {@link #read(String, int, Duration)}, with deserializers of your own.
   *
   * @param topic the topic
   * @param count how many records to wait for, at least 1
   * @param timeout how long to wait at most
   * @param keys the key deserializer
   * @param values the value deserializer
   * @param <K> the key type
   * @param <V> the value type
   * @return the records, in the order read
   */
  public <K, V> List<ConsumerRecord<K, V>> read(
      String topic, int count, Duration timeout, Deserializer<K> keys, Deserializer<V> values) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(timeout, "timeout");
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, was " + count);
    }
    Map<String, Object> props = adminPropertiesMap();
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "local-msk-reader");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false"); // reading creates nothing
    props.remove(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
    List<ConsumerRecord<K, V>> records = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, keys, values)) {
      List<TopicPartition> partitions = new ArrayList<>();
      while (partitions.isEmpty() && System.nanoTime() < deadline) {
        try {
          consumer
              .partitionsFor(topic, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
              .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
          return records; // no metadata in time: nothing read
        }
        if (partitions.isEmpty()) {
          sleep(100); // not there (yet)
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
    }
    return records;
  }

  /**
   * Adds a DENY ACL for an identity, e.g. {@code deny("writer", AclOperation.WRITE, new
   * ResourcePattern(ResourceType.TOPIC, "orders", PatternType.LITERAL))}, or {@code
   * IDEMPOTENT_WRITE} on {@code ResourceType.CLUSTER "kafka-cluster"} (MSK's {@code
   * kafka-cluster:WriteDataIdempotently}). Waits until the brokers apply it.
   *
   * @param identityName the identity's name
   * @param operation the operation to deny
   * @param resource the resource
   */
  public void deny(String identityName, AclOperation operation, ResourcePattern resource) {
    Objects.requireNonNull(identityName, "identityName");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(resource, "resource");
    AclBinding binding =
        new AclBinding(
            resource,
            new AccessControlEntry(
                "User:" + identityName, "*", operation, AclPermissionType.DENY));
    Admin a = admin();
    get(a.createAcls(List.of(binding)).all());
    waitUntil(
        ADMIN_TIMEOUT,
        () -> {
          try {
            return a.describeAcls(binding.toFilter()).values().get().contains(binding);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          } catch (ExecutionException e) {
            return false;
          }
        },
        "the ACL " + binding + " is in force");
  }

  /** Removes every DENY ACL: everything is allowed again. */
  public void clearAcls() {
    get(
        admin()
            .deleteAcls(
                List.of(
                    new AclBindingFilter(
                        ResourcePatternFilter.ANY,
                        new AccessControlEntryFilter(
                            null, null, AclOperation.ANY, AclPermissionType.DENY))))
            .all());
  }

  /**
   * MSK's model for a fresh identity is "allowed unless a policy denies". Kafka's is "denied
   * once a resource has any ACL", so one DENY for one identity would lock out every other. An
   * ALLOW of everything for {@code User:*} gives MSK's model: a DENY still wins over it.
   */
  private void grantEveryoneEverything() {
    List<AclBinding> allow = new ArrayList<>();
    for (ResourceType type :
        List.of(
            ResourceType.TOPIC,
            ResourceType.GROUP,
            ResourceType.TRANSACTIONAL_ID,
            ResourceType.DELEGATION_TOKEN)) {
      allow.add(allowAll(new ResourcePattern(type, ResourcePattern.WILDCARD_RESOURCE, PatternType.LITERAL)));
    }
    allow.add(allowAll(new ResourcePattern(ResourceType.CLUSTER, CLUSTER_RESOURCE, PatternType.LITERAL)));
    get(admin.createAcls(allow).all());
  }

  private static AclBinding allowAll(ResourcePattern pattern) {
    return new AclBinding(
        pattern, new AccessControlEntry("User:*", "*", AclOperation.ALL, AclPermissionType.ALLOW));
  }

  // ---------------------------------------------------------------- helpers

  private void awaitBrokers(int count) {
    Admin a = admin;
    waitUntil(
        config.startupTimeout,
        () -> {
          try {
            return a.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == count;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          } catch (ExecutionException | TimeoutException e) {
            return false;
          }
        },
        "all " + count + " broker(s) are registered");
  }

  private static <T> T get(KafkaFuture<T> future) {
    try {
      return future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalMskException("interrupted while waiting for the admin client", e);
    } catch (ExecutionException e) {
      throw new LocalMskException("admin request failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new LocalMskException(
          "admin request got no answer within " + ADMIN_TIMEOUT + " (is a broker down?)", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalMskException("interrupted", e);
    }
  }

  private static void waitUntil(Duration timeout, BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 10;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new LocalMskException("timed out after " + timeout + " waiting until " + what);
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LocalMskException("interrupted while waiting until " + what, e);
      }
      pause = Math.min(pause * 2, 200);
    }
  }

  /** Refuses, in one message naming the versions and the fix, a kafka-clients too old. */
  static void checkClients(String version) {
    if (!KafkaClientsVersion.atLeast(version, MIN_CLIENTS_MAJOR, MIN_CLIENTS_MINOR)) {
      throw new LocalMskException(unsupportedClients(version, null));
    }
  }

  private static String unsupportedClients(String version, Throwable cause) {
    return "the test class path has kafka-clients "
        + version
        + (cause == null ? "" : " (" + cause + ")")
        + ": the broker runs on the Kafka it brings along (its own class loader), but the"
        + " testkit's admin calls use your kafka-clients, which must be "
        + MIN_CLIENTS_MAJOR
        + "."
        + MIN_CLIENTS_MINOR
        + " or newer (tested: 3.8 to 4.4). Fix: put a newer org.apache.kafka:kafka-clients in"
        + " test scope, or manage its version in your POM";
  }

  private static String levelName(System.Logger.Level level) {
    switch (level) {
      case ALL:
      case TRACE:
        return "TRACE";
      case DEBUG:
        return "DEBUG";
      case INFO:
        return "INFO";
      case WARNING:
        return "WARN";
      case ERROR:
        return "ERROR";
      default:
        return "OFF";
    }
  }

  private Set<String> identityNames() {
    Set<String> names = new java.util.LinkedHashSet<>();
    iam.identities().forEach(i -> names.add(i.name()));
    return names;
  }

  private void checkNotClosed() {
    if (closed) {
      throw new LocalMskException("this broker was closed: build a new one");
    }
  }

  @Override
  public String toString() {
    return "LocalMskBroker{brokers="
        + layout.nodeIds().size()
        + ", mode="
        + config.mode
        + ", region="
        + region()
        + ", bootstrap="
        + bootstrapServers()
        + ", dataDir="
        + dataDir()
        + "}";
  }

  // ================================================================ builder

  /**
   * Configures a {@link LocalMskBroker}. Every setter checks its argument at once and says
   * what is wrong; {@link #build()} checks the options against each other.
   */
  public static final class Builder {
    private String region = DEFAULT_REGION;
    private int brokers = 1;
    private Mode mode = Mode.IN_PROCESS;
    private int port;
    private Path dataDir;
    private final List<TestIdentity> identities = new ArrayList<>();
    private Duration clockOffset = Duration.ZERO;
    private Duration clockSkewAllowance = IamSettings.DEFAULT_CLOCK_SKEW;
    private Duration maxTokenLifetime;
    private int iamConnectionRateLimit;
    private Duration connectionsMaxReauth;
    private Duration connectionsMaxIdle;
    private final Set<Listener> extraListeners = EnumSet.noneOf(Listener.class);
    private boolean autoCreateTopics;
    private boolean proxied;
    private String advertisedHost = ClusterLayout.ADVERTISED_HOST;
    private final List<TopicSpec> topics = new ArrayList<>();
    private final Map<String, String> brokerProperties = new LinkedHashMap<>();
    private List<String> childJvmOptions =
        List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private Duration startupTimeout = Duration.ofSeconds(90);
    private System.Logger.Level kafkaLogLevel = System.Logger.Level.WARNING;

    private static final class TopicSpec {
      final String name;
      final int partitions;
      final short replicationFactor;

      TopicSpec(String name, int partitions, short replicationFactor) {
        this.name = name;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
      }
    }

    private Builder() {}

    private Builder copy() {
      Builder b = new Builder();
      b.region = region;
      b.brokers = brokers;
      b.mode = mode;
      b.port = port;
      b.dataDir = dataDir;
      b.identities.addAll(identities);
      b.clockOffset = clockOffset;
      b.clockSkewAllowance = clockSkewAllowance;
      b.maxTokenLifetime = maxTokenLifetime;
      b.iamConnectionRateLimit = iamConnectionRateLimit;
      b.connectionsMaxReauth = connectionsMaxReauth;
      b.connectionsMaxIdle = connectionsMaxIdle;
      b.extraListeners.addAll(extraListeners);
      b.autoCreateTopics = autoCreateTopics;
      b.proxied = proxied;
      b.advertisedHost = advertisedHost;
      b.topics.addAll(topics);
      b.brokerProperties.putAll(brokerProperties);
      b.childJvmOptions = childJvmOptions;
      b.startupTimeout = startupTimeout;
      b.kafkaLogLevel = kafkaLogLevel;
      return b;
    }

    /**
     * The cluster's region. Default {@value LocalMskBroker#DEFAULT_REGION}.
     *
     * @param region an AWS region name such as {@code eu-west-1}
     * @return this builder
     */
    public Builder region(String region) {
      Objects.requireNonNull(region, "region");
      if (!REGION.matcher(region).matches()) {
        throw new IllegalArgumentException(
            "region '" + region + "' is not an AWS region name such as us-east-1 or eu-west-1");
      }
      this.region = region;
      return this;
    }

    /**
     * The number of nodes, each a combined broker and controller. Default 1; use 3 for leader
     * fail-over (replication factor 3, {@code min.insync.replicas=2}, as on MSK).
     *
     * @param brokers 1 to 9
     * @return this builder
     */
    public Builder brokers(int brokers) {
      if (brokers < 1 || brokers > 9) {
        throw new IllegalArgumentException("brokers must be 1 to 9, was " + brokers);
      }
      this.brokers = brokers;
      return this;
    }

    /**
     * Where the nodes run. Default {@link Mode#IN_PROCESS}.
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * A fixed port for the IAM listener of node 1 (node n gets port + n - 1). Default 0: an
     * ephemeral port (MSK's own IAM port is 9098).
     *
     * @param port 0, or 1024 to 65535
     * @return this builder
     */
    public Builder port(int port) {
      if (port != 0 && (port < 1024 || port > 65535)) {
        throw new IllegalArgumentException(
            "port must be 0 (ephemeral) or 1024 to 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * A data directory to use and keep. Default: a temporary directory, deleted by {@link
     * LocalMskBroker#close()}. A directory that already holds a cluster is reused: same cluster
     * id, data, ports and identities.
     *
     * @param dataDir the directory (created if missing)
     * @return this builder
     */
    public Builder dataDir(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath();
      return this;
    }

    /**
     * Adds an identity the broker accepts. Default: one random identity named {@value
     * LocalMskBroker#DEFAULT_IDENTITY}, made only when none is given.
     *
     * @param identity the identity
     * @return this builder
     */
    public Builder identity(TestIdentity identity) {
      Objects.requireNonNull(identity, "identity");
      for (TestIdentity other : identities) {
        if (other.name().equals(identity.name())) {
          throw new IllegalArgumentException(
              "identity '" + identity.name() + "' was added twice: give each its own name");
        }
      }
      identities.add(identity);
      return this;
    }

    /**
     * Moves the brokers' clock for token checks. Default zero.
     *
     * @param offset the offset
     * @return this builder
     * @see LocalMskBroker#setClockOffset(Duration)
     */
    public Builder clockOffset(Duration offset) {
      this.clockOffset = Objects.requireNonNull(offset, "clockOffset");
      return this;
    }

    /**
     * How far in the future a token's X-Amz-Date may be. Default 5 minutes.
     *
     * @param skew zero or positive
     * @return this builder
     */
    public Builder clockSkewAllowance(Duration skew) {
      Objects.requireNonNull(skew, "clockSkewAllowance");
      if (skew.isNegative()) {
        throw new IllegalArgumentException(
            "clockSkewAllowance must be zero or positive, was " + skew);
      }
      this.clockSkewAllowance = skew;
      return this;
    }

    /**
     * Caps token validity (and so session length) after X-Amz-Date. Default none.
     *
     * @param lifetime positive
     * @return this builder
     * @see LocalMskBroker#setMaxTokenLifetime(Duration)
     */
    public Builder maxTokenLifetime(Duration lifetime) {
      Objects.requireNonNull(lifetime, "maxTokenLifetime");
      if (lifetime.isZero() || lifetime.isNegative()) {
        throw new IllegalArgumentException("maxTokenLifetime must be positive, was " + lifetime);
      }
      this.maxTokenLifetime = lifetime;
      return this;
    }

    /**
     * New IAM authentications allowed per second per broker before {@code Too many connects}.
     * Default 0: no limit.
     *
     * @param perSecond 0 or positive
     * @return this builder
     */
    public Builder iamConnectionRateLimit(int perSecond) {
      if (perSecond < 0) {
        throw new IllegalArgumentException(
            "iamConnectionRateLimit must be 0 (no limit) or positive, was " + perSecond);
      }
      this.iamConnectionRateLimit = perSecond;
      return this;
    }

    /**
     * The broker's {@code connections.max.reauth.ms} on the IAM listener: sessions end after
     * this long (or at token expiry, if sooner) unless the client re-authenticates. Default:
     * not set, so the token's expiry alone ends a session. A few seconds makes clients
     * re-authenticate often.
     *
     * @param maxReauth at least 1 second
     * @return this builder
     */
    public Builder connectionsMaxReauth(Duration maxReauth) {
      Objects.requireNonNull(maxReauth, "connectionsMaxReauth");
      if (maxReauth.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(
            "connectionsMaxReauth must be at least 1 second, was " + maxReauth);
      }
      this.connectionsMaxReauth = maxReauth;
      return this;
    }

    /**
     * The broker's {@code connections.max.idle.ms}. Default Kafka's (and MSK's) 10 minutes.
     *
     * @param maxIdle at least 1 second
     * @return this builder
     */
    public Builder connectionsMaxIdle(Duration maxIdle) {
      Objects.requireNonNull(maxIdle, "connectionsMaxIdle");
      if (maxIdle.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(
            "connectionsMaxIdle must be at least 1 second, was " + maxIdle);
      }
      this.connectionsMaxIdle = maxIdle;
      return this;
    }

    /**
     * Also opens these listeners, to stand in for MSK's other ports. Default: IAM only.
     *
     * @param listeners {@link Listener#PLAINTEXT} and/or {@link Listener#TLS}
     * @return this builder
     */
    public Builder extraListeners(Listener... listeners) {
      for (Listener l : listeners) {
        Objects.requireNonNull(l, "listener");
        if (l != Listener.IAM) {
          extraListeners.add(l);
        }
      }
      return this;
    }

    /**
     * Whether the broker creates a topic on first use. Default false, as on MSK.
     *
     * @param enabled true to create topics on first use
     * @return this builder
     */
    public Builder autoCreateTopics(boolean enabled) {
      this.autoCreateTopics = enabled;
      return this;
    }

    /**
     * Puts a {@link TcpProxy} in front of each node's IAM listener and makes the nodes
     * advertise the proxies, so that every client connection (bootstrap and per-broker) goes
     * through one; {@link LocalMskBroker#proxy(int)} then injects faults. Default false.
     *
     * @param proxied whether to front the IAM listeners with proxies
     * @return this builder
     */
    public Builder proxied(boolean proxied) {
      this.proxied = proxied;
      return this;
    }

    /**
     * The host name the brokers advertise to clients, which still bootstrap through {@code
     * localhost}. Default {@code localhost}. Another name reproduces the classic failure of a
     * cluster that advertises addresses the client cannot reach (VPC-private names seen from
     * outside).
     *
     * @param host a host name
     * @return this builder
     */
    public Builder advertisedHost(String host) {
      Objects.requireNonNull(host, "advertisedHost");
      if (!host.matches("[A-Za-z0-9.-]{1,253}")) {
        throw new IllegalArgumentException("advertisedHost '" + host + "' is not a host name");
      }
      this.advertisedHost = host;
      return this;
    }

    /**
     * A topic to create at first start, with replication factor min(brokers, 3). Repeatable.
     * Default: no topic (and no automatic creation, as on MSK, unless {@link
     * #autoCreateTopics(boolean)}).
     *
     * @param name the topic's name
     * @param partitions at least 1
     * @return this builder
     */
    public Builder topic(String name, int partitions) {
      Objects.requireNonNull(name, "name");
      checkTopic(name, partitions, (short) 1, Integer.MAX_VALUE);
      topics.add(new TopicSpec(name, partitions, (short) -1));
      return this;
    }

    /**
     * Sets a broker property (as in {@code server.properties}) on every node, over the kit's
     * own. For experts: a wrong value can stop the broker from starting. Default: none.
     *
     * @param key the property
     * @param value its value
     * @return this builder
     */
    public Builder brokerProperty(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      brokerProperties.put(key, value);
      return this;
    }

    /**
     * JVM options of each child-process node. Default {@code -Xms64m -Xmx512m -XX:+UseSerialGC
     * -XX:TieredStopAtLevel=1}.
     *
     * @param options the options
     * @return this builder
     */
    public Builder childJvmOptions(List<String> options) {
      Objects.requireNonNull(options, "childJvmOptions");
      options.forEach(o -> Objects.requireNonNull(o, "childJvmOptions element"));
      this.childJvmOptions = List.copyOf(options);
      return this;
    }

    /**
     * How much of Kafka's own logging reaches yours. Default {@code WARNING}: a broker logs
     * thousands of INFO lines per test run. The lines go to your SLF4J logging under Kafka's
     * logger names (your configuration still filters them); in {@link Mode#CHILD_PROCESS} they
     * go to each node's {@code broker.log}. The testkit's own broker-side lines (why a token was
     * refused, at DEBUG, under {@code io.github.mskproducer.testkit}) are left to your logging
     * configuration alone. Brokers in one JVM share one setting: the last started wins.
     *
     * @param level the lowest level let through; {@code OFF} for none
     * @return this builder
     */
    public Builder kafkaLogLevel(System.Logger.Level level) {
      this.kafkaLogLevel = Objects.requireNonNull(level, "kafkaLogLevel");
      return this;
    }

    /**
     * How long {@link LocalMskBroker#start()} waits for the nodes. Default 90 seconds.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder startupTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "startupTimeout");
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("startupTimeout must be positive, was " + timeout);
      }
      this.startupTimeout = timeout;
      return this;
    }

    /**
     * Checks the options together and makes the broker (not started; no port is bound yet).
     *
     * @return the broker
     * @throws IllegalArgumentException if options conflict
     */
    public LocalMskBroker build() {
      if (port > 0 && port + brokers - 1 > 65535) {
        throw new IllegalArgumentException(
            "port "
                + port
                + " with brokers "
                + brokers
                + " needs ports up to "
                + (port + brokers - 1)
                + ": choose a lower port");
      }
      List<TopicSpec> resolved = new ArrayList<>();
      for (TopicSpec t : topics) {
        resolved.add(
            new TopicSpec(
                t.name,
                t.partitions,
                t.replicationFactor > 0 ? t.replicationFactor : (short) Math.min(brokers, 3)));
      }
      topics.clear();
      topics.addAll(resolved);
      return new LocalMskBroker(this);
    }

    /**
     * Builds and starts the broker.
     *
     * @return the running broker
     */
    public LocalMskBroker start() {
      return build().start();
    }

    static void checkTopic(String name, int partitions, short replicationFactor, int brokers) {
      if (name.isEmpty()
          || name.length() > 249
          || !name.matches("[a-zA-Z0-9._-]+")
          || name.equals(".")
          || name.equals("..")) {
        throw new IllegalArgumentException(
            "topic name '" + name + "' is invalid: use 1 to 249 of a-z A-Z 0-9 . _ -");
      }
      if (partitions < 1) {
        throw new IllegalArgumentException(
            "partitions of topic " + name + " must be at least 1, was " + partitions);
      }
      if (replicationFactor < 1 || replicationFactor > brokers) {
        throw new IllegalArgumentException(
            "replication factor of topic "
                + name
                + " must be 1 to "
                + brokers
                + " (the number of brokers), was "
                + replicationFactor);
      }
    }
  }
}
