package io.github.mskproducer.testkit;

import io.github.mskproducer.testkit.LocalMskBroker.Listener;
import io.github.mskproducer.testkit.internal.broker.ClusterAdmin;
import io.github.mskproducer.testkit.internal.broker.ClusterLayout;
import io.github.mskproducer.testkit.internal.control.IamSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Configures a {@link LocalMskBroker}. Every setter checks its argument at once and says
 * what is wrong; {@link #build()} checks the options against each other.
 */
public final class LocalMskBrokerBuilder {
  String region = LocalMskBroker.DEFAULT_REGION;
  int brokers = 1;
  LocalMskBroker.Mode mode = LocalMskBroker.Mode.IN_PROCESS;
  int port;
  Path dataDir;
  final List<TestIdentity> identities = new ArrayList<>();
  Duration clockOffset = Duration.ZERO;
  Duration clockSkewAllowance = IamSettings.DEFAULT_CLOCK_SKEW;
  Duration maxTokenLifetime;
  int iamConnectionRateLimit;
  Duration connectionsMaxReauth;
  Duration connectionsMaxIdle;
  final Set<Listener> extraListeners = EnumSet.noneOf(Listener.class);
  boolean autoCreateTopics;
  boolean proxied;
  String advertisedHost = ClusterLayout.ADVERTISED_HOST;
  final List<TopicSpec> topics = new ArrayList<>();
  final Map<String, String> brokerProperties = new LinkedHashMap<>();
  List<String> childJvmOptions =
      List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  Duration startupTimeout = Duration.ofSeconds(90);
  System.Logger.Level kafkaLogLevel = System.Logger.Level.WARNING;

  static final class TopicSpec {
    final String name;
    final int partitions;
    final short replicationFactor;

    TopicSpec(String name, int partitions, short replicationFactor) {
      this.name = name;
      this.partitions = partitions;
      this.replicationFactor = replicationFactor;
    }
  }

  LocalMskBrokerBuilder() {}

  LocalMskBrokerBuilder copy() {
    LocalMskBrokerBuilder b = new LocalMskBrokerBuilder();
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
  public LocalMskBrokerBuilder region(String region) {
    Objects.requireNonNull(region, "region");
    if (!LocalMskBroker.REGION.matcher(region).matches()) {
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
  public LocalMskBrokerBuilder brokers(int brokers) {
    if (brokers < 1 || brokers > 9) {
      throw new IllegalArgumentException("brokers must be 1 to 9, was " + brokers);
    }
    this.brokers = brokers;
    return this;
  }

  /**
   * Where the nodes run. Default {@link LocalMskBroker.Mode#IN_PROCESS}.
   *
   * @param mode the mode
   * @return this builder
   */
  public LocalMskBrokerBuilder mode(LocalMskBroker.Mode mode) {
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
  public LocalMskBrokerBuilder port(int port) {
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
  public LocalMskBrokerBuilder dataDir(Path dataDir) {
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
  public LocalMskBrokerBuilder identity(TestIdentity identity) {
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
  public LocalMskBrokerBuilder clockOffset(Duration offset) {
    this.clockOffset = Objects.requireNonNull(offset, "clockOffset");
    return this;
  }

  /**
   * How far in the future a token's X-Amz-Date may be. Default 5 minutes.
   *
   * @param skew zero or positive
   * @return this builder
   */
  public LocalMskBrokerBuilder clockSkewAllowance(Duration skew) {
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
  public LocalMskBrokerBuilder maxTokenLifetime(Duration lifetime) {
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
  public LocalMskBrokerBuilder iamConnectionRateLimit(int perSecond) {
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
  public LocalMskBrokerBuilder connectionsMaxReauth(Duration maxReauth) {
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
  public LocalMskBrokerBuilder connectionsMaxIdle(Duration maxIdle) {
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
  public LocalMskBrokerBuilder extraListeners(Listener... listeners) {
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
  public LocalMskBrokerBuilder autoCreateTopics(boolean enabled) {
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
  public LocalMskBrokerBuilder proxied(boolean proxied) {
    this.proxied = proxied;
    return this;
  }

  /**
   * The host name the brokers advertise to clients, which still bootstrap through {@code
   * localhost}; {@code {node}} in it stands for each node's id, so that each broker has a name
   * of its own, as on MSK ({@code b-{node}.local.test}: {@code b-1.local.test}, ...). The names
   * are in the broker certificate. Default {@code localhost}. Another name reproduces the
   * classic failure of a cluster that advertises addresses the client cannot reach
   * (VPC-private names seen from outside), or, with a resolver the test controls, DNS
   * failures and brokers that move to a new address.
   *
   * @param host a host name
   * @return this builder
   */
  public LocalMskBrokerBuilder advertisedHost(String host) {
    Objects.requireNonNull(host, "advertisedHost");
    if (!host.replace("{node}", "1").matches("[A-Za-z0-9.-]{1,253}")) {
      throw new IllegalArgumentException(
          "advertisedHost '" + host + "' is not a host name (letters, digits, '.', '-', and"
              + " {node} for the node id)");
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
  public LocalMskBrokerBuilder topic(String name, int partitions) {
    Objects.requireNonNull(name, "name");
    ClusterAdmin.checkTopic(name, partitions, (short) 1, Integer.MAX_VALUE);
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
  public LocalMskBrokerBuilder brokerProperty(String key, String value) {
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
  public LocalMskBrokerBuilder childJvmOptions(List<String> options) {
    Objects.requireNonNull(options, "childJvmOptions");
    options.forEach(o -> Objects.requireNonNull(o, "childJvmOptions element"));
    this.childJvmOptions = List.copyOf(options);
    return this;
  }

  /**
   * How much of Kafka's own logging reaches yours. Default {@code WARNING}: a broker logs
   * thousands of INFO lines per test run. The lines go to your SLF4J logging under Kafka's
   * logger names (your configuration still filters them); in {@link LocalMskBroker.Mode#CHILD_PROCESS} they
   * go to each node's {@code broker.log}. The testkit's own broker-side lines (why a token was
   * refused, at DEBUG, under {@code io.github.mskproducer.testkit}) are left to your logging
   * configuration alone. Brokers in one JVM share one setting: the last started wins.
   *
   * @param level the lowest level let through; {@code OFF} for none
   * @return this builder
   */
  public LocalMskBrokerBuilder kafkaLogLevel(System.Logger.Level level) {
    this.kafkaLogLevel = Objects.requireNonNull(level, "kafkaLogLevel");
    return this;
  }

  /**
   * How long {@link LocalMskBroker#start()} waits for the nodes. Default 90 seconds.
   *
   * @param timeout positive
   * @return this builder
   */
  public LocalMskBrokerBuilder startupTimeout(Duration timeout) {
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
}
