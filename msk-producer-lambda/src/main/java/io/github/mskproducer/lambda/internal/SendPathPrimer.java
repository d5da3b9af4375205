package io.github.mskproducer.lambda.internal;

import io.github.mskproducer.core.internal.kafka.KafkaClientFacts;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and initialises the classes of the send path before a SnapStart snapshot, so that the
 * first send after a restore finds them in the snapshot instead of loading them then.
 */
public final class SendPathPrimer {
  private static final Logger LOG = LoggerFactory.getLogger(SendPathPrimer.class);

  private SendPathPrimer() {}

  /**
   * Loads what it can; a class missing from this Kafka version is skipped.
   *
   * @param loader the loader of the producer's classes
   */
  public static void prime(ClassLoader loader) {
    List<String> names = new ArrayList<>(KafkaClientFacts.SEND_PATH_CLASSES);
    names.add("io.github.mskproducer.core.internal.auth.IamTokenGenerator");
    for (String name : names) {
      try {
        Class.forName(name, true, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        LOG.debug("not primed: {}", name);
      }
    }
  }
}
