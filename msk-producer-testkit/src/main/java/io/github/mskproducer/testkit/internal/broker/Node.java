package io.github.mskproducer.testkit.internal.broker;

/** One Kafka node (broker and controller in one) of a local cluster. */
public interface Node {
  int id();

  /** Starts the node and returns once it serves clients. */
  void start();

  /** Stops the node cleanly (controlled shutdown); its data stays. */
  void stop();

  /** Ends the node at once, as {@code kill -9} does. */
  void kill();

  /** Freezes the node, as {@code kill -STOP} does: it keeps its sockets but answers nothing. */
  void pause();

  /** Thaws a paused node. */
  void resume();

  boolean isRunning();

  /** The OS process id, or -1 for a node in this JVM. */
  long pid();
}
