package io.github.mskproducer.core.internal.send;

/** The cluster said twice that the topic of a send does not exist; nothing was sent. */
public final class TopicNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String topic;

  TopicNotFoundException(String topic) {
    super("topic " + topic + " does not exist on the cluster", null, false, false);
    this.topic = topic;
  }

  public String topic() {
    return topic;
  }
}
