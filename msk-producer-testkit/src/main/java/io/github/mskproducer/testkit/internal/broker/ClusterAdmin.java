package io.github.mskproducer.testkit.internal.broker;

import io.github.mskproducer.testkit.LocalMskException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
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
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The cluster's administration over its internal listener, as a super user: waiting for the
 * nodes, topics, ACLs (MSK's "allowed unless denied" model), SCRAM users, and reading a topic
 * back. Uses the test's kafka-clients, so it only calls Admin API present since 3.1. One per
 * start of the cluster; {@link #close()} with the cluster's stop.
 */
public final class ClusterAdmin implements AutoCloseable {
  /** How long one admin request or one wait for the brokers to apply it may take. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static final String CLUSTER_RESOURCE = "kafka-cluster";

  private final Admin admin;
  private final Map<String, Object> properties;

  private ClusterAdmin(Admin admin, Map<String, Object> properties) {
    this.admin = admin;
    this.properties = properties;
  }

  /**
   * The settings of an admin client on the internal listener.
   *
   * @param layout the cluster
   * @return a new, mutable map
   */
  public static Map<String, Object> properties(ClusterLayout layout) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, layout.internalBootstrap());
    m.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
    m.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-msk-admin");
    m.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    return m;
  }

  /**
   * Connects an admin client (no network I/O until the first request).
   *
   * @param layout the cluster
   * @return the admin
   * @throws LinkageError if the test's kafka-clients lacks what the admin needs
   */
  public static ClusterAdmin connect(ClusterLayout layout) {
    Map<String, Object> props = properties(layout);
    return new ClusterAdmin(Admin.create(props), props);
  }

  /**
   * The shared admin client.
   *
   * @return the client
   */
  public Admin admin() {
    return admin;
  }

  /**
   * Waits until this many brokers are registered.
   *
   * @param count the number of brokers
   * @param timeout how long at most
   */
  public void awaitBrokers(int count, Duration timeout) {
    waitUntil(
        timeout,
        () -> {
          try {
            return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == count;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          } catch (ExecutionException | TimeoutException e) {
            return false;
          }
        },
        "all " + count + " broker(s) are registered");
  }

  /**
   * MSK's model for a fresh identity is "allowed unless a policy denies". Kafka's is "denied
   * once a resource has any ACL", so one DENY for one identity would lock out every other. An
   * ALLOW of everything for {@code User:*} gives MSK's model: a DENY still wins over it.
   */
  public void grantEveryoneEverything() {
    List<AclBinding> allow = new ArrayList<>();
    for (ResourceType type :
        List.of(
            ResourceType.TOPIC,
            ResourceType.GROUP,
            ResourceType.TRANSACTIONAL_ID,
            ResourceType.DELEGATION_TOKEN)) {
      allow.add(
          allowAll(
              new ResourcePattern(type, ResourcePattern.WILDCARD_RESOURCE, PatternType.LITERAL)));
    }
    allow.add(
        allowAll(new ResourcePattern(ResourceType.CLUSTER, CLUSTER_RESOURCE, PatternType.LITERAL)));
    get(admin.createAcls(allow).all());
  }

  private static AclBinding allowAll(ResourcePattern pattern) {
    return new AclBinding(
        pattern, new AccessControlEntry("User:*", "*", AclOperation.ALL, AclPermissionType.ALLOW));
  }

  /**
   * Creates a topic unless it exists, and waits until every partition has a leader.
   *
   * @param name the topic, checked with {@link #checkTopic}
   * @param partitions the partitions
   * @param replicationFactor the replication factor
   */
  public void createTopic(String name, int partitions, short replicationFactor) {
    try {
      get(admin.createTopics(List.of(new NewTopic(name, partitions, replicationFactor))).all());
    } catch (LocalMskException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
    waitUntil(
        TIMEOUT,
        () -> {
          try {
            TopicDescription d =
                admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
            return d.partitions().size() == partitions
                && d.partitions().stream()
                    .map(TopicPartitionInfo::leader)
                    .allMatch(Objects::nonNull);
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
   * Adds or updates a SCRAM-SHA-512 user and waits until the brokers know it.
   *
   * @param username the user
   * @param password the password
   */
  public void upsertScramUser(String username, String password) {
    get(
        admin
            .alterUserScramCredentials(
                List.of(
                    new UserScramCredentialUpsertion(
                        username,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                        password)))
            .all());
    waitUntil(
        TIMEOUT,
        () -> {
          try {
            return admin
                .describeUserScramCredentials(List.of(username))
                .all()
                .get()
                .containsKey(username);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          } catch (ExecutionException e) {
            return false;
          }
        },
        "SCRAM user " + username + " is known");
  }

  /**
   * Sets a dynamic configuration on each of these brokers (e.g. a listener's keystore, which
   * Kafka reloads without a restart).
   *
   * @param nodeIds the brokers
   * @param name the configuration's name
   * @param value its value
   */
  public void setBrokerConfig(List<Integer> nodeIds, String name, String value) {
    Map<ConfigResource, java.util.Collection<AlterConfigOp>> change = new LinkedHashMap<>();
    for (int id : nodeIds) {
      change.put(
          new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(id)),
          List.of(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET)));
    }
    get(admin.incrementalAlterConfigs(change).all());
  }

  /**
   * Adds a DENY ACL for a principal and waits until it is in force.
   *
   * @param principal e.g. {@code User:writer}
   * @param operation the operation
   * @param resource the resource
   */
  public void deny(String principal, AclOperation operation, ResourcePattern resource) {
    AclBinding binding =
        new AclBinding(
            resource, new AccessControlEntry(principal, "*", operation, AclPermissionType.DENY));
    get(admin.createAcls(List.of(binding)).all());
    waitUntil(
        TIMEOUT,
        () -> {
          try {
            return admin.describeAcls(binding.toFilter()).values().get().contains(binding);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          } catch (ExecutionException e) {
            return false;
          }
        },
        "the ACL " + binding + " is in force");
  }

  /** Removes every DENY ACL. */
  public void clearDenies() {
    get(
        admin
            .deleteAcls(
                List.of(
                    new AclBindingFilter(
                        ResourcePatternFilter.ANY,
                        new AccessControlEntryFilter(
                            null, null, AclOperation.ANY, AclPermissionType.DENY))))
            .all());
  }

  /**
   * Reads a topic from its beginning over the internal listener until {@code count} records
   * arrived or {@code timeout} passed.
   *
   * @param topic the topic
   * @param count how many records to wait for
   * @param timeout how long at most
   * @param keys the key deserializer
   * @param values the value deserializer
   * @param <K> the key type
   * @param <V> the value type
   * @return what was read, possibly fewer than asked
   */
  public <K, V> List<ConsumerRecord<K, V>> read(
      String topic, int count, Duration timeout, Deserializer<K> keys, Deserializer<V> values) {
    Map<String, Object> props = new LinkedHashMap<>(properties);
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
   * Refuses a topic Kafka would refuse, naming what is wrong.
   *
   * @param name the topic's name
   * @param partitions the partitions
   * @param replicationFactor the replication factor
   * @param brokers the number of brokers
   * @throws IllegalArgumentException if a value is invalid
   */
  public static void checkTopic(String name, int partitions, short replicationFactor, int brokers) {
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

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }

  private static <T> T get(KafkaFuture<T> future) {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalMskException("interrupted while waiting for the admin client", e);
    } catch (ExecutionException e) {
      throw new LocalMskException("admin request failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new LocalMskException(
          "admin request got no answer within " + TIMEOUT + " (is a broker down?)", e);
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
}
