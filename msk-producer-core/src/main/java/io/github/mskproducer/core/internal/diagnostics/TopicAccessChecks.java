package io.github.mskproducer.core.internal.diagnostics;

import io.github.mskproducer.core.Finding.Status;
import io.github.mskproducer.core.MskAuthorizationException;
import io.github.mskproducer.core.MskProducerException;
import io.github.mskproducer.core.internal.Causes;
import io.github.mskproducer.core.internal.Version;
import io.github.mskproducer.core.internal.config.KafkaProperties;
import io.github.mskproducer.core.internal.config.Settings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The checks on each topic given: it exists and may be described ({@code topic}); if asked,
 * one test record written plainly ({@code write}) and one idempotently ({@code
 * idempotent-write}), which tell a policy that lacks {@code WriteData} from one that lacks
 * {@code WriteDataIdempotently}.
 */
final class TopicAccessChecks {
  private final Probe probe;

  TopicAccessChecks(Probe probe) {
    this.probe = probe;
  }

  void run(Admin admin, Settings s, String tokenSourceId) {
    if (probe.topics.isEmpty()) {
      probe.add("topic", null, Status.SKIPPED, "no topic given", null, null);
      return;
    }
    for (String topic : probe.topics) {
      check(admin, s, tokenSourceId, topic);
    }
  }

  private void check(Admin admin, Settings s, String tokenSourceId, String topic) {
    TopicDescription d;
    try {
      d =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(probe.budget.toMillis(), TimeUnit.MILLISECONDS)
              .get(topic);
    } catch (Exception e) {
      Throwable c = Causes.root(e);
      if (c instanceof UnknownTopicOrPartitionException) {
        probe.add(
            "topic",
            topic,
            Status.FAIL,
            "topic " + topic + " does not exist",
            "it was never created (MSK does not create topics on first use unless"
                + " auto.create.topics.enable is on), or it is spelt differently",
            "create it, e.g. kafka-topics.sh --create --topic " + topic + " (or ask the cluster's owner)");
      } else if (c instanceof TopicAuthorizationException) {
        probe.add(
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
        probe.add("topic", topic, Status.FAIL, "describe failed: " + Probe.describe(e), "see the message", "see the message");
      }
      if (probe.testWrites) {
        probe.add("write", topic, Status.SKIPPED, "the topic check failed", null, null);
      }
      return;
    }
    probe.add("topic", topic, Status.OK, d.partitions().size() + " partition(s), describe allowed", null, null);
    if (!probe.testWrites) {
      probe.add("write", topic, Status.SKIPPED, "test writes not asked for", null, null);
      return;
    }
    write(s, tokenSourceId, topic, false);
    write(s, tokenSourceId, topic, true);
  }

  private void write(Settings s, String tokenSourceId, String topic, boolean idempotent) {
    String check = idempotent ? "idempotent-write" : "write";
    Map<String, Object> props = KafkaProperties.create(s, tokenSourceId);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString(idempotent));
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "msk-producer-doctor-" + check);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(probe.budget.toMillis()));
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(probe.budget.toMillis()));
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(probe.budget.toMillis() * 2 + 1000));
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      ProducerRecord<byte[], byte[]> record =
          new ProducerRecord<>(topic, null, "msk-producer doctor test record".getBytes(StandardCharsets.UTF_8));
      record.headers().add("msk-producer-doctor", Version.get().getBytes(StandardCharsets.UTF_8));
      try {
        RecordMetadata md = p.send(record).get(probe.budget.toMillis() * 3, TimeUnit.MILLISECONDS);
        probe.add(
            check,
            topic,
            Status.OK,
            "test record written to partition " + md.partition() + " at offset " + md.offset(),
            null,
            null);
      } catch (Exception e) {
        MskProducerException x = probe.errors(s).forRecord(e, new ProducerRecord<>(topic, null), false);
        if (x instanceof MskAuthorizationException) {
          Remedies.Remedy r = Remedies.forWrite((MskAuthorizationException) x);
          probe.fail(check, topic, x.getMessage(), r.cause(), r.fix());
        } else {
          probe.add(check, topic, Status.FAIL, x.getMessage(), "the write failed", "see the message");
        }
      }
    }
  }
}
