package io.github.mskproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy on a plain echo server: forward, blackhole, reset, refuse. */
class TcpProxyTest {
  private ServerSocket echo;
  private TcpProxy proxy;

  @BeforeEach
  void echoServer() throws IOException {
    echo = new ServerSocket(0);
    Thread t =
        new Thread(
            () -> {
              while (!echo.isClosed()) {
                try {
                  Socket s = echo.accept();
                  Thread c =
                      new Thread(
                          () -> {
                            try (s;
                                InputStream in = s.getInputStream();
                                OutputStream out = s.getOutputStream()) {
                              in.transferTo(out);
                            } catch (IOException e) {
                              // client gone
                            }
                          });
                  c.setDaemon(true);
                  c.start();
                } catch (IOException e) {
                  return;
                }
              }
            });
    t.setDaemon(true);
    t.start();
    proxy = TcpProxy.start("127.0.0.1", echo.getLocalPort());
  }

  @AfterEach
  void close() throws IOException {
    proxy.close();
    echo.close();
  }

  private Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", proxy.port());
    s.setSoTimeout(2000);
    return s;
  }

  private static String roundTrip(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes());
    s.getOutputStream().flush();
    byte[] b = s.getInputStream().readNBytes(text.length());
    return new String(b);
  }

  @Test
  void forwards_andCountsConnections() throws IOException {
    try (Socket s = connect()) {
      assertThat(roundTrip(s, "hello")).isEqualTo("hello");
    }
    assertThat(proxy.acceptedConnections()).isEqualTo(1);
  }

  @Test
  void blackhole_silencesEstablishedConnections_withoutClosingThem_newOnesPass() throws IOException {
    try (Socket old = connect()) {
      assertThat(roundTrip(old, "a")).isEqualTo("a");

      proxy.blackholeExisting();

      old.getOutputStream().write("b".getBytes());
      assertThatThrownBy(() -> old.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
      assertThat(old.isClosed()).isFalse();
      try (Socket fresh = connect()) {
        assertThat(roundTrip(fresh, "c")).isEqualTo("c");
      }
    }
  }

  @Test
  void reset_closesEstablishedConnections() throws IOException {
    try (Socket old = connect()) {
      assertThat(roundTrip(old, "a")).isEqualTo("a");

      proxy.resetExisting();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                try {
                  old.getOutputStream().write('x');
                  return old.getInputStream().read() < 0;
                } catch (IOException e) {
                  return true;
                }
              });
    }
  }

  @Test
  void refuseNew_resetsNewConnections() throws IOException {
    proxy.refuseNew(true);
    try (Socket s = connect()) {
      assertThatThrownBy(() -> roundTrip(s, "x")).isInstanceOf(IOException.class);
    }
    proxy.refuseNew(false);
    try (Socket s = connect()) {
      assertThat(roundTrip(s, "y")).isEqualTo("y");
    }
  }

  @Test
  void cutOff_silencesEstablishedAndNewConnections_untilHealed() throws IOException {
    try (Socket old = connect()) {
      assertThat(roundTrip(old, "a")).isEqualTo("a");

      proxy.cutOff(true);

      old.getOutputStream().write("b".getBytes());
      assertThatThrownBy(() -> old.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
      try (Socket during = connect()) {
        during.getOutputStream().write("c".getBytes());
        assertThatThrownBy(() -> during.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        assertThat(during.isClosed()).isFalse();
      }

      proxy.cutOff(false);

      try (Socket healed = connect()) {
        assertThat(roundTrip(healed, "d")).isEqualTo("d");
      }
      old.getOutputStream().write("e".getBytes());
      assertThatThrownBy(() -> old.getInputStream().read())
          .as("a connection silenced by the cut stays silent")
          .isInstanceOf(SocketTimeoutException.class);
    }
  }
}
