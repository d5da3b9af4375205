package io.github.mskproducer.testkit.internal.cli;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The launcher's fault commands, one per line on its standard input, for harnesses in any
 * language (with {@code --proxied}: every client connection goes through a proxy per broker).
 * Each answers one line: {@code ok ...} or {@code error ...}.
 *
 * <pre>
 * blackhole NODE|all      established connections go silent (a NAT gateway's idle drop)
 * reset NODE|all          established connections are reset
 * delay NODE|all MILLIS   every chunk forwarded waits this long (0: none)
 * refuse NODE|all on|off  new connections are refused
 * heal NODE|all           no delay, no refusal (blackholed connections stay dead)
 * status                  per node: port, open, silenced and accepted connections, delay, refusal
 * help                    these lines
 * </pre>
 */
final class ProxyCommands {
  static final String HELP =
      "commands: blackhole NODE|all; reset NODE|all; delay NODE|all MILLIS;"
          + " refuse NODE|all on|off; heal NODE|all; status; help";

  private final LocalMskBroker broker;
  private final long[] delays;
  private final boolean[] refusing;

  ProxyCommands(LocalMskBroker broker) {
    this.broker = broker;
    int n = broker.brokerIds().size() + 1;
    this.delays = new long[n];
    this.refusing = new boolean[n];
  }

  /** Runs one command line; returns the answer line. */
  synchronized String run(String line) {
    String[] words = line.trim().split("\\s+");
    if (words.length == 0 || words[0].isEmpty()) {
      return "error empty command; " + HELP;
    }
    String command = words[0].toLowerCase(Locale.ROOT);
    try {
      switch (command) {
        case "help":
          return "ok " + HELP;
        case "status":
          return status();
        case "blackhole":
          checkArgs(words, 2, "blackhole NODE|all");
          nodes(words[1]).forEach(id -> broker.proxy(id).blackholeExisting());
          return "ok " + String.join(" ", words);
        case "reset":
          checkArgs(words, 2, "reset NODE|all");
          nodes(words[1]).forEach(id -> broker.proxy(id).resetExisting());
          return "ok " + String.join(" ", words);
        case "delay":
          checkArgs(words, 3, "delay NODE|all MILLIS");
          long millis = millis(words[2]);
          for (int id : nodes(words[1])) {
            broker.proxy(id).delay(Duration.ofMillis(millis));
            delays[id] = millis;
          }
          return "ok " + String.join(" ", words);
        case "refuse":
          checkArgs(words, 3, "refuse NODE|all on|off");
          boolean on = onOff(words[2]);
          for (int id : nodes(words[1])) {
            broker.proxy(id).refuseNew(on);
            refusing[id] = on;
          }
          return "ok " + String.join(" ", words);
        case "heal":
          checkArgs(words, 2, "heal NODE|all");
          for (int id : nodes(words[1])) {
            TcpProxy p = broker.proxy(id);
            p.delay(Duration.ZERO);
            p.refuseNew(false);
            delays[id] = 0;
            refusing[id] = false;
          }
          return "ok " + String.join(" ", words);
        default:
          return "error unknown command '" + words[0] + "'; " + HELP;
      }
    } catch (RuntimeException e) {
      // A harness waits for one answer line per command, whatever happened.
      return "error " + e.getMessage();
    }
  }

  private String status() {
    StringBuilder sb = new StringBuilder("ok status");
    for (int id : broker.brokerIds()) {
      TcpProxy p = broker.proxy(id);
      sb.append(" node=")
          .append(id)
          .append(",port=")
          .append(p.port())
          .append(",open=")
          .append(p.openConnections())
          .append(",silenced=")
          .append(p.blackholedConnections())
          .append(",accepted=")
          .append(p.acceptedConnections())
          .append(",delay=")
          .append(delays[id])
          .append(",refuse=")
          .append(refusing[id]);
    }
    return sb.toString();
  }

  private List<Integer> nodes(String which) {
    if (which.equalsIgnoreCase("all")) {
      return broker.brokerIds();
    }
    try {
      int id = Integer.parseInt(which);
      if (broker.brokerIds().contains(id)) {
        List<Integer> one = new ArrayList<>();
        one.add(id);
        return one;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(
        "NODE must be one of " + broker.brokerIds() + " or all, was '" + which + "'");
  }

  private static void checkArgs(String[] words, int count, String usage) {
    if (words.length != count) {
      throw new IllegalArgumentException("usage: " + usage);
    }
  }

  private static long millis(String s) {
    try {
      long v = Long.parseLong(s);
      if (v >= 0 && v <= 600_000) {
        return v;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException("MILLIS must be 0 to 600000, was '" + s + "'");
  }

  private static boolean onOff(String s) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "on":
        return true;
      case "off":
        return false;
      default:
        throw new IllegalArgumentException("expected on or off, was '" + s + "'");
    }
  }
}
