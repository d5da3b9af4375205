package io.github.mskproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension shares one broker across classes and injects it wherever it is asked for. */
class LocalMskBrokerExtensionIT {
  /** The broker the first class using the shared extension saw. */
  static final AtomicReference<LocalMskBroker> SHARED = new AtomicReference<>();

  static void recordShared(LocalMskBroker broker) {
    SHARED.compareAndSet(null, broker);
    assertThat(broker).isSameAs(SHARED.get());
    assertThat(broker.isRunning()).isTrue();
  }

  @Nested
  @ExtendWith(LocalMskBrokerExtension.class)
  class SharedFirst {
    static LocalMskBroker fromBeforeAll;

    @BeforeAll
    static void beforeAll(LocalMskBroker msk) {
      fromBeforeAll = msk;
    }

    @Test
    void injectsTheSharedBroker_intoBeforeAllAndTests(LocalMskBroker msk) {
      assertThat(msk).isSameAs(fromBeforeAll);
      recordShared(msk);
    }
  }

  @Nested
  @ExtendWith(LocalMskBrokerExtension.class)
  class SharedSecond {
    private final LocalMskBroker viaConstructor;

    SharedSecond(LocalMskBroker msk) {
      this.viaConstructor = msk;
    }

    @Test
    void getsTheSameBroker_throughTheConstructor() {
      recordShared(viaConstructor);
    }
  }

  @Nested
  class PerClass {
    @RegisterExtension
    static final LocalMskBrokerExtension OWN =
        LocalMskBrokerExtension.perClass(b -> b.region("eu-west-1"));

    @Test
    void hasItsOwnConfiguredBroker(LocalMskBroker msk) {
      assertThat(msk).isSameAs(OWN.broker());
      assertThat(msk.region()).isEqualTo("eu-west-1");
      assertThat(msk).isNotSameAs(SHARED.get());
    }
  }
}
