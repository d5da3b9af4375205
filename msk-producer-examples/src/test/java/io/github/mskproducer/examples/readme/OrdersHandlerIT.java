package io.github.mskproducer.examples.readme;

// README:start
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import io.github.mskproducer.testkit.TestLambdaContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalMskBrokerExtension.class)
class OrdersHandlerIT {
  @Test
  void everyMessageBecomesARecord(LocalMskBroker msk) {
    msk.createTopic("orders-from-sqs", 3);
    Map<String, String> env = new HashMap<>(msk.environment());
    env.put("ORDERS_TOPIC", "orders-from-sqs");
    OrdersHandler handler = new OrdersHandler(env); // as Lambda's init would
    TestLambdaContext context = TestLambdaContext.builder().timeout(Duration.ofSeconds(30)).build();
    try {
      for (int batch = 0; batch < 10; batch++) { // ten invocations of 100 messages
        SQSBatchResponse response = handler.handleRequest(sqs(batch * 100, 100), context.next());
        assertThat(response.getBatchItemFailures()).isEmpty();
      }
    } finally {
      handler.close();
    }
    assertThat(msk.read("orders-from-sqs", 1_000, Duration.ofSeconds(30))).hasSize(1_000);
  }

  private static SQSEvent sqs(int first, int count) {
    List<SQSEvent.SQSMessage> messages = new ArrayList<>();
    for (int i = first; i < first + count; i++) {
      SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
      m.setMessageId("m-" + i);
      m.setBody("{\"id\":" + i + "}");
      messages.add(m);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(messages);
    return event;
  }
}
// README:end
