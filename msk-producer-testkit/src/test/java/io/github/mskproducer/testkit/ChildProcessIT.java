package io.github.mskproducer.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A broker in its own JVM: killed with SIGKILL, frozen with SIGSTOP, restarted alone. */
class ChildProcessIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
          b -> b.mode(LocalMskBroker.Mode.CHILD_PROCESS).topic("child", 1));

  @Test
  void kill9_thenStart_theSameProducerCarriesOn() throws Exception {
    LocalMskBroker msk = MSK.broker();
    long pid = msk.brokerPid(1).orElseThrow();
    assertThat(ProcessHandle.of(pid)).isPresent();
    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties();
        KafkaProducer<String, String> producer =
            KafkaClients.producer(
                msk.mskIamClientProperties(), "max.block.ms", "60000", "delivery.timeout.ms", "90000")) {
      producer.send(new ProducerRecord<>("child", "before")).get(30, TimeUnit.SECONDS);

      msk.killBroker(1);
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(msk.brokerPid(1)).isEmpty();
      msk.startBroker(1);

      assertThat(msk.brokerPid(1)).isPresent().isNotEqualTo(pid);
      producer.send(new ProducerRecord<>("child", "after")).get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void pause_freezesTheProcess_resumeThawsIt() throws Exception {
    LocalMskBroker msk = MSK.broker();
    long pid = msk.brokerPid(1).orElseThrow();
    try (LocalMskBroker.Restorable creds = msk.installCredentialsAsSystemProperties();
        KafkaProducer<String, String> producer =
            KafkaClients.producer(msk.mskIamClientProperties(), "delivery.timeout.ms", "90000")) {
      producer.send(new ProducerRecord<>("child", "warm")).get(30, TimeUnit.SECONDS);

      msk.pauseBroker(1);
      try {
        // The signal is delivered asynchronously: wait for the kernel to stop every thread.
        await().atMost(Duration.ofSeconds(10)).until(() -> processState(pid) == 'T');
      } finally {
        msk.resumeBroker(1);
      }

      await().atMost(Duration.ofSeconds(10)).until(() -> processState(pid) != 'T');
      producer.send(new ProducerRecord<>("child", "thawed")).get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void inProcessBrokers_cannotBeKilled_andSaySo() {
    try (LocalMskBroker inProcess = LocalMskBroker.builder().build()) {
      assertThatThrownBy(() -> inProcess.killBroker(1))
          .isInstanceOf(LocalMskException.class)
          .hasMessageContaining("Mode.CHILD_PROCESS");
      assertThatThrownBy(() -> inProcess.pauseBroker(1))
          .isInstanceOf(LocalMskException.class)
          .hasMessageContaining("Mode.CHILD_PROCESS");
    }
  }

  /** The state letter in /proc/<pid>/stat: 'T' when stopped by SIGSTOP. */
  private static char processState(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
  }
}
