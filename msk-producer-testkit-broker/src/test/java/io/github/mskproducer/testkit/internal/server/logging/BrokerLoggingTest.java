package io.github.mskproducer.testkit.internal.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.testkit.internal.control.ServerClasses;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class BrokerLoggingTest {
  private final List<Object[]> lines = new ArrayList<>();

  @AfterEach
  void disconnect() {
    BrokerLogging.configure(null, null, null);
  }

  private Logger logger(String name) {
    return new BrokerServiceProvider().getLoggerFactory().getLogger(name);
  }

  @Test
  void kafkasLoggers_areCutAtTheThreshold_ownLoggersAreLeftToTheTestsLogging() {
    BrokerLogging.configure("WARN", (name, level) -> true, lines::add);
    logger("kafka.server.KafkaConfig").info("values: {}", 1);
    logger("kafka.server.KafkaConfig").warn("a warning {}", 2);
    logger("io.github.mskproducer.testkit.internal.server.iam.X").debug("why a token was refused");

    assertThat(lines).extracting(l -> l[2]).containsExactly("a warning 2", "why a token was refused");
    assertThat(lines.get(0)[0]).isEqualTo("kafka.server.KafkaConfig");
    assertThat(lines.get(0)[1]).isEqualTo(30);
  }

  @Test
  void theTestsLoggingStillDecides() {
    BrokerLogging.configure("TRACE", (name, level) -> level >= 20, lines::add);
    Logger log = logger("kafka.server.KafkaConfig");
    assertThat(log.isDebugEnabled()).isFalse();
    assertThat(log.isInfoEnabled()).isTrue();
  }

  @Test
  void routineWarnings_ofAHealthyBroker_areToldAtInfo() {
    BrokerLogging.configure("WARN", (name, level) -> true, lines::add);
    logger("org.apache.kafka.controller.QuorumController")
        .warn("[QuorumController id=1] Performing controller activation. The metadata log appears to be empty.");
    assertThat(lines).isEmpty();
    BrokerLogging.configure("INFO", (name, level) -> true, lines::add);
    logger("org.apache.kafka.controller.QuorumController")
        .warn("[QuorumController id=1] Performing controller activation. The metadata log appears to be empty.");
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)[1]).isEqualTo(20);
  }

  @Test
  void aClustersNodesMissingEachOtherAsTheyStartOrStop_isToldAtInfo_otherWarningsStayWarnings() {
    BrokerLogging.configure("INFO", (name, level) -> true, lines::add);
    logger("org.apache.kafka.clients.NetworkClient")
        .warn("[RaftManager id=2] Connection to node 1 (localhost/127.0.0.1:41231) could not be established."
            + " Node may not be available.");
    logger("org.apache.kafka.raft.KafkaRaftClientDriver")
        .error("[kafka-2-raft-io-thread]: Graceful shutdown of RaftClient failed",
            new java.util.concurrent.TimeoutException("Timeout expired before graceful shutdown completed"));
    logger("org.apache.kafka.clients.NetworkClient").warn("[RaftManager id=2] Something else went wrong");
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)[1]).isEqualTo(20);
    assertThat(lines.get(1)[1]).isEqualTo(20);
    assertThat(lines.get(1)[3]).as("the exception is kept").isInstanceOf(java.util.concurrent.TimeoutException.class);
    assertThat(lines.get(2)[1]).isEqualTo(30);
    lines.clear();
    BrokerLogging.configure("WARN", (name, level) -> true, lines::add);
    logger("org.apache.kafka.raft.KafkaRaftClientDriver").error("Graceful shutdown of RaftClient failed");
    assertThat(lines).as("not shown at the default WARN").isEmpty();
  }

  @Test
  void theControllersOwnRegistrationRaceAtStart_isToldAtInfo_otherErrorsStayErrors() {
    BrokerLogging.configure("INFO", (name, level) -> true, lines::add);
    logger("kafka.server.ControllerApis")
        .error(
            "[ControllerApis nodeId=1] Unexpected error handling request RequestHeader(apiKey=CONTROLLER_REGISTRATION,"
                + " apiVersion=0, clientId=1, correlationId=0, headerVersion=2) -- ...",
            new IllegalStateException("not ready"));
    logger("kafka.server.ControllerApis")
        .error("[ControllerApis nodeId=1] Unexpected error handling request RequestHeader(apiKey=CREATE_TOPICS, ...)");
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)[1]).isEqualTo(20);
    assertThat(lines.get(0)[3]).as("the exception is kept").isInstanceOf(IllegalStateException.class);
    assertThat(lines.get(1)[1]).isEqualTo(40);
  }

  @Test
  void theLevelNames_andTheChildProcessProperty() {
    assertThat(BrokerLogging.parse("warning", -1)).isEqualTo(BrokerLogging.WARN);
    assertThat(BrokerLogging.parse("OFF", -1)).isEqualTo(BrokerLogging.OFF);
    assertThat(BrokerLogging.parse("nonsense", 7)).isEqualTo(7);
    assertThat(BrokerLogging.LEVEL_PROPERTY).isEqualTo(ServerClasses.LOG_LEVEL_PROPERTY);
  }
}
