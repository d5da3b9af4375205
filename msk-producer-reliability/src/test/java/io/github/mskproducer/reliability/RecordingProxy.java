package io.github.mskproducer.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy that keeps every byte each client sent (per connection), to check what went over
 * the wire: forwards to a target, or, without one, only listens.
 */
final class RecordingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final String host;
  private final int port;
  private final List<ByteArrayOutputStream> connections = new ArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();
  private volatile boolean open = true;

  RecordingProxy(String host, int port) throws IOException {
    this.host = host;
    this.port = port;
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    Thread accept = new Thread(this::acceptLoop, "recording-proxy");
    accept.setDaemon(true);
    accept.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** What each client sent, one array per connection, in order. */
  synchronized List<byte[]> clientBytes() {
    List<byte[]> out = new ArrayList<>();
    for (ByteArrayOutputStream b : connections) {
      synchronized (b) {
        out.add(b.toByteArray());
      }
    }
    return out;
  }

  private void acceptLoop() {
    while (open) {
      try {
        Socket client = server.accept();
        ByteArrayOutputStream recorded = new ByteArrayOutputStream();
        Socket upstream = host == null ? null : new Socket(host, port);
        synchronized (this) {
          connections.add(recorded);
          sockets.add(client);
          if (upstream != null) {
            sockets.add(upstream);
          }
        }
        pump(client.getInputStream(), upstream == null ? null : upstream.getOutputStream(), recorded, client, upstream);
        if (upstream != null) {
          pump(upstream.getInputStream(), client.getOutputStream(), null, upstream, client);
        }
      } catch (IOException e) {
        if (!open) {
          return;
        }
      }
    }
  }

  private static void pump(InputStream in, OutputStream out, ByteArrayOutputStream recorded, Socket a, Socket b) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16384];
              try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                  if (recorded != null) {
                    synchronized (recorded) {
                      recorded.write(buf, 0, n);
                    }
                  }
                  if (out != null) {
                    out.write(buf, 0, n);
                    out.flush();
                  }
                }
              } catch (IOException e) {
                // the connection ended
              } finally {
                closeQuietly(a);
                closeQuietly(b);
              }
            },
            "recording-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  /**
   * Whether {@code bytes} is nothing but TLS records (content type 20-23, version 3.x, length),
   * a last one possibly cut short by the connection's end.
   */
  static boolean onlyTlsRecords(byte[] bytes) {
    int pos = 0;
    while (pos < bytes.length) {
      int type = bytes[pos] & 0xff;
      if (type < 20 || type > 23) {
        return false;
      }
      if (pos + 1 < bytes.length && (bytes[pos + 1] & 0xff) != 3) {
        return false;
      }
      if (pos + 5 > bytes.length) {
        return true; // a header cut short
      }
      int length = ((bytes[pos + 3] & 0xff) << 8) | (bytes[pos + 4] & 0xff);
      if (length > 16384 + 2048) {
        return false;
      }
      pos += 5 + length;
    }
    return true;
  }

  @Override
  public synchronized void close() throws IOException {
    open = false;
    server.close();
    sockets.forEach(RecordingProxy::closeQuietly);
  }
}
