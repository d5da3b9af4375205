package io.github.mskproducer.testkit;

import io.github.mskproducer.testkit.internal.broker.BrokerRuntime;
import io.github.mskproducer.testkit.internal.broker.IamControl;
import io.github.mskproducer.testkit.internal.broker.ClusterAdmin;
import io.github.mskproducer.testkit.internal.broker.ServedCertificates;
import io.github.mskproducer.testkit.internal.broker.ClientProperties;
import io.github.mskproducer.testkit.internal.broker.ClusterLayout;
import io.github.mskproducer.testkit.internal.broker.Files2;
import io.github.mskproducer.testkit.internal.broker.KafkaClientsVersion;
import io.github.mskproducer.testkit.internal.broker.Logging;
import io.github.mskproducer.testkit.internal.broker.Nodes;
import io.github.mskproducer.testkit.internal.broker.TlsMaterial;
import io.github.mskproducer.testkit.internal.control.Identity;
import io.github.mskproducer.testkit.internal.control.ServerClasses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
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
 * advertised as {@code localhost}. The IAM listener's certificate, for {@code localhost}, {@code
 * 127.0.0.1} and the advertised names, is signed by a certificate authority of the broker's
 * own; clients trust that authority through {@link #truststorePem()} or {@link
 * #truststorePkcs12()} and keep hostname verification on; {@link #rotateCertificate(boolean)}
 * gives the brokers new certificates. Admin work (topics, ACLs) goes through
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
 *
 * <p>This class is the testkit's one front door, so that a test finds every knob on the object
 * it already holds; it is long because each of its methods is documented, not because it does
 * much. The work lives behind it, one job per class: {@link LocalMskBrokerBuilder} (options),
 * the node handles (start, stop, kill, pause), the IAM control (identities and knobs, read by
 * every node from a control file), the cluster admin (topics, ACLs, SCRAM users, reading back)
 * and the client properties (what a client of each listener needs).
 */
public final class LocalMskBroker implements AutoCloseable {
  /** The default region. */
  public static final String DEFAULT_REGION = "us-east-1";

  /** The name of the identity made when the builder is given none. */
  public static final String DEFAULT_IDENTITY = "writer";

  private static final Logger LOG = LoggerFactory.getLogger(LocalMskBroker.class);
  static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
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

  private final LocalMskBrokerBuilder config;
  private final ClusterLayout layout;
  private final TlsMaterial tls;
  private final ClientProperties clients;
  private final boolean ownsDataDir;
  private final IamControl iam;
  private final Nodes nodes;
  private final Thread shutdownHook;
  private final Map<Integer, TcpProxy> proxies = new LinkedHashMap<>();
  private ClusterAdmin admin;
  private boolean started;
  private boolean everStarted;
  private boolean closed;

  LocalMskBroker(LocalMskBrokerBuilder b) {
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
      // Kafka's classes load while the certificates are made and the identities written.
      BrokerRuntime.warmUpInBackground(ServerClasses.KAFKA_NODE);
    }
    List<String> names = new ArrayList<>();
    for (int id : layout.nodeIds()) {
      names.add(ClusterLayout.advertisedHost(b.advertisedHost, id));
    }
    this.tls = TlsMaterial.in(layout.tlsDir(), names);
    this.clients = new ClientProperties(layout, tls);

    List<Identity> given = new ArrayList<>();
    b.identities.forEach(id -> given.add(id.toControl()));
    this.iam =
        IamControl.open(
            layout.controlFile(),
            b.region,
            given,
            () -> TestIdentity.random(DEFAULT_IDENTITY).toControl(),
            settings ->
                settings
                    .withClockOffset(b.clockOffset)
                    .withClockSkewAllowance(b.clockSkewAllowance)
                    .withMaxTokenLifetime(b.maxTokenLifetime)
                    .withConnectionRateLimit(b.iamConnectionRateLimit));

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
            Logging.levelName(b.kafkaLogLevel));
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
  public static LocalMskBrokerBuilder builder() {
    return new LocalMskBrokerBuilder();
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
      admin = ClusterAdmin.connect(layout);
    } catch (LinkageError e) {
      nodes.stopAll();
      throw new LocalMskException(unsupportedClients(clients, e), e);
    }
    started = true;
    try {
      admin.awaitBrokers(layout.nodeIds().size(), config.startupTimeout);
      if (!everStarted) {
        admin.grantEveryoneEverything();
        for (LocalMskBrokerBuilder.TopicSpec t : config.topics) {
          admin.createTopic(t.name, t.partitions, t.replicationFactor);
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
      admin.close();
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
      iam.restoreSystemProperties();
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
   * Needs {@link LocalMskBrokerBuilder#proxied(boolean)}.
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

  /**
   * Gives every broker a new key and certificate for the same names, as MSK does when it
   * rotates broker certificates: signed by the certificate authority that clients trust ({@link
   * #truststorePem()}), or, with {@code trusted} false, by an authority nobody trusts (a
   * misconfigured rotation: clients must refuse it). New connections get the new certificate;
   * established ones keep the one they were made with. Kafka applies it as a dynamic broker
   * configuration, without a restart, and keeps it across restarts. Returns once every broker
   * serves the new certificate (Kafka swaps it a moment after it accepted the change), so a
   * client connecting next gets it.
   *
   * @param trusted whether the clients' authority signs the new certificate
   * @throws LocalMskException if the brokers refuse the change, or a broker does not serve the
   *     new certificate within 30 s (each broker in turn)
   */
  public synchronized void rotateCertificate(boolean trusted) {
    Path keystore = tls.rotate(trusted);
    clusterAdmin().setBrokerConfig(layout.nodeIds(), "listener.name.iam.ssl.keystore.location", keystore.toString());
    // Kafka swaps the keystore after it acknowledged the change: wait until each serves it.
    java.security.cert.X509Certificate next = tls.certificate(keystore);
    for (int id : layout.nodeIds()) {
      ServedCertificates.await(ClusterLayout.BIND_HOST, layout.iamListenPort(id), next, Duration.ofSeconds(30));
    }
  }

  /**
   * The {@code host:port} a node advertises on the IAM listener: the address clients connect
   * to after bootstrapping (through its proxy, if proxied).
   *
   * @param nodeId the node, from {@link #brokerIds()}
   * @return the advertised address
   */
  public String advertisedAddress(int nodeId) {
    return ClusterLayout.advertisedHost(config.advertisedHost, nodeId) + ":" + layout.iamPort(nodeId);
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
    return iam.current().region();
  }

  /**
   * The certificate of the authority that signs the broker certificates, as PEM, for {@code
   * ssl.truststore.type=PEM}.
   *
   * @return the file's path
   */
  public Path truststorePem() {
    return tls.truststorePem();
  }

  /**
   * The certificate of the authority that signs the broker certificates, in a PKCS12 truststore
   * (password: {@link #truststorePassword()}).
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
    return clients.facts(identity(), region());
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
    return clients.environment(identity(identityName), region());
  }

  // ---------------------------------------------------------------- client settings

  /**
   * The TLS settings a client of the IAM or TLS listener needs: the PEM truststore. Hostname
   * verification stays on.
   *
   * @return {@code ssl.truststore.type} and {@code ssl.truststore.location}
   */
  public Properties sslProperties() {
    return clients.ssl();
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
    return clients.mskIam();
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
    return clients.unauthenticated(listener);
  }

  /**
   * The settings of a client of the {@link Listener#SCRAM} listener.
   *
   * @param username a user added with {@link #addScramUser}
   * @param password its password
   * @return bootstrap, SASL_SSL, SCRAM-SHA-512 with this user, and the truststore
   */
  public Properties scramClientProperties(String username, String password) {
    return clients.scram(username, password);
  }

  /**
   * Settings for an {@link Admin} on the internal listener, whose principal is a super user.
   *
   * @return bootstrap and security protocol of the internal listener
   */
  public Properties adminProperties() {
    Properties p = new Properties();
    p.putAll(ClusterAdmin.properties(layout));
    return p;
  }


  /**
   * The broker's shared admin client (super user). Do not close it: the broker does.
   *
   * @return the admin client
   * @throws LocalMskException if the broker is not running
   */
  public synchronized Admin admin() {
    return clusterAdmin().admin();
  }

  private synchronized ClusterAdmin clusterAdmin() {
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
    return TestIdentity.fromControl(iam.current().identities().iterator().next());
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
    return iam.current()
        .identity(name)
        .map(TestIdentity::fromControl)
        .orElseThrow(
            () ->
                new LocalMskException(
                    "no identity named '" + name + "': known are " + iam.names()));
  }

  /**
   * Every identity the broker accepts now.
   *
   * @return the identities, in the order they were added
   */
  public List<TestIdentity> identities() {
    List<TestIdentity> all = new ArrayList<>();
    iam.current().identities().forEach(i -> all.add(TestIdentity.fromControl(i)));
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
    iam.update(s -> s.withIdentity(identity.toControl()));
    iam.remember(identity.toControl());
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
    iam.update(s -> s.withoutIdentity(name));
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
    iam.followInSystemProperties(rotated);
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
    iam.update(s -> s.withAdditionalKey(added.toControl()));
    iam.remember(added.toControl());
    iam.followInSystemProperties(added);
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
    iam.update(s -> s.withoutAccessKey(accessKeyId));
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
    return () -> TestIdentity.fromControl(iam.lastKnown(name).orElseThrow()).toAwsCredentials();
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
    iam.installSystemProperties(identity(name));
    return iam::restoreSystemProperties;
  }


  // ---------------------------------------------------------------- IAM knobs

  /**
   * Moves the brokers' clock (for token checks only) by an offset: positive makes client tokens
   * look old (expired sooner), negative makes them look dated in the future.
   *
   * @param offset the offset, zero to undo
   */
  public synchronized void setClockOffset(Duration offset) {
    Objects.requireNonNull(offset, "offset");
    iam.update(s -> s.withClockOffset(offset));
  }

  /**
   * How far in the future a token's X-Amz-Date may be. Default 5 minutes (MSK's own value is not
   * public; 5 minutes is the common AWS allowance).
   *
   * @param skew the allowance, zero or positive
   */
  public synchronized void setClockSkewAllowance(Duration skew) {
    Objects.requireNonNull(skew, "skew");
    iam.update(s -> s.withClockSkewAllowance(skew));
  }

  /**
   * Caps how long a token is valid after its X-Amz-Date, whatever its X-Amz-Expires says, and
   * so how long a session lasts before the client must re-authenticate. {@code null} removes
   * the cap (the default: X-Amz-Expires alone decides, as on MSK).
   *
   * @param lifetime the cap, positive, or null
   */
  public synchronized void setMaxTokenLifetime(Duration lifetime) {
    iam.update(s -> s.withMaxTokenLifetime(lifetime));
  }

  /**
   * Limits new IAM authentications per second on each broker; over it, authentication fails
   * with {@code Too many connects}, as MSK's per-broker limit does. 0 removes the limit.
   * Default: the builder's {@link LocalMskBrokerBuilder#iamConnectionRateLimit(int)}, else no limit.
   *
   * @param perSecond authentications per second per broker, 0 for none
   */
  public synchronized void setIamConnectionRateLimit(int perSecond) {
    iam.update(s -> s.withConnectionRateLimit(perSecond));
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
    clusterAdmin().upsertScramUser(username, password);
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
    ClusterAdmin.checkTopic(name, partitions, replicationFactor, layout.nodeIds().size());
    clusterAdmin().createTopic(name, partitions, replicationFactor);
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
    return clusterAdmin().read(topic, count, timeout, keys, values);
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
    clusterAdmin().deny("User:" + identityName, operation, resource);
  }

  /** Removes every DENY ACL: everything is allowed again. */
  public void clearAcls() {
    clusterAdmin().clearDenies();
  }

  // ---------------------------------------------------------------- helpers

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
}
