package io.github.mskproducer.testkit.internal.cli;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerBuilder;
import io.github.mskproducer.testkit.LocalMskException;
import io.github.mskproducer.testkit.internal.broker.Logging;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar msk-producer-testkit-<version>-standalone.jar [options]}: starts a local MSK
 * cluster, prints its connection facts as {@code key=value} lines (and writes them to {@code
 * --properties-out}), prints {@code ready}, and runs until SIGTERM or Ctrl-C.
 */
@Command(
    name = "local-msk",
    mixinStandardHelpOptions = true,
    versionProvider = LauncherMain.Version.class,
    description = {
      "Starts a local Apache Kafka cluster that authenticates clients with MSK IAM (SigV4) over"
          + " TLS, prints its connection facts as key=value lines, then 'ready', and runs until"
          + " SIGTERM or Ctrl-C.",
      "The printed credentials are throwaway test credentials for this broker only.",
      "With --proxied, fault commands on standard input, one per line, each answered by one"
          + " line (ok ... or error ...): blackhole NODE|all, reset NODE|all,"
          + " delay NODE|all MILLIS, refuse NODE|all on|off, heal NODE|all, status, help."
    },
    sortOptions = false)
public final class LauncherMain implements Callable<Integer> {
  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "IAM listener port of broker 1 (broker n: PORT+n-1); 0 = ephemeral (default).")
  int port;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "AWS region clients must sign for (default: ${DEFAULT-VALUE}).")
  String region = LocalMskBroker.DEFAULT_REGION;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Keep data here, and reuse the cluster (id, ports, identities) found there. Default: a"
              + " temporary directory, deleted at exit.")
  Path dataDir;

  @Option(
      names = "--topic",
      paramLabel = "NAME[:PARTITIONS]",
      description = "Create a topic (repeatable); 1 partition unless given.")
  List<String> topics = new ArrayList<>();

  @Option(
      names = "--brokers",
      paramLabel = "N",
      description = "Number of brokers, 1 to 9 (default: ${DEFAULT-VALUE}).")
  int brokers = 1;

  @Option(
      names = "--extra-listener",
      paramLabel = "PLAINTEXT|TLS",
      description = "Also open an unauthenticated PLAINTEXT or TLS listener (repeatable).")
  List<LocalMskBroker.Listener> extraListeners = new ArrayList<>();

  @Option(
      names = "--proxied",
      description =
          "Put a TCP proxy in front of each broker's IAM listener (brokers advertise it), so"
              + " that every client connection goes through one; then fault commands on standard"
              + " input (blackhole, reset, delay, refuse, heal, status, help) act on them.")
  boolean proxied;

  @Option(
      names = "--connections-max-idle-ms",
      paramLabel = "MS",
      description = "The brokers' connections.max.idle.ms (default Kafka's and MSK's, 10 minutes).")
  Long connectionsMaxIdleMs;

  @Option(
      names = "--connections-max-reauth-ms",
      paramLabel = "MS",
      description =
          "The IAM listener's connections.max.reauth.ms: sessions end after this long unless"
              + " re-authenticated (default: at token expiry only).")
  Long connectionsMaxReauthMs;

  @Option(
      names = "--properties-out",
      paramLabel = "FILE",
      description = "Also write the key=value lines to this file (before printing 'ready').")
  Path propertiesOut;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final PrintStream out;
  private final CountDownLatch stopped = new CountDownLatch(1);

  LauncherMain(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    Logging.defaults("warn");
    CommandLine cli = new CommandLine(new LauncherMain(System.out)).setCaseInsensitiveEnumValuesAllowed(true);
    int exit = cli.execute(args);
    System.exit(exit);
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    LocalMskBrokerBuilder builder;
    try {
      builder =
          LocalMskBroker.builder().port(port).region(region).brokers(brokers).proxied(proxied);
      if (connectionsMaxIdleMs != null) {
        builder.connectionsMaxIdle(java.time.Duration.ofMillis(connectionsMaxIdleMs));
      }
      if (connectionsMaxReauthMs != null) {
        builder.connectionsMaxReauth(java.time.Duration.ofMillis(connectionsMaxReauthMs));
      }
      for (String t : topics) {
        int colon = t.lastIndexOf(':');
        String name = colon < 0 ? t : t.substring(0, colon);
        int partitions = 1;
        if (colon >= 0) {
          try {
            partitions = Integer.parseInt(t.substring(colon + 1));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                "--topic " + t + ": PARTITIONS must be a whole number, as in orders:3");
          }
        }
        builder.topic(name, partitions);
      }
      extraListeners.forEach(builder::extraListeners);
      if (dataDir != null) {
        builder.dataDir(dataDir);
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }

    LocalMskBroker broker = builder.build();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  broker.close();
                  System.err.println("local-msk: stopped");
                  stopped.countDown();
                },
                "local-msk-launcher-shutdown"));
    try {
      broker.start();
    } catch (LocalMskException e) {
      System.err.println("local-msk: " + e.getMessage());
      return 1;
    }

    StringBuilder lines = new StringBuilder();
    for (Map.Entry<String, String> e : broker.connectionFacts().entrySet()) {
      lines.append(e.getKey()).append('=').append(e.getValue()).append(System.lineSeparator());
    }
    if (propertiesOut != null) {
      Path target = propertiesOut.toAbsolutePath();
      Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
      Files.createDirectories(target.getParent());
      Files.writeString(tmp, lines, StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    out.print(lines);
    out.println("ready");
    out.flush();
    if (proxied) {
      // Only then: a launcher started in the background of a shell must not read the terminal.
      listenForCommands(new ProxyCommands(broker));
    }
    stopped.await();
    return 0;
  }

  /**
   * Answers fault commands from standard input, one per line, until it ends (then the launcher
   * keeps running until SIGTERM, as before).
   */
  private void listenForCommands(ProxyCommands commands) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  if (line.isBlank()) {
                    continue;
                  }
                  String answer = commands.run(line);
                  synchronized (out) {
                    out.println(answer);
                    out.flush();
                  }
                }
              } catch (IOException e) {
                // standard input closed
              }
            },
            "local-msk-commands");
    t.setDaemon(true);
    t.start();
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = LauncherMain.class.getPackage().getImplementationVersion();
      return new String[] {"local-msk (msk-producer-testkit) " + (v == null ? "dev" : v)};
    }
  }
}
