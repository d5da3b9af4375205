package io.github.mskproducer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.core.Acks;
import io.github.mskproducer.core.JsonSerializer;
import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.core.MskDeliveryException;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.MskProducerBuilder;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 7: bad input, table-driven. Each input gets an exception of the type the table says,
 * at once (or, for a record Kafka refuses, as the failure of its future), with a message that
 * names the input; nothing already accepted is lost. The table is written to {@code
 * target/reliability/bad-inputs.md} and must match the one in {@code docs/reliability.md}.
 */
@Order(7)
class BadInputIT {
  private static final String MSK = "b-1.demo.abc123.c2.kafka.us-east-1.amazonaws.com:9098";
  private static final String TOPIC = "bad-input";

  @RegisterExtension
  static final LocalMskBrokerExtension BROKER = LocalMskBrokerExtension.perClass(b -> b.topic(TOPIC, 1));

  private static MskProducer<String, String> producer;
  private static MskProducer<String, Object> jsonProducer;

  /** Throws what the case is about; returns a future when the failure comes through one. */
  @FunctionalInterface
  interface Action {
    Object run() throws Exception;
  }

  record Case(String area, String input, Action action, Class<? extends Throwable> type, String... names) {}

  private static MskProducerBuilder<String, String> offline() {
    return MskProducer.builder(String.class, String.class)
        .auth(MskAuth.iam(c -> c.staticCredentials("AKIAEXAMPLE", "not-a-real-secret")));
  }

  private static MskProducerBuilder<String, String> onBroker() {
    LocalMskBroker msk = BROKER.broker();
    return MskProducer.builder(String.class, String.class)
        .bootstrapServers(msk.bootstrapServers())
        .region(msk.region())
        .truststore(msk.truststorePem())
        .auth(MskAuth.iam(c -> c.credentialsProvider(msk.credentialsProvider())))
        .timeouts(t -> t.maxBlock(Duration.ofSeconds(5)));
  }

  private static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("MSK_BOOTSTRAP_SERVERS", MSK);
    m.put("AWS_REGION", "us-east-1");
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @BeforeAll
  static void producers() {
    producer = onBroker().build();
    LocalMskBroker msk = BROKER.broker();
    jsonProducer =
        MskProducer.builder(new org.apache.kafka.common.serialization.StringSerializer(), new JsonSerializer<Object>())
            .bootstrapServers(msk.bootstrapServers())
            .region(msk.region())
            .truststore(msk.truststorePem())
            .auth(MskAuth.iam(c -> c.credentialsProvider(msk.credentialsProvider())))
            .timeouts(t -> t.maxBlock(Duration.ofSeconds(5)))
            .build();
  }

  @AfterAll
  static void close() {
    producer.close();
    jsonProducer.close();
  }

  static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    Class<MskConfigurationException> config = MskConfigurationException.class;
    // Builder: bootstrap servers
    c.add(new Case("builder", "bootstrapServers(\"\")", () -> offline().bootstrapServers("").build(), config, "bootstrapServers"));
    c.add(new Case("builder", "bootstrapServers without a port", () -> offline().bootstrapServers("b-1.demo.abc123.c2.kafka.us-east-1.amazonaws.com").build(), config, "bootstrapServers"));
    c.add(new Case("builder", "bootstrapServers with a port that is not a number", () -> offline().bootstrapServers("b-1.demo.abc123.c2.kafka.us-east-1.amazonaws.com:abc").build(), config, "bootstrapServers"));
    c.add(new Case("builder", "bootstrapServers with port 99999", () -> offline().bootstrapServers("b-1.demo.abc123.c2.kafka.us-east-1.amazonaws.com:99999").build(), config, "bootstrapServers"));
    c.add(new Case("builder", "bootstrapServers without a host (\":9098\")", () -> offline().bootstrapServers(":9098").build(), config, "bootstrapServers"));
    c.add(new Case("builder", "bootstrapServers as a URL (\"https://...:9098\")", () -> offline().bootstrapServers("https://" + MSK).build(), config, "bootstrapServers"));
    c.add(new Case("builder", "bootstrapServers with an empty entry (\"a:9098,,b:9098\")", () -> offline().bootstrapServers(MSK + ",," + MSK).build(), config, "bootstrapServers"));
    c.add(new Case("builder", "IAM on the PLAINTEXT port 9092", () -> offline().bootstrapServers(MSK.replace("9098", "9092")).build(), config, "9092", "9098"));
    c.add(new Case("builder", "region different from the brokers' host names", () -> offline().bootstrapServers(MSK).region("us-west-2").build(), config, "region", "us-east-1"));
    c.add(new Case("builder", "bootstrapServers(null)", () -> offline().bootstrapServers(null), NullPointerException.class, "bootstrapServers"));
    // Builder: sizes and durations
    c.add(new Case("builder", "linger(-1 ms)", () -> offline().linger(Duration.ofMillis(-1)), config, "linger"));
    c.add(new Case("builder", "batchSize(0)", () -> offline().batchSize(0), config, "batchSize"));
    c.add(new Case("builder", "batchSize(-5)", () -> offline().batchSize(-5), config, "batchSize"));
    c.add(new Case("builder", "clientId(\"\")", () -> offline().clientId(""), config, "clientId"));
    c.add(new Case("builder", "timeouts: request(0)", () -> offline().timeouts(t -> t.request(Duration.ZERO)), config, "request"));
    c.add(new Case("builder", "timeouts: delivery(-1 s)", () -> offline().timeouts(t -> t.delivery(Duration.ofSeconds(-1))), config, "delivery"));
    c.add(new Case("builder", "timeouts: maxBlock(-1 s)", () -> offline().timeouts(t -> t.maxBlock(Duration.ofSeconds(-1))), config, "maxBlock"));
    c.add(new Case("builder", "reconnectBackoff with max below initial", () -> offline().reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)), config, "reconnectBackoff"));
    c.add(new Case("builder", "retry: maxAttempts(0)", () -> offline().retry(r -> r.maxAttempts(0)), config, "maxAttempts"));
    c.add(new Case("builder", "retry: multiplier(0.5)", () -> offline().retry(r -> r.multiplier(0.5)), config, "multiplier"));
    c.add(new Case("builder", "retry: jitter(1.5)", () -> offline().retry(r -> r.jitter(1.5)), config, "jitter"));
    // Builder: conflicting options
    c.add(new Case("builder", "idempotence with acks=1", () -> offline().bootstrapServers(MSK).acks(Acks.LEADER).idempotence(true).build(), config, "idempotence", "acks"));
    c.add(new Case("builder", "delivery timeout below linger + request timeout", () -> offline().bootstrapServers(MSK).timeouts(t -> t.delivery(Duration.ofSeconds(10)).request(Duration.ofSeconds(30))).build(), config, "delivery"));
    c.add(new Case("builder", "credentials chosen twice (profile, then static keys)", () -> MskAuth.iam(x -> x.profile("dev").staticCredentials("AKIAEXAMPLE", "s")), config, "PROFILE", "STATIC"));
    c.add(new Case("builder", "static credentials with a blank access key id", () -> MskAuth.iam(x -> x.staticCredentials(" ", "s")), config, "auth.staticCredentials", "access key id"));
    c.add(new Case("builder", "profile(\"\")", () -> MskAuth.iam(x -> x.profile("")), config, "auth.profile"));
    // Builder: properties, truststore, serializers
    c.add(new Case("builder", "property(\"linger.msx\") (a typo)", () -> offline().property("linger.msx", "5"), config, "linger.msx"));
    c.add(new Case("builder", "property(\"sasl.jaas.config\") (managed by auth)", () -> offline().property("sasl.jaas.config", "x"), config, "sasl.jaas.config", "auth("));
    c.add(new Case("builder", "property(\"ssl.endpoint.identification.algorithm\", \"\") (host name verification off)", () -> offline().property("ssl.endpoint.identification.algorithm", ""), config, "ssl.endpoint.identification.algorithm", "host name verification"));
    c.add(new Case("builder", "property(\"security.protocol\", \"SASL_PLAINTEXT\") (IAM without TLS)", () -> offline().property("security.protocol", "SASL_PLAINTEXT"), config, "security.protocol", "auth("));
    c.add(new Case("builder", "property(\"acks\") (has its own option)", () -> offline().property("acks", "1"), config, "acks("));
    c.add(new Case("builder", "truststore that does not exist", () -> offline().bootstrapServers(MSK).truststore(Path.of("/nonexistent/ca.pem")).build(), config, "truststore", "/nonexistent/ca.pem"));
    c.add(new Case("builder", "key type without a Kafka serializer (Object)", () -> MskProducer.builder(Object.class, String.class), config, "java.lang.Object", "serializer"));
    // Environment variables
    c.add(new Case("environment", "MSK_BOOTSTRAP_SERVERS empty", () -> offline().fromEnvironment(env("MSK_BOOTSTRAP_SERVERS", "")).build(), config, "MSK_BOOTSTRAP_SERVERS"));
    c.add(new Case("environment", "MSK_ACKS=maybe", () -> offline().fromEnvironment(env("MSK_ACKS", "maybe")), config, "MSK_ACKS", "maybe"));
    c.add(new Case("environment", "MSK_LINGER_MS=abc", () -> offline().fromEnvironment(env("MSK_LINGER_MS", "abc")), config, "MSK_LINGER_MS", "abc"));
    c.add(new Case("environment", "MSK_BATCH_SIZE=-1", () -> offline().fromEnvironment(env("MSK_BATCH_SIZE", "-1")), config, "MSK_BATCH_SIZE"));
    c.add(new Case("environment", "MSK_AUTH=kerberos", () -> offline().fromEnvironment(env("MSK_AUTH", "kerberos")), config, "MSK_AUTH", "kerberos"));
    c.add(new Case("environment", "MSK_COMPRESSION=brotli", () -> offline().fromEnvironment(env("MSK_COMPRESSION", "brotli")), config, "MSK_COMPRESSION", "brotli"));
    c.add(new Case("environment", "MSK_REQUEST_TIMEOUT_MS=0", () -> offline().fromEnvironment(env("MSK_REQUEST_TIMEOUT_MS", "0")), config, "MSK_REQUEST_TIMEOUT_MS"));
    c.add(new Case("environment", "MSK_DELIVERY_TIMEOUT_MS=ten", () -> offline().fromEnvironment(env("MSK_DELIVERY_TIMEOUT_MS", "ten")), config, "MSK_DELIVERY_TIMEOUT_MS", "ten"));
    c.add(new Case("environment", "MSK_TRUSTSTORE that does not exist", () -> offline().fromEnvironment(env("MSK_TRUSTSTORE", "/nonexistent/ca.pem")).build(), config, "/nonexistent/ca.pem"));
    // Records, on the local broker
    c.add(new Case("record", "send(null topic)", () -> producer.send((String) null, "v"), IllegalArgumentException.class, "Topic"));
    c.add(new Case("record", "send(null record)", () -> producer.send((ProducerRecord<String, String>) null), NullPointerException.class, "record"));
    c.add(new Case("record", "a value of 2 MiB (over max.request.size)", () -> producer.send(TOPIC, "x".repeat(2 * 1024 * 1024)), MskDeliveryException.class, "max.request.size"));
    c.add(new Case("record", "a header with a null key", () -> producer.send(TOPIC, null, "k", "v", List.of(nullKeyHeader())), MskDeliveryException.class, "null header key"));
    c.add(new Case("record", "a value JSON cannot serialize", () -> jsonProducer.send(TOPIC, new Object()), MskDeliveryException.class, "serializ"));
    c.add(new Case("record", "a topic name with a space", () -> producer.send("bad topic", "v"), MskDeliveryException.class, "bad topic"));
    c.add(new Case("record", "partition 99 of a 1-partition topic", () -> producer.send(TOPIC, 99, "k", "v", null), MskDeliveryException.class, "99"));
    c.add(new Case("record", "flush(-1 s)", () -> producer.flush(Duration.ofSeconds(-1)), config, "deadline"));
    c.add(new Case("record", "sendAndWait(timeout -1 s)", () -> producer.sendAndWait(TOPIC, "k", "v", Duration.ofSeconds(-1)), config, "timeout"));
    return c;
  }

  private static Header nullKeyHeader() {
    return new Header() {
      @Override
      public String key() {
        return null;
      }

      @Override
      public byte[] value() {
        return new byte[0];
      }
    };
  }

  private static Throwable outcome(Action a) {
    try {
      Object r = a.run();
      if (r instanceof Future<?>) {
        ((Future<?>) r).get(30, TimeUnit.SECONDS);
      }
      return null;
    } catch (ExecutionException | CompletionException e) {
      return e.getCause();
    } catch (Throwable t) {
      return t;
    }
  }

  @Test
  void everyBadInput_getsItsTypedException_namingTheInput_andTheDocsListThemAll() throws Exception {
    List<Case> cases = cases();
    assertThat(cases.size()).isGreaterThanOrEqualTo(40);
    List<String> wrong = new ArrayList<>();
    StringBuilder table = new StringBuilder("| area | bad input | exception | message (start) |\n|---|---|---|---|\n");
    for (Case c : cases) {
      Throwable t = outcome(c.action());
      String message = t == null ? "" : String.valueOf(t.getMessage());
      if (t == null) {
        wrong.add(c.input() + ": no exception");
        continue;
      }
      if (!c.type().isInstance(t)) {
        wrong.add(c.input() + ": " + t.getClass().getName() + " (expected " + c.type().getSimpleName() + "): " + message);
      }
      for (String name : c.names()) {
        if (!message.contains(name)) {
          wrong.add(c.input() + ": message does not name '" + name + "': " + message);
        }
      }
      String shown = message.length() > 110 ? message.substring(0, 110) + "..." : message;
      table.append("| ").append(c.area()).append(" | ").append(c.input().replace("|", "\\|")).append(" | `")
          .append(t.getClass().getSimpleName()).append("` | ").append(shown.replace("|", "\\|").replace("\n", " ")).append(" |\n");
    }
    Path out = Path.of(System.getProperty("reliability.out", "target/reliability"));
    Files.createDirectories(out);
    Files.writeString(out.resolve("bad-inputs.md"), table, StandardCharsets.UTF_8);
    assertThat(wrong).as("inputs not handled as the table says").isEmpty();

    // Nothing accepted before was lost: the producer still delivers.
    assertThat(producer.sendAndWait(TOPIC, "k", "after the bad inputs", Duration.ofSeconds(30))).isNotNull();
    assertThat(producer.flush(Duration.ofSeconds(10)).failed()).allSatisfy(f -> assertThat(f.record().topic()).isNotEqualTo(TOPIC + "-ok"));

    String doc = Files.readString(Path.of(System.getProperty("reliability.doc", "../docs/reliability.md")));
    for (Case c : cases) {
      assertThat(doc).as("docs/reliability.md lists %s", c.input()).contains("| " + c.area() + " | " + c.input().replace("|", "\\|") + " | `");
    }
  }
}
