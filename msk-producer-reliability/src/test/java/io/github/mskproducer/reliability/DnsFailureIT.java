package io.github.mskproducer.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import io.github.mskproducer.testkit.TcpProxy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 12: DNS, which this JVM resolves from a hosts file the test rewrites
 * ({@code -Djdk.net.hosts.file}, no caching; its own failsafe run, see the pom). Three brokers
 * named as on MSK ({@code b-1.dns.test}, ...), each behind a proxy.
 *
 * <ol>
 *   <li>Bootstrap names that do not resolve at start: a typed error naming the host, and no
 *       thread of the producer or of Kafka left after close.
 *   <li>Resolution fails for a while mid-run (the names vanish, every connection is reset, so
 *       the client must resolve again): records wait and are delivered once it returns.
 *   <li>A broker restarts on a new address behind the same name (its old address refuses
 *       connections, the name now points elsewhere): the client resolves it again.
 * </ol>
 */
@Order(12)
class DnsFailureIT {
  private static final String TOPIC = "s12-dns";
  private static final String NAME = "DNS failure (at start, mid-run, a broker on a new address)";

  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
b -> Brokers.threeBrokers(b).proxied(true).advertisedHost("b-{node}.dns.test"));

  @Test
  void unresolvableAtStart_thenFailingMidRun_thenABrokerMoves() throws Exception {
    assertThat(System.getProperty("jdk.net.hosts.file")).as("run by the pom's dns execution").isNotNull();
    LocalMskBroker msk = MSK.broker();
    Map<String, String> names = new LinkedHashMap<>();
    for (int id : msk.brokerIds()) {
      names.put(host(msk.advertisedAddress(id)), "127.0.0.1");
    }
    Hosts.write(names);
    msk.createTopic(TOPIC, 6, (short) 3);
    long t0 = System.nanoTime();

    // 1. Names that do not resolve at start.
    Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
    Throwable atStart;
    long startTook;
    try (MskProducer<String, String> producer =
        Brokers.producer(msk)
            .bootstrapServers("b-1.nowhere.dns.test:9098,b-2.nowhere.dns.test:9098")
            .timeouts(t -> t.maxBlock(Duration.ofSeconds(5)))
            .build()) {
      long s0 = System.nanoTime();
      atStart = catchThrowable(() -> producer.sendAndWait(TOPIC, "k", "never", Duration.ofSeconds(30)));
      startTook = (System.nanoTime() - s0) / 1_000_000;
    }
    List<String> leftOver = threadsLeftAfter(threadsBefore, Duration.ofSeconds(15));

    // 2 and 3: a producer that bootstraps by the brokers' names.
    StringJoiner bootstrap = new StringJoiner(",");
    msk.brokerIds().forEach(id -> bootstrap.add(msk.advertisedAddress(id)));
    Ledger ledger = new Ledger("s12", 200);
    int rate = 500;
    // Soak: 45 s, under max block (60 s). A longer outage makes the sends blocked for want of
    // metadata fail (visibly, TimeoutException), by Kafka's design; scenario 11 covers that.
    Duration outage = Soak.duration(Duration.ofSeconds(10), Duration.ofSeconds(45));
    int moving = msk.brokerIds().get(1);
    TcpProxy moved = null;
    FlushResult<String, String> result;
    long blockDuringOutage;
    long blockDuringMove;
    long resumedAfter = -1;
    int newAddressConnections = 0;
    try (MskProducer<String, String> producer = Brokers.producer(msk).bootstrapServers(bootstrap.toString()).build()) {
      producer.awaitReady(Duration.ofSeconds(30));
      try (Load load = Load.start(ledger, producer, TOPIC, rate, 2)) {
        Thread.sleep(3_000);
        load.takeLongestSendMillis();
        Hosts.write(Map.of()); // the names no longer resolve
        msk.brokerIds().forEach(id -> msk.proxy(id).resetExisting());
        long outageStart = System.nanoTime();
        Thread.sleep(outage.toMillis());
        long ackedAtRestore = ledger.acknowledged().size();
        Hosts.write(names);
        resumedAfter =
            Await.until(
                Duration.ofSeconds(60),
                "acknowledgements resuming after the names returned",
                () -> ledger.acknowledged().size() > ackedAtRestore + rate);
        blockDuringOutage = load.takeLongestSendMillis();
        Thread.sleep(2_000); // load as usual for a while before the next step

        // 3. The broker restarts on a new address behind its name.
        InetSocketAddress backend = msk.proxy(moving).target();
        int port = port(msk.advertisedAddress(moving));
        msk.stopBroker(moving);
        msk.proxy(moving).close(); // the old address: nothing listens there any more
        moved = TcpProxy.start(new InetSocketAddress("127.0.0.2", port), backend.getHostString(), backend.getPort());
        Map<String, String> movedNames = new LinkedHashMap<>(names);
        movedNames.put(host(msk.advertisedAddress(moving)), "127.0.0.2");
        Hosts.write(movedNames);
        msk.startBroker(moving);
        RollingRestartIT.awaitFullyReplicated(msk, TOPIC, Duration.ofMinutes(2));
        // Its leaderships back, as Kafka's periodic preferred-leader election does (every 5
        // minutes by default): the producer must now reach it, at its new address.
        msk.admin()
            .electLeaders(org.apache.kafka.common.ElectionType.PREFERRED, null)
            .partitions()
            .get(30, java.util.concurrent.TimeUnit.SECONDS);
        TcpProxy reached = moved;
        Await.until(Duration.ofSeconds(60), "a connection to the broker's new address", () -> reached.openConnections() > 0);
        long ackedThen = ledger.acknowledged().size();
        Await.until(Duration.ofSeconds(60), "acknowledgements going on", () -> ledger.acknowledged().size() > ackedThen + rate);
        blockDuringMove = load.takeLongestSendMillis();
        newAddressConnections = moved.openConnections(); // open now: made after the broker was back
      }
      result = producer.flush(Duration.ofMinutes(2));
    } finally {
      if (moved != null) {
        moved.close();
      }
      Hosts.write(names);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    Outcome o = Outcome.of(ledger, Arrivals.read(msk, TOPIC, ledger.run(), Duration.ofMinutes(2)));
    Figures.write(
        "12",
        NAME,
        o,
        took,
        String.format(
            "names resolved from a hosts file the test rewrites, no DNS cache (positive or negative); at start, bootstrap names that do not resolve: %s after %,d ms (\"%s\"), threads left after close: %s; mid-run, every name gone and every connection reset for %d s at %,d records/s: longest send() %,d ms, acknowledgements resumed %,d ms after the names returned; broker %d restarted on a new address (127.0.0.2) behind its name: %d connection(s) open to the new address, longest send() %,d ms; ack p50 %s, p99 %s, max %s",
            atStart == null ? "no error" : atStart.getClass().getSimpleName(),
            startTook,
            atStart == null ? "" : abbreviate(atStart.getMessage(), 220),
            leftOver.isEmpty() ? "none" : leftOver,
            outage.toSeconds(),
            rate,
            blockDuringOutage,
            resumedAfter,
            moving,
            newAddressConnections,
            blockDuringMove,
            Figures.ms(ledger.latencyMillis(50)),
            Figures.ms(ledger.latencyMillis(99)),
            Figures.ms(ledger.latencyMillis(100))),
        ledger);

    assertThat(atStart).as("a typed error").isInstanceOf(MskConfigurationException.class);
    assertThat(((MskConfigurationException) atStart).option()).isEqualTo("bootstrapServers");
    assertThat(atStart.getMessage()).as("naming the host").contains("b-1.nowhere.dns.test");
    assertThat(leftOver).as("no thread left after close").isEmpty();
    assertThat(result.isComplete()).as("flush %s", result).isTrue();
    o.assertEveryRecordAcknowledgedOnce(ledger);
    assertThat(resumedAfter).as("delivery resumed once the names resolved again").isNotNegative();
    assertThat(newAddressConnections).as("the client found the broker at its new address").isPositive();
    Figures.assertDocumented("12", NAME);
  }

  /** Threads started since {@code before} that are still alive after waiting up to {@code wait}. */
  private static List<String> threadsLeftAfter(Set<Thread> before, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    List<String> left;
    do {
      left =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> !before.contains(t) && t.isAlive())
              .map(Thread::getName)
              .filter(n -> n.contains("kafka") || n.contains("msk-producer"))
              .sorted()
              .collect(Collectors.toList());
      if (left.isEmpty()) {
        return left;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    return left;
  }

  private static String host(String hostPort) {
    return hostPort.substring(0, hostPort.lastIndexOf(':'));
  }

  private static int port(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }

  private static String abbreviate(String s, int max) {
    return s == null || s.length() <= max ? String.valueOf(s) : s.substring(0, max) + "...";
  }

  /** The hosts file this JVM resolves names from. */
  static final class Hosts {
    private Hosts() {}

    static void write(Map<String, String> names) throws IOException {
      Path file = Path.of(System.getProperty("jdk.net.hosts.file"));
      StringBuilder b = new StringBuilder("127.0.0.1 localhost\n");
      String self = System.getenv("HOSTNAME");
      if (self != null && !self.isBlank()) {
        b.append("127.0.0.1 ").append(self).append('\n');
      }
      names.forEach((name, ip) -> b.append(ip).append(' ').append(name).append('\n'));
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, b.toString(), StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }
}
