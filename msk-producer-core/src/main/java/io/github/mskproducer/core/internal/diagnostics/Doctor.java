package io.github.mskproducer.core.internal.diagnostics;

import io.github.mskproducer.core.internal.Causes;
import io.github.mskproducer.core.internal.auth.AccessKeys;
import io.github.mskproducer.core.Finding;
import io.github.mskproducer.core.Finding.Status;
import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskAuthenticationException;
import io.github.mskproducer.core.MskAuthorizationException;
import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.core.MskProducerException;
import io.github.mskproducer.core.internal.Version;
import io.github.mskproducer.core.internal.auth.CredentialsProviders;
import io.github.mskproducer.core.internal.auth.IamTokenGenerator;
import io.github.mskproducer.core.internal.auth.TokenSource;
import io.github.mskproducer.core.internal.auth.TokenSources;
import io.github.mskproducer.core.internal.config.KafkaProperties;
import io.github.mskproducer.core.internal.config.MskHosts;
import io.github.mskproducer.core.internal.config.Settings;
import io.github.mskproducer.core.internal.send.Errors;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/** Runs the connectivity checks of {@code MskDiagnostics}, each within its time budget. */
public final class Doctor {
  private final Duration budget;
  private final String topic;
  private final boolean testWrites;
  private final List<Finding> findings = new ArrayList<>();
  /** The access key id's first characters, once known: what reports may show of it. */
  private String shownKey;
  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "msk-producer-doctor");
            t.setDaemon(true);
            return t;
          });

  public Doctor(Duration budget, String topic, boolean testWrites) {
    this.budget = budget;
    this.topic = topic;
    this.testWrites = testWrites;
  }

  /**
   * @param settings the resolved configuration, or null if it did not resolve
   * @param configError why it did not resolve, or null
   * @param rawBootstrap the bootstrap servers as given
   * @param auth the authentication as given
   */
  public List<Finding> run(
      Settings settings, MskConfigurationException configError, String rawBootstrap, MskAuth auth) {
    try {
      List<MskHosts.Address> addresses = configuration(settings, configError, rawBootstrap, auth);
      if (addresses.isEmpty()) {
        skipRest("the bootstrap servers could not be read");
        return findings;
      }
      List<MskHosts.Address> reachable = new ArrayList<>();
      for (MskHosts.Address a : addresses) {
        if (network(a, auth.mechanism(), settings)) {
          reachable.add(a);
        }
      }
      if (settings == null) {
        skipRest("fix the configuration first");
        return findings;
      }
      TokenSource source = null;
      CredentialsProviders.Made made = null;
      try {
        if (auth.mechanism() == MskAuth.Mechanism.IAM) {
          made = CredentialsProviders.create(auth.iamCredentials().orElseThrow(), settings.region());
          source = credentialsAndToken(settings, made);
          if (source == null) {
            skipRest("no credentials");
            return findings;
          }
        } else {
          add("credentials", null, Status.SKIPPED, "not IAM: auth is " + auth, null, null);
        }
        if (reachable.isEmpty()) {
          skipRest("no broker is reachable");
          return findings;
        }
        String tokenSourceId = source == null ? null : TokenSources.register(source);
        try {
          clusterChecks(settings, tokenSourceId);
        } finally {
          if (tokenSourceId != null) {
            TokenSources.unregister(tokenSourceId);
          }
        }
      } finally {
        if (made != null) {
          made.close();
        }
      }
      return findings;
    } finally {
      executor.shutdownNow();
    }
  }

  // ------------------------------------------------------------------ configuration

  private List<MskHosts.Address> configuration(
      Settings s, MskConfigurationException error, String rawBootstrap, MskAuth auth) {
    if (error != null) {
      add(
          "configuration",
          error.option(),
          Status.FAIL,
          error.getMessage(),
          "the configuration is not one the producer can work with",
          "change " + error.option() + " as the message says");
    } else {
      add(
          "configuration",
          null,
          Status.OK,
          "auth "
              + s.auth()
              + " to "
              + s.brokers().size()
              + " bootstrap broker(s)"
              + (s.brokers().stream().anyMatch(a -> MskHosts.isMskHost(a.host()))
                  ? ", ports match the authentication"
                  : ", not MSK host names: ports not judged"),
          null,
          null);
      if (s.region() != null) {
        add("region", null, Status.OK, s.region() + " (" + s.regionSource() + ")", null, null);
      }
    }
    if (s != null) {
      return s.brokers();
    }
    try {
      return MskHosts.parse(rawBootstrap);
    } catch (MskConfigurationException e) {
      return List.of();
    }
  }

  // ------------------------------------------------------------------ DNS, TCP, TLS

  /** DNS, TCP and (unless plaintext) TLS to one broker; true if all passed. */
  private boolean network(MskHosts.Address a, MskAuth.Mechanism mechanism, Settings settings) {
    String target = a.toString();
    InetAddress[] ips;
    try {
      ips = within(() -> InetAddress.getAllByName(a.host()));
      add(
          "dns",
          target,
          Status.OK,
          "resolves to "
              + Arrays.stream(ips).map(InetAddress::getHostAddress).collect(Collectors.joining(", ")),
          null,
          null);
    } catch (Exception e) {
      add(
          "dns",
          target,
          Status.FAIL,
          "cannot resolve " + a.host() + ": " + describe(e),
          "the name does not exist, or this machine's DNS cannot see it (a private hosted zone, VPC"
              + " DNS resolution or DNS hostnames turned off, a typo)",
          "use the brokers from 'aws kafka get-bootstrap-brokers'; from outside the VPC use public"
              + " access (port 9198) or a VPN/peering with DNS resolution");
      return false;
    }
    try {
      within(
          () -> {
            try (Socket s = new Socket()) {
              s.connect(new InetSocketAddress(ips[0], a.port()), (int) budget.toMillis());
            }
            return null;
          });
      add("tcp", target, Status.OK, "connected to " + ips[0].getHostAddress() + ":" + a.port(), null, null);
    } catch (Exception e) {
      Throwable c = Causes.root(e);
      if (c instanceof ConnectException) {
        add(
            "tcp",
            target,
            Status.FAIL,
            "connection refused by " + ips[0].getHostAddress() + ":" + a.port(),
            "nothing listens on port " + a.port() + " there: a wrong port, or the listener for it is"
                + " not enabled on the cluster",
            "use the port of your authentication: IAM 9098 (public 9198), TLS 9094 (9194), SCRAM 9096"
                + " (9196), PLAINTEXT 9092");
      } else {
        add(
            "tcp",
            target,
            Status.FAIL,
            "no connection within " + budget.toMillis() + " ms: " + describe(e),
            "packets are dropped on the way: a security group, a network ACL or a route",
            "allow inbound TCP " + a.port() + " on the brokers' security group from this client's"
                + " security group (or address); check NACLs and route tables between them");
      }
      return false;
    }
    if (mechanism == MskAuth.Mechanism.PLAINTEXT) {
      add("tls", target, Status.SKIPPED, "plaintext: no TLS", null, null);
      return true;
    }
    return tls(a, ips[0], settings);
  }

  private boolean tls(MskHosts.Address a, InetAddress ip, Settings settings) {
    String target = a.toString();
    try {
      String protocol =
          within(
              () -> {
                SSLContext context =
                    TrustStores.context(
                        settings == null ? null : settings.truststore(),
                        settings == null ? null : settings.truststorePassword());
                try (Socket raw = new Socket()) {
                  raw.connect(new InetSocketAddress(ip, a.port()), (int) budget.toMillis());
                  raw.setSoTimeout((int) budget.toMillis());
                  try (SSLSocket ssl =
                      (SSLSocket)
                          context.getSocketFactory().createSocket(raw, a.host(), a.port(), false)) {
                    SSLParameters params = ssl.getSSLParameters();
                    params.setEndpointIdentificationAlgorithm("HTTPS");
                    ssl.setSSLParameters(params);
                    ssl.startHandshake();
                    return ssl.getSession().getProtocol();
                  }
                }
              });
      add("tls", target, Status.OK, protocol + " handshake, certificate trusted for " + a.host(), null, null);
      return true;
    } catch (Exception e) {
      Throwable c = Causes.root(e);
      String m = String.valueOf(messages(e));
      if (m.contains("PKIX") || m.contains("unable to find valid certification path")) {
        add(
            "tls",
            target,
            Status.FAIL,
            "the broker's certificate is not trusted: " + describe(e),
            "the certificate is not signed by a CA in the truststore in use",
            "MSK's certificates are trusted by the JVM's default truststore; for another broker give"
                + " its CA with truststore(...) (doctor: --truststore-pem FILE)");
      } else if (m.contains("No subject alternative") || m.contains("doesn't match any of the subject")) {
        add(
            "tls",
            target,
            Status.FAIL,
            "the certificate does not name " + a.host() + ": " + describe(e),
            "host name mismatch: connecting by an address the certificate does not cover (an IP"
                + " address, a CNAME, a proxy)",
            "connect with the broker's own DNS name, as 'aws kafka get-bootstrap-brokers' gives it");
      } else if (c instanceof SocketTimeoutException || e instanceof TimeoutException) {
        add(
            "tls",
            target,
            Status.FAIL,
            "no TLS answer within " + budget.toMillis() + " ms",
            "the peer accepted TCP but does not speak TLS on this port, or answers too slowly",
            "check the port: TLS is spoken on 9094/9194, SASL_SSL on 9096/9098/9196/9198; 9092 is"
                + " PLAINTEXT");
      } else if (c instanceof SSLException || c instanceof IOException) {
        add(
            "tls",
            target,
            Status.FAIL,
            "TLS handshake failed: " + describe(e),
            "the peer does not speak TLS on this port: wrong port? (9092 is PLAINTEXT)",
            "use the port of your authentication: IAM 9098 (public 9198), TLS 9094, SCRAM 9096;"
                + " 9092 is PLAINTEXT");
      } else {
        add("tls", target, Status.FAIL, "TLS check failed: " + describe(e), "unexpected", "see the message");
      }
      return false;
    }
  }

  // ------------------------------------------------------------------ credentials and token

  private TokenSource credentialsAndToken(Settings s, CredentialsProviders.Made made) {
    MskAuth.IamCredentials c = s.auth().iamCredentials().orElseThrow();
    AwsCredentials credentials;
    try {
      credentials = within(() -> made.provider().resolveCredentials());
    } catch (Exception e) {
      add(
          "credentials",
          c.toString(),
          Status.FAIL,
          "no credentials from the " + c + ": " + describe(e),
          "the credential source has nothing for this process (environment, profile, role)",
          "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, use --profile or --role-arn, or run where a"
              + " role is attached");
      return null;
    }
    String key = credentials.accessKeyId();
    String shown = AccessKeys.shown(key);
    shownKey = shown;
    Instant now = Instant.now();
    if (credentials.expirationTime().isPresent() && !credentials.expirationTime().get().isAfter(now)) {
      add(
          "credentials",
          c.toString(),
          Status.FAIL,
          "access key " + shown + " expired at " + credentials.expirationTime().get(),
          "the credentials expired",
          "refresh them (a refreshing provider such as the default chain or assume-role does)");
      return null;
    }
    add(
        "credentials",
        c.toString(),
        Status.OK,
        "access key "
            + shown
            + (credentials.expirationTime().isPresent()
                ? ", expires " + credentials.expirationTime().get()
                : ", long-term (no expiry)"),
        null,
        null);
    TokenSource source =
        new TokenSource(
            made.provider(), c.toString(), s.region(), new IamTokenGenerator(Clock.systemUTC(), Version.userAgent()), null);
    try {
      IamTokenGenerator.Token token = source.newToken();
      add(
          "token",
          null,
          Status.OK,
          "signed for region "
              + s.region()
              + " (host kafka."
              + s.region()
              + ".amazonaws.com), valid until "
              + token.expiresAt(),
          null,
          null);
    } catch (IOException e) {
      add("token", null, Status.FAIL, describe(e), "the token could not be signed", "see the message");
      return null;
    }
    add(
        "clock",
        null,
        Status.SKIPPED,
        "local clock " + Instant.now() + "; no trustworthy time source to compare it with here",
        null,
        "if authentication fails, check that NTP keeps this clock within 5 minutes of real time");
    return source;
  }

  // ------------------------------------------------------------------ the cluster

  private void clusterChecks(Settings s, String tokenSourceId) {
    Map<String, Object> props = adminProperties(s, tokenSourceId);
    try (Admin admin = Admin.create(props)) {
      DescribeClusterResult cluster = admin.describeCluster();
      String clusterId;
      Collection<Node> nodes;
      try {
        clusterId = cluster.clusterId().get(budget.toMillis(), TimeUnit.MILLISECONDS);
        nodes = cluster.nodes().get(budget.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        if (!(errors(s).general(e, "") instanceof MskAuthenticationException)
            && bootstrapOnly(s, tokenSourceId)) {
          return;
        }
        authenticationFailed(s, e);
        skipRest("the brokers could not be queried");
        return;
      }
      add(
          "authentication",
          null,
          Status.OK,
          s.auth().isIam() ? "the brokers accepted the IAM token" : "the brokers accepted the client (" + s.auth() + ")",
          null,
          null);
      add(
          "metadata",
          null,
          Status.OK,
          "cluster "
              + clusterId
              + ", "
              + nodes.size()
              + " broker(s): "
              + nodes.stream().map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(", ")),
          null,
          null);
      for (Node n : nodes) {
        advertised(n);
      }
      topicChecks(admin, s, tokenSourceId);
    }
  }

  /**
   * The admin client got no answer, though it connected: ask the bootstrap broker itself for
   * metadata (a consumer's first metadata request goes to the bootstrap connection). If that
   * works, authentication is fine and the advertised brokers are what cannot be reached.
   */
  private boolean bootstrapOnly(Settings s, String tokenSourceId) {
    Map<String, Object> props = propertiesFor(s, tokenSourceId, ConsumerConfig.configNames());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "msk-producer-doctor-metadata");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) budget.toMillis());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      Map<String, List<PartitionInfo>> topics = consumer.listTopics(budget);
      Map<Integer, Node> nodes = new LinkedHashMap<>();
      topics.values().forEach(ps -> ps.forEach(p -> {
        if (p.leader() != null) {
          nodes.putIfAbsent(p.leader().id(), p.leader());
        }
      }));
      add(
          "authentication",
          null,
          Status.OK,
          "the bootstrap broker accepted the client",
          null,
          null);
      add(
          "metadata",
          null,
          Status.FAIL,
          "the bootstrap broker answered, but no request to the cluster's advertised brokers"
              + " completed within "
              + budget.toMillis()
              + " ms; advertised: "
              + nodes.values().stream().map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(", ")),
          "clients reach the bootstrap address, then must reach every broker at the address it"
              + " advertises",
          "see the advertised-broker checks");
      nodes.values().forEach(this::advertised);
      if (topic != null) {
        add("topic", topic, Status.SKIPPED, "not run: the brokers cannot be reached", null, null);
      }
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void authenticationFailed(Settings s, Exception e) {
    Errors errors = errors(s);
    MskProducerException x = errors.general(e, "the brokers could not be queried");
    if (x instanceof MskAuthenticationException) {
      MskAuthenticationException a = (MskAuthenticationException) x;
      String cause;
      String fix;
      switch (a.reason()) {
        case TOO_MANY_CONNECTS:
          cause = "MSK's limit on new IAM connections per broker per second was hit";
          fix = "create producers once and share them; stagger start-ups; reconnect back-off >= 1 s";
          break;
        case PRINCIPAL_CHANGED:
          cause = "a re-authentication presented another principal";
          fix = "use a fixed role session name";
          break;
        case NO_CREDENTIALS:
        case CREDENTIALS_EXPIRED:
          cause = "no usable credentials";
          fix = "see the credentials check";
          break;
        case MECHANISM_NOT_ENABLED:
          cause = "the port belongs to another kind of authentication than " + s.auth().mechanism();
          fix = "use the cluster's port for this authentication: " + Errors.portFor(s.auth().mechanism().name());
          break;
        default:
          cause =
              "the token's signature, region or age is wrong: a secret that does not belong to the"
                  + " key, an unknown or deleted key, a region that is not the cluster's ("
                  + s.region()
                  + " here), or a clock more than 5 minutes off; MSK does not say which";
          fix =
              "check the credentials (aws sts get-caller-identity), the region, the clock (NTP),"
                  + " and that the policy allows kafka-cluster:Connect";
      }
      add("authentication", a.reason().name(), Status.FAIL, x.getMessage(), cause, fix);
    } else if (x instanceof MskAuthorizationException) {
      add(
          "authentication",
          null,
          Status.FAIL,
          x.getMessage(),
          "authenticated, but not allowed to connect",
          "allow kafka-cluster:Connect on the cluster in the identity's IAM policy");
    } else {
      add(
          "metadata",
          null,
          Status.FAIL,
          "no answer from the brokers within " + budget.toMillis() + " ms: " + x.getMessage(),
          "connected but got no answer: an authentication that never completes, or an overloaded"
              + " cluster",
          "run again with a longer --timeout; check the brokers' health");
    }
  }

  private void advertised(Node n) {
    String target = n.host() + ":" + n.port();
    try {
      within(
          () -> {
            InetAddress ip = InetAddress.getByName(n.host());
            try (Socket s = new Socket()) {
              s.connect(new InetSocketAddress(ip, n.port()), (int) budget.toMillis());
            }
            return null;
          });
      add("advertised-broker", target, Status.OK, "broker " + n.id() + " resolves and connects from here", null, null);
    } catch (Exception e) {
      add(
          "advertised-broker",
          target,
          Status.FAIL,
          "broker " + n.id() + " advertises " + target + ", which " + (Causes.root(e) instanceof UnknownHostException ? "does not resolve" : "does not connect") + " from here: " + describe(e),
          "the bootstrap address worked, but the cluster tells clients to use addresses this"
              + " client cannot reach (VPC-private names from outside, a proxy or port-forward that"
              + " covers the bootstrap address only)",
          "reach the brokers' advertised names and ports (same VPC, peering with DNS, public access"
              + " on 9198), not a forwarded bootstrap port");
    }
  }

  private void topicChecks(Admin admin, Settings s, String tokenSourceId) {
    if (topic == null) {
      add("topic", null, Status.SKIPPED, "no topic given", null, null);
      return;
    }
    TopicDescription d;
    try {
      d =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(budget.toMillis(), TimeUnit.MILLISECONDS)
              .get(topic);
    } catch (Exception e) {
      Throwable c = Causes.root(e);
      if (c instanceof UnknownTopicOrPartitionException) {
        add(
            "topic",
            topic,
            Status.FAIL,
            "topic " + topic + " does not exist",
            "it was never created (MSK does not create topics on first use unless"
                + " auto.create.topics.enable is on), or it is spelt differently",
            "create it, e.g. kafka-topics.sh --create --topic " + topic + " (or ask the cluster's owner)");
      } else if (c instanceof TopicAuthorizationException) {
        add(
            "topic",
            topic,
            Status.FAIL,
            "not allowed to describe topic " + topic,
            "the identity's IAM policy lacks kafka-cluster:DescribeTopic on the topic",
            "allow kafka-cluster:DescribeTopic on arn:aws:kafka:"
                + s.region()
                + ":<account>:topic/<cluster>/<uuid>/"
                + topic);
      } else {
        add("topic", topic, Status.FAIL, "describe failed: " + describe(e), "see the message", "see the message");
      }
      if (testWrites) {
        add("write", topic, Status.SKIPPED, "the topic check failed", null, null);
      }
      return;
    }
    add("topic", topic, Status.OK, d.partitions().size() + " partition(s), describe allowed", null, null);
    if (!testWrites) {
      add("write", topic, Status.SKIPPED, "test writes not asked for", null, null);
      return;
    }
    write(s, tokenSourceId, false);
    write(s, tokenSourceId, true);
  }

  private void write(Settings s, String tokenSourceId, boolean idempotent) {
    String check = idempotent ? "idempotent-write" : "write";
    Map<String, Object> props = KafkaProperties.create(s, tokenSourceId);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString(idempotent));
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "msk-producer-doctor-" + check);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(budget.toMillis()));
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(budget.toMillis()));
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(budget.toMillis() * 2 + 1000));
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      ProducerRecord<byte[], byte[]> record =
          new ProducerRecord<>(topic, null, "msk-producer doctor test record".getBytes(StandardCharsets.UTF_8));
      record.headers().add("msk-producer-doctor", Version.get().getBytes(StandardCharsets.UTF_8));
      try {
        RecordMetadata md = p.send(record).get(budget.toMillis() * 3, TimeUnit.MILLISECONDS);
        add(
            check,
            topic,
            Status.OK,
            "test record written to partition " + md.partition() + " at offset " + md.offset(),
            null,
            null);
      } catch (Exception e) {
        MskProducerException x = errors(s).forRecord(e, new ProducerRecord<>(topic, null), false);
        if (x instanceof MskAuthorizationException) {
          MskAuthorizationException a = (MskAuthorizationException) x;
          add(
              check,
              topic,
              Status.FAIL,
              x.getMessage(),
              "the identity's IAM policy lacks " + a.missingAction().action(),
              "allow " + a.missingAction().action() + (a.missingAction() == MskAuthorizationException.IamAction.WRITE_DATA_IDEMPOTENTLY
                  ? " on the cluster (or turn idempotence off, losing its protection against duplicates)"
                  : " on the topic"));
        } else {
          add(check, topic, Status.FAIL, x.getMessage(), "the write failed", "see the message");
        }
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private Map<String, Object> adminProperties(Settings s, String tokenSourceId) {
    Map<String, Object> admin = propertiesFor(s, tokenSourceId, AdminClientConfig.configNames());
    admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "msk-producer-doctor");
    admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) budget.toMillis());
    admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) budget.toMillis());
    return admin;
  }

  private Errors errors(Settings s) {
    return new Errors(Errors.Context.of(s, () -> shownKey));
  }

  /** The producer's Kafka properties that a client of another kind (admin, consumer) knows. */
  private static Map<String, Object> propertiesFor(
      Settings s, String tokenSourceId, java.util.Set<String> known) {
    Map<String, Object> props = new LinkedHashMap<>();
    KafkaProperties.create(s, tokenSourceId)
        .forEach(
            (k, v) -> {
              if (known.contains(k)) {
                props.put(k, v);
              }
            });
    return props;
  }

  private <T> T within(Callable<T> work) throws Exception {
    Future<T> f = executor.submit(work);
    try {
      return f.get(budget.toMillis() + 500, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    } catch (TimeoutException e) {
      f.cancel(true);
      throw e;
    }
  }

  private void skipRest(String why) {
    for (String check : List.of("authentication", "metadata", "topic")) {
      if (findings.stream().noneMatch(f -> f.check().equals(check))) {
        add(check, null, Status.SKIPPED, "not run: " + why, null, null);
      }
    }
  }

  private void add(String check, String target, Status status, String observed, String cause, String fix) {
    findings.add(new Finding(check, target, status, observed, cause, fix));
  }


  private static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    Causes.chain(t).forEach(c -> sb.append(c.getMessage()).append(" | "));
    return sb.toString();
  }

  private static String describe(Throwable e) {
    Throwable c = Causes.root(e);
    if (e instanceof TimeoutException) {
      return "timed out";
    }
    if (c instanceof SSLHandshakeException && c.getMessage() != null) {
      return c.getMessage();
    }
    return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
  }
}
