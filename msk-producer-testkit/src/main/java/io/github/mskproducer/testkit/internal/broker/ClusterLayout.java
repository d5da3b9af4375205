package io.github.mskproducer.testkit.internal.broker;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskException;
import io.github.mskproducer.testkit.internal.control.ServerClasses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;
import org.apache.kafka.common.Uuid;

/**
 * Where everything of a local cluster lives (directories, ports, cluster id) and how each node
 * is configured. Persisted as {@code cluster.properties} so that a restart, or a second launch
 * on the same data directory, reuses the same cluster id and ports.
 */
public final class ClusterLayout {
  public static final String ADVERTISED_HOST = "localhost";
  public static final String BIND_HOST = "127.0.0.1";
  public static final Set<String> CERTIFICATE_HOSTS = Set.of("localhost", "127.0.0.1");
  static final String IAM = "IAM";
  static final String INTERNAL = "INTERNAL";
  static final String CONTROLLER = "CONTROLLER";
  static final String PLAINTEXT = "PLAINTEXT";
  static final String TLS = "TLS";
  static final String SCRAM = "SCRAM";
  private static final String LAYOUT_FILE = "cluster.properties";

  /** Ports of one node. 0 means the listener is off. */
  private static final class NodePorts {
    final int iam;
    final int internal;
    final int controller;
    final int plaintext;
    final int tls;
    final int scram;
    /** Where the IAM listener binds when a proxy fronts it (advertised: {@link #iam}); else 0. */
    final int iamBackend;

    NodePorts(int iam, int internal, int controller, int plaintext, int tls, int scram, int iamBackend) {
      this.iam = iam;
      this.iamBackend = iamBackend;
      this.internal = internal;
      this.controller = controller;
      this.plaintext = plaintext;
      this.tls = tls;
      this.scram = scram;
    }

    int port(LocalMskBroker.Listener listener) {
      switch (listener) {
        case IAM:
          return iam;
        case PLAINTEXT:
          return plaintext;
        case TLS:
          return tls;
        case SCRAM:
          return scram;
        default:
          throw new IllegalArgumentException(String.valueOf(listener));
      }
    }
  }

  private final Path dataDir;
  private final String clusterId;
  private final Map<Integer, NodePorts> ports;
  private final Set<LocalMskBroker.Listener> listeners;

  private ClusterLayout(
      Path dataDir,
      String clusterId,
      Map<Integer, NodePorts> ports,
      Set<LocalMskBroker.Listener> listeners) {
    this.dataDir = dataDir;
    this.clusterId = clusterId;
    this.ports = Collections.unmodifiableMap(ports);
    this.listeners = Collections.unmodifiableSet(listeners);
  }

  /**
   * The layout for {@code dataDir}: the stored one if the directory already holds a cluster of
   * this size, else a new one (fresh cluster id, ports as asked, ephemeral where 0).
   */
  public static ClusterLayout prepare(
      Path dataDir,
      int nodes,
      int firstIamPort,
      Set<LocalMskBroker.Listener> extraListeners,
      boolean proxied) {
    Path file = dataDir.resolve(LAYOUT_FILE);
    Set<LocalMskBroker.Listener> listeners = EnumSet.of(LocalMskBroker.Listener.IAM);
    listeners.addAll(extraListeners);
    if (Files.exists(file)) {
      Properties p = Files2.load(file);
      int storedNodes = Integer.parseInt(p.getProperty("nodes"));
      if (storedNodes != nodes) {
        throw new LocalMskException(
            "data directory "
                + dataDir
                + " holds a cluster of "
                + storedNodes
                + " broker(s), not "
                + nodes
                + ": use brokers("
                + storedNodes
                + ") or another data directory");
      }
      Map<Integer, NodePorts> ports = new LinkedHashMap<>();
      for (int id = 1; id <= nodes; id++) {
        String prefix = "node." + id + ".";
        int iam =
            firstIamPort > 0
                ? firstIamPort + id - 1
                : Integer.parseInt(p.getProperty(prefix + "iam"));
        int plaintext = Integer.parseInt(p.getProperty(prefix + "plaintext", "0"));
        int tls = Integer.parseInt(p.getProperty(prefix + "tls", "0"));
        int scram = Integer.parseInt(p.getProperty(prefix + "scram", "0"));
        int backend = Integer.parseInt(p.getProperty(prefix + "iamBackend", "0"));
        ports.put(
            id,
            new NodePorts(
                iam,
                Integer.parseInt(p.getProperty(prefix + "internal")),
                Integer.parseInt(p.getProperty(prefix + "controller")),
                listeners.contains(LocalMskBroker.Listener.PLAINTEXT)
                    ? (plaintext > 0 ? plaintext : freePort())
                    : 0,
                listeners.contains(LocalMskBroker.Listener.TLS) ? (tls > 0 ? tls : freePort()) : 0,
                listeners.contains(LocalMskBroker.Listener.SCRAM)
                    ? (scram > 0 ? scram : freePort())
                    : 0,
                proxied ? (backend > 0 ? backend : freePort()) : 0));
      }
      ClusterLayout layout = new ClusterLayout(dataDir, p.getProperty("cluster.id"), ports, listeners);
      layout.store();
      return layout;
    }
    Map<Integer, NodePorts> ports = new LinkedHashMap<>();
    for (int id = 1; id <= nodes; id++) {
      ports.put(
          id,
          new NodePorts(
              firstIamPort > 0 ? firstIamPort + id - 1 : freePort(),
              freePort(),
              freePort(),
              listeners.contains(LocalMskBroker.Listener.PLAINTEXT) ? freePort() : 0,
              listeners.contains(LocalMskBroker.Listener.TLS) ? freePort() : 0,
              listeners.contains(LocalMskBroker.Listener.SCRAM) ? freePort() : 0,
              proxied ? freePort() : 0));
    }
    ClusterLayout layout = new ClusterLayout(dataDir, Uuid.randomUuid().toString(), ports, listeners);
    layout.store();
    return layout;
  }

  private void store() {
    Properties p = new Properties();
    p.setProperty("cluster.id", clusterId);
    p.setProperty("nodes", Integer.toString(ports.size()));
    ports.forEach(
        (id, np) -> {
          String prefix = "node." + id + ".";
          p.setProperty(prefix + "iam", Integer.toString(np.iam));
          p.setProperty(prefix + "internal", Integer.toString(np.internal));
          p.setProperty(prefix + "controller", Integer.toString(np.controller));
          p.setProperty(prefix + "plaintext", Integer.toString(np.plaintext));
          p.setProperty(prefix + "tls", Integer.toString(np.tls));
          p.setProperty(prefix + "scram", Integer.toString(np.scram));
          p.setProperty(prefix + "iamBackend", Integer.toString(np.iamBackend));
        });
    Files2.store(dataDir.resolve(LAYOUT_FILE), p, "msk-producer testkit: local cluster layout");
  }

  public Path dataDir() {
    return dataDir;
  }

  public String clusterId() {
    return clusterId;
  }

  public List<Integer> nodeIds() {
    return new ArrayList<>(ports.keySet());
  }

  private NodePorts ports(int nodeId) {
    NodePorts np = ports.get(nodeId);
    if (np == null) {
      throw new IllegalArgumentException(
          "no broker with node id " + nodeId + ": node ids are " + ports.keySet());
    }
    return np;
  }

  /** The advertised IAM port of a node and, if proxied, the port its listener binds. */
  public int iamPort(int nodeId) {
    return ports(nodeId).iam;
  }

  public int iamBackendPort(int nodeId) {
    return ports(nodeId).iamBackend;
  }

  /** The port a node's IAM listener binds on {@link #BIND_HOST}: behind its proxy, if any. */
  public int iamListenPort(int nodeId) {
    NodePorts np = ports(nodeId);
    return np.iamBackend > 0 ? np.iamBackend : np.iam;
  }

  public boolean has(LocalMskBroker.Listener listener) {
    return listeners.contains(listener);
  }

  public Path controlFile() {
    return dataDir.resolve("iam-control.properties");
  }

  public Path tlsDir() {
    return dataDir.resolve("tls");
  }

  public Path nodeDir(int nodeId) {
    return dataDir.resolve("node-" + nodeId);
  }

  /** {@code host:port} of every node's listener, comma-separated. */
  public String bootstrap(LocalMskBroker.Listener listener) {
    if (!has(listener)) {
      throw new LocalMskException(
          "the "
              + listener
              + " listener is off: enable it with LocalMskBroker.builder().extraListeners(Listener."
              + listener
              + ")");
    }
    StringJoiner j = new StringJoiner(",");
    ports.values().forEach(np -> j.add(ADVERTISED_HOST + ":" + np.port(listener)));
    return j.toString();
  }

  /** The internal PLAINTEXT listeners (principal User:ANONYMOUS, a super user): for admin. */
  public String internalBootstrap() {
    StringJoiner j = new StringJoiner(",");
    ports.values().forEach(np -> j.add(BIND_HOST + ":" + np.internal));
    return j.toString();
  }

  /** Broker settings the builder decided, before the user's own overrides. */
  public static final class BrokerSettings {
    public Duration connectionsMaxReauth;
    public Duration connectionsMaxIdle;
    public boolean autoCreateTopics;
    /** The host name the client listeners advertise; clients bootstrap via localhost. */
    public String advertisedHost = ADVERTISED_HOST;
    public final Map<String, String> overrides = new LinkedHashMap<>();
  }

  /**
   * The host name a node advertises: {@code host}, with {@code {node}} replaced by the node's
   * id (e.g. {@code b-{node}.local.test}, as MSK names its brokers b-1, b-2, ...).
   */
  public static String advertisedHost(String host, int nodeId) {
    return host.replace("{node}", Integer.toString(nodeId));
  }

  /** The complete {@code server.properties} of one node. */
  public Properties nodeConfig(int nodeId, TlsMaterial tls, BrokerSettings settings) {
    NodePorts np = ports(nodeId);
    int n = ports.size();
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", Integer.toString(nodeId));
    StringJoiner voters = new StringJoiner(",");
    ports.forEach((id, other) -> voters.add(id + "@" + BIND_HOST + ":" + other.controller));
    p.setProperty("controller.quorum.voters", voters.toString());
    p.setProperty("controller.listener.names", CONTROLLER);
    p.setProperty("inter.broker.listener.name", INTERNAL);

    StringJoiner bind = new StringJoiner(",");
    StringJoiner advertised = new StringJoiner(",");
    StringJoiner protocols = new StringJoiner(",");
    bind.add(IAM + "://" + BIND_HOST + ":" + (np.iamBackend > 0 ? np.iamBackend : np.iam));
    String host = advertisedHost(settings.advertisedHost, nodeId);
    advertised.add(IAM + "://" + host + ":" + np.iam);
    protocols.add(IAM + ":SASL_SSL");
    bind.add(INTERNAL + "://" + BIND_HOST + ":" + np.internal);
    advertised.add(INTERNAL + "://" + BIND_HOST + ":" + np.internal);
    protocols.add(INTERNAL + ":PLAINTEXT");
    bind.add(CONTROLLER + "://" + BIND_HOST + ":" + np.controller);
    protocols.add(CONTROLLER + ":PLAINTEXT");
    if (np.plaintext > 0) {
      bind.add(PLAINTEXT + "://" + BIND_HOST + ":" + np.plaintext);
      advertised.add(PLAINTEXT + "://" + host + ":" + np.plaintext);
      protocols.add(PLAINTEXT + ":PLAINTEXT");
    }
    if (np.tls > 0) {
      bind.add(TLS + "://" + BIND_HOST + ":" + np.tls);
      advertised.add(TLS + "://" + host + ":" + np.tls);
      protocols.add(TLS + ":SSL");
    }
    if (np.scram > 0) {
      bind.add(SCRAM + "://" + BIND_HOST + ":" + np.scram);
      advertised.add(SCRAM + "://" + host + ":" + np.scram);
      protocols.add(SCRAM + ":SASL_SSL");
      p.setProperty("listener.name.scram.sasl.enabled.mechanisms", "SCRAM-SHA-512");
      p.setProperty(
          "listener.name.scram.scram-sha-512.sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }
    p.setProperty("listeners", bind.toString());
    p.setProperty("advertised.listeners", advertised.toString());
    p.setProperty("listener.security.protocol.map", protocols.toString());

    p.setProperty("log.dirs", nodeDir(nodeId).resolve("data").toString());

    // MSK IAM on the IAM listener: OAUTHBEARER (what aws-msk-iam-auth's handlers use) and the
    // legacy AWS_MSK_IAM mechanism.
    String control = jaasQuote(controlFile().toString());
    String handler = ServerClasses.CALLBACK_HANDLER;
    p.setProperty("listener.name.iam.sasl.enabled.mechanisms", "OAUTHBEARER,AWS_MSK_IAM");
    p.setProperty(
        "listener.name.iam.oauthbearer.sasl.jaas.config",
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
            + " unsecuredLoginStringClaim_sub=\"local-msk-broker\" "
            + ServerClasses.CONTROL_FILE_OPTION
            + "="
            + control
            + ";");
    p.setProperty("listener.name.iam.oauthbearer.sasl.server.callback.handler.class", handler);
    p.setProperty(
        "listener.name.iam.aws_msk_iam.sasl.jaas.config",
        ServerClasses.LEGACY_LOGIN_MODULE
            + " required "
            + ServerClasses.CONTROL_FILE_OPTION
            + "="
            + control
            + ";");
    p.setProperty("listener.name.iam.aws_msk_iam.sasl.server.callback.handler.class", handler);
    if (settings.connectionsMaxReauth != null) {
      String ms = Long.toString(settings.connectionsMaxReauth.toMillis());
      p.setProperty("listener.name.iam.oauthbearer.connections.max.reauth.ms", ms);
      p.setProperty("listener.name.iam.aws_msk_iam.connections.max.reauth.ms", ms);
    }
    if (settings.connectionsMaxIdle != null) {
      p.setProperty(
          "connections.max.idle.ms", Long.toString(settings.connectionsMaxIdle.toMillis()));
    }

    p.setProperty("ssl.keystore.type", "PKCS12");
    p.setProperty("ssl.keystore.location", tls.keystore().toString());
    p.setProperty("ssl.keystore.password", tls.keystorePassword());
    p.setProperty("ssl.key.password", tls.keystorePassword());
    p.setProperty("ssl.client.auth", "none");

    p.setProperty("authorizer.class.name", ServerClasses.AUTHORIZER);
    p.setProperty("super.users", "User:ANONYMOUS");
    // Everything is allowed through an ALLOW ACL for User:* that LocalMskBroker adds at first
    // start; DENY ACLs then work per identity, as IAM policies do on MSK.
    p.setProperty("allow.everyone.if.no.acl.found", "false");

    // MSK's defaults where they differ from Kafka's, sized to the cluster.
    p.setProperty("auto.create.topics.enable", Boolean.toString(settings.autoCreateTopics));
    String rf = Integer.toString(Math.min(n, 3));
    String isr = n >= 3 ? "2" : "1";
    p.setProperty("default.replication.factor", rf);
    p.setProperty("min.insync.replicas", isr);
    p.setProperty("offsets.topic.replication.factor", rf);
    p.setProperty("transaction.state.log.replication.factor", rf);
    p.setProperty("transaction.state.log.min.isr", isr);
    p.setProperty("share.coordinator.state.topic.replication.factor", rf);
    p.setProperty("share.coordinator.state.topic.min.isr", isr);
    p.setProperty("num.partitions", "1");

    // Small and quick: this broker shares a laptop or a 2-core CI machine.
    p.setProperty("offsets.topic.num.partitions", "5");
    p.setProperty("transaction.state.log.num.partitions", "5");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    p.setProperty("num.network.threads", "2");
    p.setProperty("num.io.threads", "4");
    p.setProperty("background.threads", "4");
    p.setProperty("num.recovery.threads.per.data.dir", "1");
    p.setProperty("log.cleaner.threads", "1");
    p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));

    settings.overrides.forEach(p::setProperty);
    return p;
  }

  private static String jaasQuote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** A port free on 127.0.0.1 right now (the usual small race is accepted). */
  /**
   * A port free now, below Linux's ephemeral range (32768-60999): a port chosen by the kernel
   * (bind to 0) comes from that range, so an outgoing connection of any process may take it
   * between this check and the broker's bind ("Address already in use", seen in CI). Ports
   * handed out by this JVM are not handed out again.
   */
  static int freePort() {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = random.nextInt(FIRST_PORT, LAST_PORT);
      if (HANDED_OUT.add(port) && bindable(port)) {
        return port;
      }
    }
    try (ServerSocket s = new ServerSocket()) { // everything tried was taken: let the kernel choose
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(BIND_HOST), 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new LocalMskException("cannot find a free port on " + BIND_HOST, e);
    }
  }

  private static final int FIRST_PORT = 20000;
  private static final int LAST_PORT = 32000;
  private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(BIND_HOST), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
