package io.github.mskproducer.examples.spring;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.TestIdentity;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small order service: {@code POST /orders} turns the request body into a record on the
 * {@code orders} topic, through the {@code MskProducer} the starter makes from {@code
 * application.yml}; Actuator shows its health ({@code /actuator/health}) and meters ({@code
 * /actuator/metrics/msk.producer.records.acknowledged}).
 *
 * <p>{@code java -jar msk-producer-spring-example.jar --local} first starts a local MSK-like
 * broker in the same JVM (IAM over TLS, throwaway credentials) and points the service at it.
 */
@SpringBootApplication
public class OrdersApplication {
  /** Made by Spring. */
  public OrdersApplication() {}

  /**
   * Starts the service.
   *
   * @param args Spring Boot's arguments; {@code --local} for the local broker
   */
  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(OrdersApplication.class);
    if (Arrays.asList(args).contains("--local")) {
      LocalMskBroker msk = LocalMskBroker.builder().identity(TestIdentity.random("orders-service")).topic("orders", 3).start();
      app.setDefaultProperties(localBroker(msk, "orders-service"));
      Runtime.getRuntime().addShutdownHook(new Thread(msk::close, "local-msk-close"));
      System.out.println("local MSK-like broker at " + msk.bootstrapServers() + "; try:");
      System.out.println(
          "  curl -s -XPOST localhost:8080/orders -H 'order-id: o-1' -H 'content-type: application/json'"
              + " -d '{\"id\":\"o-1\",\"amount\":42}'");
      System.out.println("  curl -s localhost:8080/actuator/health");
      System.out.println("  curl -s localhost:8080/actuator/metrics/msk.producer.records.acknowledged");
    }
    app.run(args);
  }

  /**
   * The properties that point the starter at a local broker with one of its identities: what
   * {@code application.yml} reads from the environment on AWS, and the broker's truststore.
   *
   * @param msk the broker
   * @param identity the identity's name
   * @return the properties
   */
  public static Map<String, Object> localBroker(LocalMskBroker msk, String identity) {
    TestIdentity id = msk.identity(identity);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("MSK_BOOTSTRAP_SERVERS", msk.bootstrapServers());
    p.put("AWS_REGION", msk.region());
    p.put("msk.producer.truststore.pem", msk.truststorePem().toString());
    p.put("msk.producer.auth.access-key-id", id.accessKeyId());
    p.put("msk.producer.auth.secret-access-key", id.secretAccessKey());
    return p;
  }
}
