package io.github.mskproducer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mskproducer.core.MskProducerListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenersTest {
  private static MskProducerListener throwing(Throwable t) {
    return new MskProducerListener() {
      @Override
      public void onClosed(Duration took) {
        if (t instanceof RuntimeException r) {
          throw r;
        }
        throw (Error) t;
      }
    };
  }

  @Test
  void aListenersExceptionOrError_isIgnored_andTheOthersStillHear() {
    List<String> heard = new ArrayList<>();
    MskProducerListener recording =
        new MskProducerListener() {
          @Override
          public void onClosed(Duration took) {
            heard.add("closed");
          }
        };
    Listeners ls =
        new Listeners(
            List.of(
                throwing(new IllegalStateException("boom")),
                throwing(new AssertionError("an assertion in a listener")),
                throwing(new NoClassDefFoundError("missing/Metrics")),
                recording));

    ls.fire(l -> l.onClosed(Duration.ZERO));

    assertThat(heard).containsExactly("closed");
  }

  @Test
  void theJvmsOwnErrors_arePassedOn() {
    Listeners ls = new Listeners(List.of(throwing(new OutOfMemoryError("heap"))));

    assertThatThrownBy(() -> ls.fire(l -> l.onClosed(Duration.ZERO))).isInstanceOf(OutOfMemoryError.class);
  }
}
