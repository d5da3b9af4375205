package io.github.mskproducer.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** 10,000 records, a broker restart in the middle: every record acknowledged exactly once. */
class RestartUnderLoadIT {
  private static final int RECORDS = 10_000;

  @RegisterExtension
  static final LocalMskBrokerExtension MSK = LocalMskBrokerExtension.perClass(b -> b.topic("restart-load", 3));

  @Test
  void brokerRestartWithRecordsInFlight_everyRecordAcknowledgedExactlyOnce() {
    LocalMskBroker msk = MSK.broker();
    try (MskProducer<String, String> producer = LocalMsk.producer(msk).build()) {
      producer.sendAndWait("restart-load", "k", "warm-up", Duration.ofSeconds(30));
      producer.flush(Duration.ZERO);
      for (int i = 0; i < RECORDS; i++) {
        producer.send("restart-load", "k" + (i % 50), "record-" + i);
        if (i == RECORDS / 3) {
          msk.restart();
        }
      }

      FlushResult<String, String> result = producer.flush(Duration.ofSeconds(120));

      assertThat(result.failed()).isEmpty();
      assertThat(result.pending()).isEmpty();
      assertThat(result.acknowledged()).isEqualTo(RECORDS);
    }
    List<String> read = LocalMsk.readValues(msk, "restart-load", RECORDS + 1, Duration.ofSeconds(90));
    Set<String> distinct = new HashSet<>(read);
    assertThat(distinct).hasSize(RECORDS + 1);
    assertThat(read).as("no duplicates").hasSize(RECORDS + 1);
  }
}
