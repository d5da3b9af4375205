package shop;

// README:start
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.TestIdentity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The whole service against the local MSK-like broker: HTTP in, a record on the topic out. */
class ShopIT {
  @Test
  void anOrder_becomesARecord_andTheProducerIsHealthy() throws Exception {
    try (LocalMskBroker msk =
            LocalMskBroker.builder().identity(TestIdentity.random("shop")).topic("orders", 3).start();
        ConfigurableApplicationContext app =
            new SpringApplicationBuilder(ShopApplication.class)
                .properties(
                    Map.of(
                        "server.port", "0",
                        "msk.producer.health.timeout", "30s", // generous on a busy CI machine
                        "MSK_BOOTSTRAP_SERVERS", msk.bootstrapServers(), // read by application.yml
                        "AWS_REGION", msk.region(),
                        "msk.producer.truststore.pem", msk.truststorePem().toString(),
                        "msk.producer.auth.access-key-id", msk.identity("shop").accessKeyId(),
                        "msk.producer.auth.secret-access-key", msk.identity("shop").secretAccessKey()))
                .run()) {
      String base = "http://localhost:" + ((WebServerApplicationContext) app).getWebServer().getPort();
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> posted =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/orders"))
                  .header("order-id", "o-1")
                  .header("content-type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"o-1\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);

      ConsumerRecord<String, String> record = msk.read("orders", 1, Duration.ofSeconds(30)).get(0);
      assertThat(record.key()).isEqualTo("o-1");

      String health =
          http.send(
                  HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(health).contains("\"mskProducer\":{").contains("\"status\":\"UP\"");
      String acknowledged =
          http.send(
                  HttpRequest.newBuilder(URI.create(base + "/actuator/metrics/msk.producer.records.acknowledged")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(acknowledged).contains("\"value\":1.0");
    }
  }
}
// README:end
