package io.github.mskproducer.lambda.internal;

import io.github.mskproducer.core.MskAuthenticationException;
import io.github.mskproducer.core.MskAuthorizationException;
import io.github.mskproducer.core.MskProducerClosedException;
import io.github.mskproducer.core.internal.Causes;
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
    if (t instanceof MskAuthenticationException || t instanceof MskProducerClosedException) {
      return true; // a closed producer (a send raced its close) sends nothing more
    }
    return Causes.anyIs(
            t,
            OutOfOrderSequenceException.class,
            UnknownProducerIdException.class,
            ProducerFencedException.class,
            InvalidProducerEpochException.class,
            ClusterAuthorizationException.class,
            AuthenticationException.class) // SaslAuthenticationException too
        || KafkaClientFacts.isErrorState(t);
  }
}
