package io.github.mskproducer.examples;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;

/** SQS events for tests, as Lambda's event source mapping delivers them. */
final class Sqs {
  private Sqs() {}

  /**
   * An event of messages whose ids and bodies alternate: id1, body1, id2, body2, ...
   */
  static SQSEvent event(String... idsAndBodies) {
    List<SQSEvent.SQSMessage> messages = new ArrayList<>();
    for (int i = 0; i < idsAndBodies.length; i += 2) {
      SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
      m.setMessageId(idsAndBodies[i]);
      m.setBody(idsAndBodies[i + 1]);
      m.setEventSource("aws:sqs");
      m.setEventSourceArn("arn:aws:sqs:us-east-1:123456789012:orders");
      messages.add(m);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(messages);
    return event;
  }

  static String order(String id, long cents) {
    return new Order(id, "customer-" + id, cents, "EUR").toJson();
  }
}
