package io.github.mskproducer.core.internal.config;

import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskConfigurationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Facts read from broker addresses: host and port of each bootstrap server, the region of MSK
 * host names (anchored on the DNS suffix, so that a cluster named {@code demo-us-west-1-app} in
 * us-west-2 is us-west-2), and whether a port belongs to another authentication scheme.
 */
public final class MskHosts {
  /**
   * {@code ...kafka.<region>.amazonaws.com}, {@code ...kafka-serverless.<region>.amazonaws.com},
   * and the China partition's {@code .amazonaws.com.cn}.
   */
  private static final Pattern MSK_SUFFIX =
      Pattern.compile(
          "(^|\\.)kafka(-serverless)?\\.([a-z]{2}(-[a-z]+)+-[0-9]{1,2})\\.amazonaws\\.com(\\.cn)?$");

  private static final Map<Integer, String> PORT_SCHEMES =
      Map.of(
          9092, "PLAINTEXT",
          9094, "TLS",
          9194, "TLS (public access)",
          9096, "SASL/SCRAM",
          9196, "SASL/SCRAM (public access)",
          9098, "IAM",
          9198, "IAM (public access)");

  /** One {@code host:port}. */
  public static final class Address {
    private final String host;
    private final int port;

    Address(String host, int port) {
      this.host = host;
      this.port = port;
    }

    public String host() {
      return host;
    }

    public int port() {
      return port;
    }

    @Override
    public String toString() {
      return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
  }

  private MskHosts() {}

  /** Parses {@code host:port[,host:port...]}; fails naming {@code bootstrapServers}. */
  public static List<Address> parse(String bootstrapServers) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new MskConfigurationException(
          "bootstrapServers",
          "bootstrapServers is not set: give the cluster's bootstrap brokers, e.g."
              + " b-1.demo.abc123.c2.kafka.us-east-1.amazonaws.com:9098 (from the MSK console or"
              + " 'aws kafka get-bootstrap-brokers'), or set MSK_BOOTSTRAP_SERVERS");
    }
    List<Address> addresses = new ArrayList<>();
    for (String raw : bootstrapServers.split(",", -1)) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        // Kafka refuses it with only "Failed to construct kafka producer".
        throw new MskConfigurationException(
            "bootstrapServers",
            "bootstrapServers has an empty entry (two commas in a row, or one at the start or"
                + " end): '"
                + bootstrapServers
                + "'; give host:port entries separated by single commas");
      }
      String host;
      String portText;
      if (entry.startsWith("[")) {
        int close = entry.indexOf(']');
        if (close < 0 || close + 1 >= entry.length() || entry.charAt(close + 1) != ':') {
          throw badEntry(entry);
        }
        host = entry.substring(1, close);
        portText = entry.substring(close + 2);
      } else {
        int colon = entry.lastIndexOf(':');
        if (colon <= 0 || entry.indexOf(':') != colon) {
          throw badEntry(entry);
        }
        host = entry.substring(0, colon);
        portText = entry.substring(colon + 1);
      }
      int port;
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw badEntry(entry);
      }
      if (port < 1 || port > 65535 || host.isBlank() || host.contains("/")) {
        throw badEntry(entry);
      }
      addresses.add(new Address(host.toLowerCase(Locale.ROOT), port));
    }
    if (addresses.isEmpty()) {
      throw new MskConfigurationException(
          "bootstrapServers", "bootstrapServers has no host:port entry: '" + bootstrapServers + "'");
    }
    return Collections.unmodifiableList(addresses);
  }

  private static MskConfigurationException badEntry(String entry) {
    return new MskConfigurationException(
        "bootstrapServers",
        "bootstrapServers entry '"
            + entry
            + "' is not host:port (port 1 to 65535), e.g."
            + " b-1.demo.abc123.c2.kafka.us-east-1.amazonaws.com:9098");
  }

  /** The region in an MSK host name, anchored on the MSK DNS suffix; empty for other hosts. */
  public static Optional<String> regionOf(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    Matcher m = MSK_SUFFIX.matcher(h);
    return m.find() ? Optional.of(m.group(3)) : Optional.empty();
  }

  public static boolean isMskHost(String host) {
    return regionOf(host).isPresent();
  }

  /**
   * The region every MSK host agrees on; empty if none is an MSK host.
   *
   * @throws MskConfigurationException if MSK hosts name different regions
   */
  public static Optional<String> commonRegion(List<Address> addresses) {
    Set<String> regions = new TreeSet<>();
    for (Address a : addresses) {
      regionOf(a.host()).ifPresent(regions::add);
    }
    if (regions.size() > 1) {
      throw new MskConfigurationException(
          "bootstrapServers",
          "bootstrapServers name brokers in different regions "
              + regions
              + ": a producer talks to one cluster, in one region; list that cluster's brokers"
              + " only");
    }
    return regions.stream().findFirst();
  }

  /**
   * Fails if a mechanism is aimed at an MSK port of another scheme (IAM at 9092, say). Non-MSK
   * hosts (a local broker, a proxy) are not judged by port.
   */
  public static void checkPorts(List<Address> addresses, MskAuth.Mechanism mechanism) {
    Set<Integer> expected = expectedPorts(mechanism);
    for (Address a : addresses) {
      if (!isMskHost(a.host()) || expected.contains(a.port())) {
        continue;
      }
      String scheme = PORT_SCHEMES.get(a.port());
      if (scheme != null) {
        throw new MskConfigurationException(
            "bootstrapServers",
            "broker "
                + a
                + " is MSK's "
                + scheme
                + " port, but auth is "
                + mechanism
                + ", which MSK serves on port "
                + describe(mechanism)
                + ": use the bootstrap brokers for "
                + mechanism
                + ", or change auth(...)");
      }
    }
  }

  private static Set<Integer> expectedPorts(MskAuth.Mechanism mechanism) {
    switch (mechanism) {
      case IAM:
      case IAM_LEGACY:
        return Set.of(9098, 9198);
      case TLS:
        return Set.of(9094, 9194);
      case SCRAM_SHA_512:
        return Set.of(9096, 9196);
      default:
        return Set.of(9092);
    }
  }

  private static String describe(MskAuth.Mechanism mechanism) {
    switch (mechanism) {
      case IAM:
      case IAM_LEGACY:
        return "9098 (inside the VPC) or 9198 (public access)";
      case TLS:
        return "9094 (inside the VPC) or 9194 (public access)";
      case SCRAM_SHA_512:
        return "9096 (inside the VPC) or 9196 (public access)";
      default:
        return "9092";
    }
  }
}
