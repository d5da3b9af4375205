package io.github.mskproducer.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy for fault tests: it forwards connections to a target, and on command
 * drops the established ones silently (as a NAT gateway or NLB does after 350 idle seconds:
 * no FIN, no RST), resets them, delays traffic, refuses new connections, or cuts the target
 * off altogether.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start("localhost", brokerPort)) {
 *   // clients connect to localhost:proxy.port()
 *   proxy.blackholeExisting();   // established connections go silent; new ones pass
 * }
 * }</pre>
 *
 * <p>Binds {@code 127.0.0.1} (or another loopback address given). Two threads per connection; meant for tests, not for load.
 * Thread-safe.
 */
public final class TcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final List<Link> links = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Thread acceptor;
  private volatile InetSocketAddress target;
  private volatile long delayMillis;
  private volatile boolean refuseNew;
  private volatile boolean cutOff;
  private volatile boolean closed;

  private TcpProxy(ServerSocket server, InetSocketAddress target) {
    this.server = server;
    this.target = target;
    this.acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * A proxy on an ephemeral port of 127.0.0.1, forwarding to {@code host:port}.
   *
   * @param host the target host
   * @param port the target port
   * @return the running proxy
   */
  public static TcpProxy start(String host, int port) {
    return start(0, host, port);
  }

  /**
   * A proxy on a given port of 127.0.0.1 (0: ephemeral), forwarding to {@code host:port}.
   *
   * @param listenPort the port to listen on, or 0
   * @param host the target host
   * @param port the target port
   * @return the running proxy
   * @throws LocalMskException if the port cannot be bound
   */
  public static TcpProxy start(int listenPort, String host, int port) {
    try {
      return start(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), listenPort), host, port);
    } catch (java.net.UnknownHostException e) {
      throw new LocalMskException("cannot bind a proxy on 127.0.0.1:" + listenPort, e);
    }
  }

  /**
   * A proxy on a given local address, forwarding to {@code host:port}. On Linux every address
   * of 127.0.0.0/8 is local: a proxy on 127.0.0.2 stands for another host, e.g. a broker that
   * came back on a new address behind the same DNS name.
   *
   * @param listen the local address and port to listen on (port 0: ephemeral)
   * @param host the target host
   * @param port the target port
   * @return the running proxy
   * @throws LocalMskException if the address cannot be bound
   */
  public static TcpProxy start(InetSocketAddress listen, String host, int port) {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(host, "host");
    try {
      ServerSocket server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(listen);
      return new TcpProxy(server, new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new LocalMskException("cannot bind a proxy on " + listen, e);
    }
  }

  /**
   * The port clients connect to.
   *
   * @return the listening port
   */
  public int port() {
    return server.getLocalPort();
  }

  /**
   * Where new connections go.
   *
   * @return the target's address
   */
  public InetSocketAddress target() {
    return target;
  }

  /**
   * Changes where new connections go.
   *
   * @param host the target host
   * @param port the target port
   */
  public void target(String host, int port) {
    this.target = new InetSocketAddress(Objects.requireNonNull(host, "host"), port);
  }

  /**
   * Established connections stop forwarding in both directions, silently: bytes are read and
   * dropped, nothing is closed, so each side waits for answers that never come. New
   * connections are forwarded normally.
   */
  public void blackholeExisting() {
    links.forEach(l -> l.blackholed = true);
  }

  /** Established connections are closed with a TCP reset on both sides. */
  public void resetExisting() {
    links.forEach(Link::reset);
  }

  /**
   * Delays every chunk of forwarded data, both ways.
   *
   * @param delay the delay; zero for none
   */
  public void delay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    this.delayMillis = Math.max(0, delay.toMillis());
  }

  /**
   * Whether new connections are refused (accepted, then reset at once).
   *
   * @param refuse true to refuse new connections
   */
  public void refuseNew(boolean refuse) {
    this.refuseNew = refuse;
  }

  /**
   * Cuts the target off, or heals the cut: while cut off, established connections go silent
   * (as with {@link #blackholeExisting()}) and new ones are accepted but forward nothing either
   * way, as when a network partition or a security-group change drops every packet: clients
   * see their requests and TLS handshakes time out. Healing forwards new connections again; the
   * silenced ones stay silent, as connections do whose packets were dropped for long.
   *
   * @param cut true to cut off, false to heal
   */
  public void cutOff(boolean cut) {
    this.cutOff = cut;
    if (cut) {
      blackholeExisting();
    }
  }

  /**
   * Connections open now, blackholed ones included.
   *
   * @return the count
   */
  public int openConnections() {
    links.removeIf(l -> l.done);
    return links.size();
  }

  /**
   * Connections open now that {@link #blackholeExisting()} silenced.
   *
   * @return the count
   */
  public int blackholedConnections() {
    links.removeIf(l -> l.done);
    int n = 0;
    for (Link l : links) {
      if (l.blackholed) {
        n++;
      }
    }
    return n;
  }

  /**
   * Connections accepted since the proxy started.
   *
   * @return the count
   */
  public int acceptedConnections() {
    return accepted.get();
  }

  /** Stops the proxy and closes every connection. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    links.forEach(Link::close);
  }

  @Override
  public String toString() {
    return "TcpProxy{" + server.getInetAddress().getHostAddress() + ":" + port() + " -> " + target + "}";
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      accepted.incrementAndGet();
      if (refuseNew) {
        resetQuietly(client);
        continue;
      }
      try {
        // A network forwards each segment as it comes; without this, Nagle's algorithm on the
        // proxy's sockets holds every small write behind the peer's delayed ACK (40 ms on
        // Linux): about 80 ms per TLS and SASL handshake that no real path to MSK adds.
        client.setTcpNoDelay(true);
        Socket upstream = new Socket();
        upstream.setTcpNoDelay(true);
        upstream.connect(target, 10_000);
        Link link = new Link(client, upstream);
        links.add(link);
        if (cutOff) { // read after the link is listed: a cut made meanwhile silences it too
          link.blackholed = true;
        }
        link.start();
      } catch (IOException e) {
        resetQuietly(client);
      }
    }
  }

  private static void resetQuietly(Socket s) {
    try {
      s.setSoLinger(true, 0);
      s.close();
    } catch (IOException e) {
      // gone anyway
    }
  }

  /** One proxied connection: two pumps. */
  private final class Link {
    final Socket client;
    final Socket upstream;
    volatile boolean blackholed;
    volatile boolean done;

    Link(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void start() {
      pump(client, upstream, "up");
      pump(upstream, client, "down");
    }

    private void pump(Socket from, Socket to, String direction) {
      Thread t =
          new Thread(
              () -> {
                byte[] buffer = new byte[16 * 1024];
                try (InputStream in = from.getInputStream()) {
                  OutputStream out = to.getOutputStream();
                  for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (blackholed) {
                      continue;
                    }
                    long delay = delayMillis;
                    if (delay > 0) {
                      Thread.sleep(delay);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                  }
                  if (!blackholed) {
                    to.shutdownOutput();
                  } else {
                    endSilenced(from);
                  }
                } catch (IOException e) {
                  if (!blackholed) {
                    close();
                  } else {
                    endSilenced(from);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  close();
                }
              },
              "tcp-proxy-" + direction + "-" + from.getPort());
      t.setDaemon(true);
      t.start();
    }

    /**
     * One side of a silenced connection ended. The client gave up: nothing is left of the
     * connection, close both. The target ended: close only its socket, the client still sees
     * silence (no FIN crosses a blackhole).
     */
    void endSilenced(Socket from) {
      if (from == client) {
        close();
      } else {
        try {
          upstream.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }

    void reset() {
      resetQuietly(client);
      resetQuietly(upstream);
      done = true;
    }

    void close() {
      try {
        client.close();
      } catch (IOException e) {
        // closing anyway
      }
      try {
        upstream.close();
      } catch (SocketException e) {
        // closing anyway
      } catch (IOException e) {
        // closing anyway
      }
      done = true;
    }
  }
}
