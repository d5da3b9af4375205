package io.github.mskproducer.lambda.internal;

import io.github.mskproducer.core.MskAuthenticationException;
import io.github.mskproducer.core.MskAuthorizationException;
import io.github.mskproducer.core.internal.kafka.KafkaClientFacts;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnknownProducerIdException;

/** Which failures leave a Kafka producer unusable, so that the next invocation needs a new one. */
public final class Fatal {
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
      if (c instanceof OutOfOrderSequenceException
          || c instanceof UnknownProducerIdException
          || c instanceof ProducerFencedException
          || c instanceof InvalidProducerEpochException
          || c instanceof ClusterAuthorizationException
          || c instanceof AuthenticationException) { // SaslAuthenticationException too
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return KafkaClientFacts.isErrorState(t);
  }
}
