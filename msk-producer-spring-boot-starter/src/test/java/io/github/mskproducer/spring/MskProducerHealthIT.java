package io.github.mskproducer.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.testkit.LocalMskBroker;
import io.github.mskproducer.testkit.LocalMskBrokerExtension;
import io.github.mskproducer.testkit.TestIdentity;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The health indicator in a real context: UP, then DOWN with the finding that says why when the
 * application's identity is deleted and when the broker stops; never longer than its budget.
 */
class MskProducerHealthIT {
  @RegisterExtension
  static final LocalMskBrokerExtension MSK =
      LocalMskBrokerExtension.perClass(
          b -> b.identity(TestIdentity.random("healthy-app")).topic("health-orders", 1));

  private static ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MskProducerAutoConfiguration.class))
        .withPropertyValues(
            MskProducerAutoConfigurationIT.properties(MSK.broker(), "healthy-app").toArray(new String[0]))
        .withPropertyValues(
            "msk.producer.health.cache-ttl=0s",
            "msk.producer.health.timeout=30s", // generous: the checks, not the machine, are tested
            "msk.producer.health.topics=health-orders,health-missing");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> failed(Health h) {
    return (Map<String, Object>) h.getDetails().get("failed");
  }

  @Test
  void up_thenDownWithTheCause_whenTheIdentityIsDeleted_andWhenTheBrokerStops() {
    LocalMskBroker msk = MSK.broker();
    runner()
        .withPropertyValues("msk.producer.health.topics=health-orders")
        .run(
            context -> {
              MskProducerHealthIndicator indicator = context.getBean(MskProducerHealthIndicator.class);
              Health up = indicator.health();
              assertThat(up.getStatus()).as("%s", up.getDetails()).isEqualTo(Status.UP);
              assertThat(up.getDetails().get("checks").toString()).contains("topic health-orders=OK");

              TestIdentity removed = msk.identity("healthy-app");
              msk.removeIdentity("healthy-app");
              try {
                Health down = indicator.health();
                assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                assertThat(failed(down)).containsEntry("check", "authentication");
                assertThat(failed(down).get("fix").toString()).contains("credentials");
                assertThat(down.getDetails().toString())
                    .as("no secret in the details")
                    .doesNotContain(removed.secretAccessKey());
              } finally {
                msk.addIdentity(removed);
              }
              assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

              msk.stop();
              try {
                Health down = indicator.health();
                assertThat(down.getStatus()).as("%s", down.getDetails()).isEqualTo(Status.DOWN);
                assertThat(failed(down)).containsEntry("check", "tcp");
                assertThat(failed(down).get("observed").toString()).contains("connection refused");
              } finally {
                msk.start();
              }
            });
  }

  @Test
  void aProducerWhoseStartFailed_staysDown_afterTheClusterComesRight() {
    LocalMskBroker msk = MSK.broker();
    // Credentials the broker does not know yet, as a pod whose role is not there when it starts.
    TestIdentity late = TestIdentity.random("late-app");
    runner()
        .withPropertyValues(
            "msk.producer.health.topics=health-orders",
            "msk.producer.auth.access-key-id=" + late.accessKeyId(),
            "msk.producer.auth.secret-access-key=" + late.secretAccessKey())
        .run(
            context -> {
              io.github.mskproducer.core.MskProducer<?, ?> producer =
                  context.getBean(io.github.mskproducer.core.MskProducer.class);
              org.awaitility.Awaitility.await()
                  .atMost(java.time.Duration.ofSeconds(90))
                  .until(() -> startFailed(producer));
              msk.addIdentity(late);
              try {
                Health h = context.getBean(MskProducerHealthIndicator.class).health();
                assertThat(h.getStatus()).as("%s", h.getDetails()).isEqualTo(Status.DOWN);
                assertThat(h.getDetails()).doesNotContainKey("failed"); // the cluster checks pass
                assertThat(h.getDetails().get("producer").toString())
                    .contains("its start failed", "restart the application")
                    .doesNotContain(late.secretAccessKey());
              } finally {
                msk.removeIdentity("late-app");
              }
            });
  }

  private static boolean startFailed(io.github.mskproducer.core.MskProducer<?, ?> producer) {
    try {
      producer.awaitReady(java.time.Duration.ZERO);
      return false;
    } catch (io.github.mskproducer.core.MskProducerException e) {
      return true;
    }
  }

  @Test
  void aMissingTopic_isDown_withTheFix() {
    runner()
        .run(
            context -> {
              Health h = context.getBean(MskProducerHealthIndicator.class).health();
              assertThat(h.getStatus()).isEqualTo(Status.DOWN);
              assertThat(failed(h)).containsEntry("check", "topic").containsEntry("target", "health-missing");
              assertThat(failed(h).get("fix").toString()).contains("create it");
            });
  }
}
