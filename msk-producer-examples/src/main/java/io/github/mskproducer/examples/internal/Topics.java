package io.github.mskproducer.examples.internal;

import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.MskProducerException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Checks on the target topic before a run, so that a missing topic fails in seconds. */
final class Topics {
  private Topics() {}

  /**
   * Fails fast, with the fix, if the topic does not exist. Any other trouble (no permission to
   * describe, a slow cluster) is left to the producer, whose errors say what is wrong.
   */
  static void requireExists(MskProducer<String, String> producer, String topic) throws InterruptedException {
    Map<String, Object> props = producer.clientProperties();
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "msk-producer-cli-admin");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    try (Admin admin = Admin.create(props)) {
      admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new MskProducerException(
            "topic "
                + topic
                + " does not exist (MSK does not create topics on first use by default): create it,"
                + " e.g. kafka-topics.sh --create --topic "
                + topic
                + " --partitions 3 --bootstrap-server ... --command-config client.properties",
            e.getCause(),
            false);
      }
    } catch (TimeoutException e) {
      // the producer will say why
    }
  }
}
