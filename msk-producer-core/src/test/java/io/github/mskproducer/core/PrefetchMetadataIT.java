package io.github.mskproducer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** prefetchMetadata: a hint that never blocks and never breaks the producer. */
class PrefetchMetadataIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK = LocalMskBrokerExtension.perClass(b -> b.topic("prefetch", 2));

  @Test
  void prefetchWhileStartingAndOnceStarted_thenSendsAndMetadataWork_andAClosedProducerSaysSo() {
    LocalMskBroker msk = MSK.broker();
    MskProducer<String, String> producer = LocalMsk.producer(msk).build();
    try {
      producer.prefetchMetadata("prefetch"); // while it starts: beside its first authentication
      producer.prefetchMetadata("no-such-topic-here"); // a failure stays with whoever asks later
      assertThat(producer.awaitReady(Duration.ofSeconds(60))).isTrue();
      producer.prefetchMetadata("prefetch"); // started: on a worker

      assertThat(producer.partitionsFor("prefetch")).hasSize(2);
      assertThat(producer.sendAndWait("prefetch", "k", "v", Duration.ofSeconds(30)).topic()).isEqualTo("prefetch");
    } finally {
      producer.close(Duration.ofSeconds(5));
    }
    assertThatThrownBy(() -> producer.prefetchMetadata("prefetch")).isInstanceOf(MskProducerClosedException.class);
  }
}
