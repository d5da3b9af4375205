package io.github.mskproducer.core.internal;

import io.github.mskproducer.core.MskProducerListener;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one dispatch of listener events: to each listener in turn, a listener's exception (or
 * Error, except the JVM's own) logged and ignored so that it can neither break the producer nor
 * keep the others from hearing.
 */
public final class Listeners {
  private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

  private final List<MskProducerListener> listeners;

  public Listeners(List<? extends MskProducerListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /** Tells every listener. */
  public void fire(Consumer<MskProducerListener> event) {
    for (MskProducerListener l : listeners) {
      try {
        event.accept(l);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        // An Error too (an assertion, a class missing): thrown from Kafka's I/O thread it would
        // skip telling the sender, and a PER_SEND callback send would wait its whole timeout.
        LOG.warn("an MskProducerListener ({}) failed (ignored): {}", l.getClass().getName(), e.toString());
      }
    }
  }

  /** The listeners, for a producer built later with the same ones. */
  public List<MskProducerListener> asList() {
    return listeners;
  }
}
