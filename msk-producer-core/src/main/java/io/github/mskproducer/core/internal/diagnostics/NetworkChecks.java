package io.github.mskproducer.core.internal.diagnostics;

import io.github.mskproducer.core.Finding.Status;
import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.internal.Causes;
import io.github.mskproducer.core.internal.config.MskHosts;
import io.github.mskproducer.core.internal.config.Settings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.apache.kafka.common.Node;

/**
 * The checks below Kafka: DNS, TCP and TLS to each bootstrap broker ({@code dns}, {@code tcp},
 * {@code tls}), and DNS plus TCP to each broker the cluster advertises ({@code
 * advertised-broker}). Plain sockets, so they tell a dropped packet from a refused connection
 * from an untrusted certificate, which Kafka's client reports alike.
 */
final class NetworkChecks {
  private final Probe probe;

  NetworkChecks(Probe probe) {
    this.probe = probe;
  }

  /** DNS, TCP and (unless plaintext) TLS to one broker; true if all passed. */
  boolean network(MskHosts.Address a, MskAuth.Mechanism mechanism, Settings settings) {
    String target = a.toString();
    InetAddress[] ips;
    try {
      ips = probe.within(() -> InetAddress.getAllByName(a.host()));
      probe.add(
          "dns",
          target,
          Status.OK,
          "resolves to "
              + Arrays.stream(ips).map(InetAddress::getHostAddress).collect(Collectors.joining(", ")),
          null,
          null);
    } catch (Exception e) {
      probe.add(
          "dns",
          target,
          Status.FAIL,
          "cannot resolve " + a.host() + ": " + Probe.describe(e),
          "the name does not exist, or this machine's DNS cannot see it (a private hosted zone, VPC"
              + " DNS resolution or DNS hostnames turned off, a typo)",
          Remedies.REACH_FROM_OUTSIDE);
      return false;
    }
    try {
      probe.within(
          () -> {
            try (Socket s = new Socket()) {
              s.connect(new InetSocketAddress(ips[0], a.port()), probe.budgetMillis());
            }
            return null;
          });
      probe.add("tcp", target, Status.OK, "connected to " + ips[0].getHostAddress() + ":" + a.port(), null, null);
    } catch (Exception e) {
      Throwable c = Causes.root(e);
      if (c instanceof ConnectException) {
        probe.add(
            "tcp",
            target,
            Status.FAIL,
            "connection refused by " + ips[0].getHostAddress() + ":" + a.port(),
            "nothing listens on port " + a.port() + " there: a wrong port, or the listener for it is"
                + " not enabled on the cluster",
            Remedies.PORTS + ", PLAINTEXT 9092");
      } else {
        probe.add(
            "tcp",
            target,
            Status.FAIL,
            "no connection within " + probe.budget.toMillis() + " ms: " + Probe.describe(e),
            "packets are dropped on the way: a security group, a network ACL or a route",
            "allow inbound TCP " + a.port() + " on the brokers' security group from this client's"
                + " security group (or address); check NACLs and route tables between them");
      }
      return false;
    }
    if (mechanism == MskAuth.Mechanism.PLAINTEXT) {
      probe.add("tls", target, Status.SKIPPED, "plaintext: no TLS", null, null);
      return true;
    }
    return tls(a, ips[0], settings);
  }

  private boolean tls(MskHosts.Address a, InetAddress ip, Settings settings) {
    String target = a.toString();
    try {
      String protocol =
          probe.within(
              () -> {
                SSLContext context =
                    TrustStores.context(
                        settings == null ? null : settings.truststore(),
                        settings == null ? null : settings.truststorePassword());
                try (Socket raw = new Socket()) {
                  raw.connect(new InetSocketAddress(ip, a.port()), probe.budgetMillis());
                  raw.setSoTimeout(probe.budgetMillis());
                  try (SSLSocket ssl =
                      (SSLSocket)
                          context.getSocketFactory().createSocket(raw, a.host(), a.port(), false)) {
                    SSLParameters params = ssl.getSSLParameters();
                    params.setEndpointIdentificationAlgorithm("HTTPS");
                    ssl.setSSLParameters(params);
                    ssl.startHandshake();
                    return ssl.getSession().getProtocol();
                  }
                }
              });
      probe.add("tls", target, Status.OK, protocol + " handshake, certificate trusted for " + a.host(), null, null);
      return true;
    } catch (Exception e) {
      Throwable c = Causes.root(e);
      String m = String.valueOf(Probe.messages(e));
      if (m.contains("PKIX") || m.contains("unable to find valid certification path")) {
        probe.add(
            "tls",
            target,
            Status.FAIL,
            "the broker's certificate is not trusted: " + Probe.describe(e),
            "the certificate is not signed by a CA in the truststore in use",
            "MSK's certificates are trusted by the JVM's default truststore; for another broker give"
                + " its CA with truststore(...) (doctor: --truststore-pem FILE)");
      } else if (m.contains("No subject alternative") || m.contains("doesn't match any of the subject")) {
        probe.add(
            "tls",
            target,
            Status.FAIL,
            "the certificate does not name " + a.host() + ": " + Probe.describe(e),
            "host name mismatch: connecting by an address the certificate does not cover (an IP"
                + " address, a CNAME, a proxy)",
            "connect with the broker's own DNS name, as 'aws kafka get-bootstrap-brokers' gives it");
      } else if (c instanceof SocketTimeoutException || e instanceof TimeoutException) {
        probe.add(
            "tls",
            target,
            Status.FAIL,
            "no TLS answer within " + probe.budget.toMillis() + " ms",
            "the peer accepted TCP but does not speak TLS on this port, or answers too slowly",
            "check the port: TLS is spoken on 9094/9194, SASL_SSL on 9096/9098/9196/9198; 9092 is"
                + " PLAINTEXT");
      } else if (c instanceof SSLException || c instanceof IOException) {
        probe.add(
            "tls",
            target,
            Status.FAIL,
            "TLS handshake failed: " + Probe.describe(e),
            "the peer does not speak TLS on this port: wrong port? (9092 is PLAINTEXT)",
            Remedies.PORTS + "; 9092 is PLAINTEXT");
      } else {
        probe.add("tls", target, Status.FAIL, "TLS check failed: " + Probe.describe(e), "unexpected", "see the message");
      }
      return false;
    }
  }

  void advertised(Node n) {
    String target = n.host() + ":" + n.port();
    try {
      probe.within(
          () -> {
            InetAddress ip = InetAddress.getByName(n.host());
            try (Socket s = new Socket()) {
              s.connect(new InetSocketAddress(ip, n.port()), probe.budgetMillis());
            }
            return null;
          });
      probe.add("advertised-broker", target, Status.OK, "broker " + n.id() + " resolves and connects from here", null, null);
    } catch (Exception e) {
      probe.add(
          "advertised-broker",
          target,
          Status.FAIL,
          "broker " + n.id() + " advertises " + target + ", which " + (Causes.root(e) instanceof UnknownHostException ? "does not resolve" : "does not connect") + " from here: " + Probe.describe(e),
          Remedies.UNREACHABLE_ADVERTISED.cause(),
          Remedies.UNREACHABLE_ADVERTISED.fix());
    }
  }
}
