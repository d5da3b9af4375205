package io.github.mskproducer.core;

import io.github.mskproducer.core.internal.config.Settings;
import io.github.mskproducer.core.internal.kafka.KafkaClientFacts;
import io.github.mskproducer.core.internal.send.Errors;
import io.github.mskproducer.core.internal.send.SendAttempts;
import io.github.mskproducer.core.internal.send.TopicCheck;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started producer's Kafka side: the Kafka producer, the sends with their retries, the
 * missing-topic check, the connection settings for other clients, and what to release. An
 * {@link MskProducer} has one once its start finished.
 */
final class KafkaEngine<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(MskProducer.class);

  final Producer<K, V> kafka;
  final Map<String, Object> connectionProperties;
  final TopicCheck topics;
  final SendAttempts<K, V> attempts;
  private final Runnable release;
  private final String clientId;
  private final RuntimeException authenticationFailure; // see ProducerStarter.Started
  private final java.util.function.BooleanSupplier stillStuck;

  KafkaEngine(
      Producer<K, V> kafka,
      Map<String, Object> connectionProperties,
      Runnable release,
      Settings settings,
      ScheduledExecutorService retryScheduler,
      SendAttempts.RetryListener retries,
      Supplier<UnaryOperator<Runnable>> capture,
      RuntimeException authenticationFailure,
      java.util.function.BooleanSupplier stillStuck) {
    this.kafka = kafka;
    this.authenticationFailure = authenticationFailure;
    this.stillStuck = stillStuck;
    this.connectionProperties = Map.copyOf(connectionProperties);
    this.release = release;
    this.clientId = settings.clientId();
    this.topics =
        new TopicCheck(
            this::topicProbe,
            () -> KafkaClientFacts.connections(kafka.metrics()).authenticated > 0,
            settings.timeouts().maxBlock(),
            "msk-producer-metadata-" + settings.clientId());
    this.attempts =
        new SendAttempts<>(
            kafka,
            topics,
            settings.retry(),
            settings.retry().maxElapsed().orElse(settings.timeouts().maxBlock()),
            // A longer retry.maxElapsed than max block asks to wait for topics that appear later.
            settings.retry().maxElapsed().map(d -> d.compareTo(settings.timeouts().maxBlock()) > 0).orElse(false),
            retryScheduler,
            retries,
            capture,
            () -> KafkaClientFacts.connections(kafka.metrics()).authenticated > 0);
  }

  /**
   * Throws why the first connection failed authentication (an untrusted certificate, wrong
   * credentials, a policy), while the producer is stuck by it (no producer id yet).
   */
  void checkAuthenticated(Errors errors) {
    RuntimeException f = authenticationFailure;
    if (f != null && stillStuck.getAsBoolean()) {
      throw errors.general(f, "the producer's first connection failed authentication");
    }
  }

  /** Closes the Kafka producer (waiting up to {@code timeout} for records in flight), then the rest. */
  void close(Duration timeout) {
    try {
      kafka.close(timeout.isNegative() ? Duration.ZERO : timeout);
    } catch (RuntimeException e) {
      LOG.debug("closing the Kafka producer: {}", e.toString());
    } finally {
      topics.close();
      release.run();
    }
  }

  /**
   * Asks the cluster whether a topic exists, with an admin client on this producer's connection
   * settings (and token signer), under its own client id.
   */
  private TopicCheck.Probe topicProbe() {
    Map<String, Object> props = new LinkedHashMap<>(connectionProperties);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-topic-check");
    Admin admin = Admin.create(props);
    return new TopicCheck.Probe() {
      @Override
      public Boolean exists(String topic, Duration timeout) throws InterruptedException {
        int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        try {
          admin
              .describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(ms))
              .allTopicNames()
              .get(ms, TimeUnit.MILLISECONDS);
          return true;
        } catch (ExecutionException e) {
          return e.getCause() instanceof UnknownTopicOrPartitionException ? false : null;
        } catch (TimeoutException e) {
          return null;
        }
      }

      @Override
      public void close() {
        admin.close(Duration.ZERO);
      }
    };
  }
}
