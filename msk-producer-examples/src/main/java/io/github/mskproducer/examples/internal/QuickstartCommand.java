package io.github.mskproducer.examples.internal;

import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.MskProducerBuilder;
import io.github.mskproducer.core.MskProducerException;
import io.github.mskproducer.testkit.LocalMskBroker;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code msk-producer quickstart}. */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,

    description = {
      "Produces records through msk-producer and reads them back, then prints what happened:"
          + " records acknowledged, failed and read back, throughput, acknowledgement latency.",
      "Without --bootstrap it starts a local MSK-like broker in this JVM (Apache Kafka with an"
          + " IAM listener over TLS that verifies SigV4 tokens, and throwaway credentials): no AWS"
          + " account and no Docker needed. With --bootstrap it runs against that cluster, creating"
          + " the topic if it does not exist (needs kafka-cluster:CreateTopic).",
      "Exit code: 0 when every record was acknowledged and read back, 1 otherwise, 2 for bad"
          + " options."
    })
public final class QuickstartCommand extends SendCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;

  @Option(names = "--records", paramLabel = "N", description = "How many records (default: ${DEFAULT-VALUE}).")
  long records = 10_000;

  @Option(names = "--size", paramLabel = "BYTES", description = "Size of each value (default: ${DEFAULT-VALUE}).")
  int size = 256;

  @Option(names = "--topic", paramLabel = "TOPIC", description = "Topic (default: ${DEFAULT-VALUE}).")
  String topic = "msk-producer-quickstart";

  @Option(names = "--partitions", paramLabel = "N", description = "Partitions, when the topic is created (default: ${DEFAULT-VALUE}).")
  int partitions = 3;

  @Option(names = "--read-back-timeout", paramLabel = "SECONDS", description = "How long the read-back may take (default: ${DEFAULT-VALUE}).")
  int readBackTimeoutSeconds = 120;

  @Override
  public Integer call() throws Exception {
    checkCommon();
    if (records < 1 || records > 100_000_000) {
      throw bad("--records must be 1 to 100,000,000, was " + records);
    }
    if (size < 1 || size > 1_000_000) {
      throw bad("--size must be 1 to 1,000,000 bytes (Kafka's default max.request.size is 1 MiB), was " + size);
    }
    if (partitions < 1 || partitions > 10_000) {
      throw bad("--partitions must be 1 to 10,000, was " + partitions);
    }
    if (readBackTimeoutSeconds < 1) {
      throw bad("--read-back-timeout must be 1 second or more, was " + readBackTimeoutSeconds);
    }
    if (connection.bootstrap() == null) {
      return local();
    }
    MskProducerBuilder<String, String> builder;
    try {
      builder = connection.applyTo(producerBuilder());
    } catch (MskConfigurationException e) {
      throw bad(e.getMessage());
    }
    return against(builder, "on " + connection.bootstrap() + " (" + connection.authName() + ")", true);
  }

  private Integer local() throws Exception {
    err().println("starting a local MSK-like broker in this JVM (Kafka, IAM over TLS) ...");
    long t0 = System.nanoTime();
    try (LocalMskBroker msk = LocalMskBroker.builder().start()) {
      msk.createTopic(topic, partitions);
      err().printf(
          Locale.ROOT,
          "broker ready in %.1f s at %s, region %s, identity %s (throwaway credentials)%n",
          (System.nanoTime() - t0) / 1e9,
          msk.bootstrapServers(),
          msk.region(),
          msk.identity().name());
      MskProducerBuilder<String, String> builder =
          producerBuilder()
              .bootstrapServers(msk.bootstrapServers())
              .region(msk.region())
              .truststore(msk.truststorePem())
              .auth(MskAuth.iam(c -> c.credentialsProvider(msk.credentialsProvider())));
      return against(
          builder,
          "on the local broker " + msk.bootstrapServers() + " (IAM over TLS, region " + msk.region() + ")",
          false);
    }
  }

  private static MskProducerBuilder<String, String> producerBuilder() {
    return MskProducer.builder(String.class, String.class).clientId("msk-producer-quickstart");
  }

  private Integer against(MskProducerBuilder<String, String> builder, String where, boolean createTopic)
      throws Exception {
    try (MskProducer<String, String> producer = builder.build()) {
      if (createTopic) {
        ensureTopic(producer);
      }
      int found = producer.partitionsFor(topic).size(); // fails fast, typed, if the cluster cannot be used
      err().printf(Locale.ROOT, "producing %,d records of %,d bytes to %s (%d partitions) ...%n", records, size, topic, found);
      Payloads payloads = new Payloads(size);
      Summary summary =
          run(
              producer,
              topic,
              records,
              seq -> seq < records ? new String[] {"key-" + (seq % 1000), payloads.value(seq)} : null,
              true,
              Duration.ofSeconds(readBackTimeoutSeconds));
      return report(
          String.format(
              Locale.ROOT, "msk-producer quickstart: %,d records of %,d bytes to topic %s %s", records, size, topic, where),
          summary);
    } catch (MskProducerException e) {
      err().println("quickstart failed: " + e.getMessage());
      err().println("to find out why, run: msk-producer doctor --bootstrap ... --topic " + topic);
      return 1;
    }
  }

  /** Creates the topic on a real cluster unless it exists. */
  private void ensureTopic(MskProducer<String, String> producer) throws Exception {
    Map<String, Object> props = producer.clientProperties();
    props.put("client.id", "msk-producer-quickstart-admin");
    try (Admin admin = Admin.create(props)) {
      if (admin.listTopics().names().get(60, TimeUnit.SECONDS).contains(topic)) {
        return;
      }
      admin
          .createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
          .all()
          .get(60, TimeUnit.SECONDS);
      err().printf("created topic %s with %d partitions%n", topic, partitions);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new MskProducerException(
            "could not create topic "
                + topic
                + " ("
                + e.getCause()
                + "): create it, or allow kafka-cluster:CreateTopic, or give --topic of an existing one",
            e.getCause(),
            false);
      }
    }
  }
}
