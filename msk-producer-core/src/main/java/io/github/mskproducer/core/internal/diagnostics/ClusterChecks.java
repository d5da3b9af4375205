package io.github.mskproducer.core.internal.diagnostics;

import io.github.mskproducer.core.Finding.Status;
import io.github.mskproducer.core.MskAuthenticationException;
import io.github.mskproducer.core.MskAuthorizationException;
import io.github.mskproducer.core.MskProducerException;
import io.github.mskproducer.core.internal.config.Settings;
import io.github.mskproducer.core.internal.send.Errors;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The checks that talk Kafka: the brokers accept the client ({@code authentication}) and
 * describe the cluster ({@code metadata}); each advertised broker is reachable; then the topic
 * checks. When the admin client gets no answer, a consumer asks the bootstrap broker alone, to
 * tell "cannot authenticate" from "cannot reach the advertised brokers".
 */
final class ClusterChecks {
  private final Probe probe;
  private final NetworkChecks network;
  private final TopicAccessChecks topics;

  ClusterChecks(Probe probe, NetworkChecks network, TopicAccessChecks topics) {
    this.probe = probe;
    this.network = network;
    this.topics = topics;
  }

  void run(Settings s, String tokenSourceId) {
    Map<String, Object> props = adminProperties(s, tokenSourceId);
    try (Admin admin = Admin.create(props)) {
      DescribeClusterResult cluster = admin.describeCluster();
      String clusterId;
      Collection<Node> nodes;
      try {
        clusterId = cluster.clusterId().get(probe.budget.toMillis(), TimeUnit.MILLISECONDS);
        nodes = cluster.nodes().get(probe.budget.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        if (!(probe.errors(s).general(e, "") instanceof MskAuthenticationException)
            && bootstrapOnly(s, tokenSourceId)) {
          return;
        }
        authenticationFailed(s, e);
        probe.skipRest("the brokers could not be queried");
        return;
      }
      probe.add(
          "authentication",
          null,
          Status.OK,
          s.auth().isIam() ? "the brokers accepted the IAM token" : "the brokers accepted the client (" + s.auth() + ")",
          null,
          null);
      probe.add(
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
        network.advertised(n);
      }
      topics.run(admin, s, tokenSourceId);
    }
  }

  /**
   * The admin client got no answer, though it connected: ask the bootstrap broker itself for
   * metadata (a consumer's first metadata request goes to the bootstrap connection). If that
   * works, authentication is fine and the advertised brokers are what cannot be reached.
   */
  private boolean bootstrapOnly(Settings s, String tokenSourceId) {
    Map<String, Object> props = Probe.propertiesFor(s, tokenSourceId, ConsumerConfig.configNames());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "msk-producer-doctor-metadata");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, probe.budgetMillis());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      Map<String, List<PartitionInfo>> topics = consumer.listTopics(probe.budget);
      Map<Integer, Node> nodes = new LinkedHashMap<>();
      topics.values().forEach(ps -> ps.forEach(p -> {
        if (p.leader() != null) {
          nodes.putIfAbsent(p.leader().id(), p.leader());
        }
      }));
      probe.add(
          "authentication",
          null,
          Status.OK,
          "the bootstrap broker accepted the client",
          null,
          null);
      probe.add(
          "metadata",
          null,
          Status.FAIL,
          "the bootstrap broker answered, but no request to the cluster's advertised brokers"
              + " completed within "
              + probe.budget.toMillis()
              + " ms; advertised: "
              + nodes.values().stream().map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(", ")),
          "clients reach the bootstrap address, then must reach every broker at the address it"
              + " advertises",
          "see the advertised-broker checks");
      nodes.values().forEach(network::advertised);
      for (String topic : probe.topics) {
        probe.add("topic", topic, Status.SKIPPED, "not run: the brokers cannot be reached", null, null);
      }
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void authenticationFailed(Settings s, Exception e) {
    Errors errors = probe.errors(s);
    MskProducerException x = errors.general(e, "the brokers could not be queried");
    if (x instanceof MskAuthenticationException) {
      MskAuthenticationException a = (MskAuthenticationException) x;
      Remedies.Remedy r = Remedies.forAuthentication(a, s);
      probe.fail(
          "authentication", a.reason().name(), x.getMessage(), r.cause(), r.fix());
    } else if (x instanceof MskAuthorizationException) {
      probe.add(
          "authentication",
          null,
          Status.FAIL,
          x.getMessage(),
          "authenticated, but not allowed to connect",
          "allow kafka-cluster:Connect on the cluster in the identity's IAM policy");
    } else {
      probe.add(
          "metadata",
          null,
          Status.FAIL,
          "no answer from the brokers within " + probe.budget.toMillis() + " ms: " + x.getMessage(),
          "connected but got no answer: an authentication that never completes, or an overloaded"
              + " cluster",
          "run again with a longer --timeout; check the brokers' health");
    }
  }

  private Map<String, Object> adminProperties(Settings s, String tokenSourceId) {
    Map<String, Object> admin = Probe.propertiesFor(s, tokenSourceId, AdminClientConfig.configNames());
    admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "msk-producer-doctor");
    admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, probe.budgetMillis());
    admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, probe.budgetMillis());
    return admin;
  }
}
