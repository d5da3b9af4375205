package io.github.mskproducer.lambda.internal;

import io.github.mskproducer.core.MskAuthenticationException;
import io.github.mskproducer.core.MskAuthorizationException;
import java.util.Set;

/** Which failures leave a Kafka producer unusable, so that the next invocation needs a new one. */
public final class Fatal {
  private static final Set<String> FATAL_KAFKA_ERRORS =
      Set.of(
          "org.apache.kafka.common.errors.OutOfOrderSequenceException",
          "org.apache.kafka.common.errors.UnknownProducerIdException",
          "org.apache.kafka.common.errors.ProducerFencedException",
          "org.apache.kafka.common.errors.InvalidProducerEpochException",
          "org.apache.kafka.common.errors.ClusterAuthorizationException",
          "org.apache.kafka.common.errors.AuthenticationException",
          "org.apache.kafka.common.errors.SaslAuthenticationException");

  private Fatal() {}

  public static boolean isFatal(Throwable t) {
    if (t instanceof MskAuthorizationException) {
      return ((MskAuthorizationException) t).missingAction()
          == MskAuthorizationException.IamAction.WRITE_DATA_IDEMPOTENTLY;
    }
    if (t instanceof MskAuthenticationException) {
      return true;
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (FATAL_KAFKA_ERRORS.contains(c.getClass().getName())
          || String.valueOf(c.getMessage()).contains("in an error state")) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }
}
