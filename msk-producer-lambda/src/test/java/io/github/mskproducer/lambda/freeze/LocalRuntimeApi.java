package io.github.mskproducer.lambda.freeze;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The part of the Lambda Runtime API a runtime client uses: {@code GET
 * /2018-06-01/runtime/invocation/next} (long poll), {@code POST .../invocation/<id>/response},
 * {@code .../error} and {@code .../runtime/init/error}. Tests queue invocations with {@link
 * #invoke} and get the function's response.
 */
public final class LocalRuntimeApi implements AutoCloseable {
  private static final String PREFIX = "/2018-06-01/runtime/";

  private record Pending(String requestId, String event, Duration timeout) {}

  private final HttpServer server;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Map<String, CompletableFuture<String>> responses = new ConcurrentHashMap<>();
  public final CompletableFuture<String> initError = new CompletableFuture<>();

  /**
   * Starts the API on an ephemeral loopback port.
   *
   * @throws IOException if it cannot listen
   */
  public LocalRuntimeApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "local-runtime-api");
      t.setDaemon(true);
      return t;
    }));
    server.createContext(PREFIX, this::handle);
    server.start();
  }

  /** {@code host:port}, for {@code AWS_LAMBDA_RUNTIME_API}. */
  public String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Queues an invocation; completes with the function's response body, or fails with its error. */
  public CompletableFuture<String> invoke(String eventJson, Duration timeout) {
    String id = UUID.randomUUID().toString();
    CompletableFuture<String> response = new CompletableFuture<>();
    responses.put(id, response);
    queue.add(new Pending(id, eventJson, timeout));
    return response;
  }

  private void handle(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath().substring(PREFIX.length());
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    if (path.equals("invocation/next")) {
      Pending next;
      try {
        next = queue.poll(1, TimeUnit.HOURS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        x.sendResponseHeaders(500, -1);
        return;
      }
      byte[] event = next.event().getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", next.requestId());
      x.getResponseHeaders()
          .add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + next.timeout().toMillis()));
      x.getResponseHeaders()
          .add("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:freeze-test");
      x.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000");
      x.getResponseHeaders().add("Content-Type", "application/json");
      x.sendResponseHeaders(200, event.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(event);
      }
      return;
    }
    if (path.equals("init/error")) {
      initError.complete(body);
    } else if (path.startsWith("invocation/")) {
      String[] parts = path.split("/");
      CompletableFuture<String> response = responses.remove(parts[1]);
      if (response != null) {
        if (parts[2].equals("response")) {
          response.complete(body);
        } else {
          response.completeExceptionally(new IllegalStateException("the function failed: " + body));
        }
      }
    }
    x.sendResponseHeaders(202, -1);
    x.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
