package io.github.mskproducer.examples.spring;

// README:start
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.MskProducerException;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** POST /orders: the body becomes a record on the orders topic, keyed by the order id. */
@RestController
public class OrdersController {
  private final MskProducer<String, String> producer;

  /**
   * The controller, on the starter's producer.
   *
   * @param producer the producer the starter made from msk.producer.*
   */
  public OrdersController(MskProducer<String, String> producer) {
    this.producer = producer;
  }

  /**
   * Sends the order and answers once the brokers acknowledged it.
   *
   * @param orderId the order's id, the record's key
   * @param body the order as JSON, the record's value
   * @return 202 with where the record was written, or 503 with why it was not
   */
  @PostMapping("/orders")
  public ResponseEntity<Map<String, Object>> create(
      @RequestHeader("order-id") String orderId, @RequestBody String body) {
    try {
      RecordMetadata written = producer.sendAndWait("orders", orderId, body, Duration.ofSeconds(10));
      return ResponseEntity.accepted()
          .body(Map.of("partition", written.partition(), "offset", written.offset()));
    } catch (MskProducerException e) { // typed: authentication, authorization, delivery...
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
          .body(Map.of("error", e.getMessage(), "retriable", e.isRetriable()));
    }
  }
}
// README:end
