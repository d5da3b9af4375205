package io.github.mskproducer.testkit.internal.broker;

import io.github.mskproducer.testkit.LocalMskException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/** The nodes of one local cluster, started and stopped together (in parallel) or alone. */
public final class Nodes {
  private final Map<Integer, Node> nodes = new LinkedHashMap<>();

  public Nodes(
      ClusterLayout layout,
      TlsMaterial tls,
      ClusterLayout.BrokerSettings settings,
      boolean childProcesses,
      List<String> childJvmOptions,
      Duration startupTimeout,
      String kafkaLogLevel) {
    for (int id : layout.nodeIds()) {
      java.util.function.Supplier<java.util.Properties> config =
          () -> layout.nodeConfig(id, tls, settings);
      nodes.put(
          id,
          childProcesses
              ? new ChildProcessNode(
                  id,
                  layout.nodeDir(id),
                  layout.clusterId(),
                  config,
                  childJvmOptions,
                  startupTimeout,
                  kafkaLogLevel)
              : new InProcessNode(
                  id, layout.nodeDir(id), layout.clusterId(), config, kafkaLogLevel));
    }
  }

  public Node node(int id) {
    Node n = nodes.get(id);
    if (n == null) {
      throw new IllegalArgumentException(
          "no broker with node id " + id + ": node ids are " + nodes.keySet());
    }
    return n;
  }

  /** Starts every node at once (a KRaft node waits for its quorum); stops all if one fails. */
  public void startAll() {
    try {
      forAll(Node::start);
    } catch (RuntimeException e) {
      try {
        stopAll();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Stops every node at once: sequentially, the last ones would wait for a lost quorum. */
  public void stopAll() {
    forAll(Node::stop);
  }

  private void forAll(Consumer<Node> action) {
    if (nodes.size() == 1) {
      action.accept(nodes.values().iterator().next());
      return;
    }
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (Node n : nodes.values()) {
      futures.add(CompletableFuture.runAsync(() -> action.accept(n), r -> {
        Thread t = new Thread(r, "local-msk-node-" + n.id());
        t.setDaemon(true);
        t.start();
      }));
    }
    RuntimeException failure = null;
    for (CompletableFuture<Void> f : futures) {
      try {
        f.join();
      } catch (CompletionException e) {
        RuntimeException cause =
            e.getCause() instanceof RuntimeException
                ? (RuntimeException) e.getCause()
                : new LocalMskException(String.valueOf(e.getCause()), e.getCause());
        if (failure == null) {
          failure = cause;
        } else {
          failure.addSuppressed(cause);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
