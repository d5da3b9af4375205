package io.github.mskproducer.testkit.internal.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mskproducer.testkit.internal.server.KafkaNode;
import io.github.mskproducer.testkit.internal.server.NodeMain;
import io.github.mskproducer.testkit.internal.server.iam.LegacyIamServerLoginModule;
import io.github.mskproducer.testkit.internal.server.iam.MskIamServerCallbackHandler;
import io.github.mskproducer.testkit.internal.server.iam.MskLikeAuthorizer;
import io.github.mskproducer.testkit.internal.server.logging.BrokerLogging;
import java.nio.file.Path;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The names the client side uses to reach the broker side are the broker side's real names. */
class ServerClassesTest {
  @Test
  void everyNameIsItsClass_andTheReflectedMethodsExist() throws Exception {
    assertThat(ServerClasses.CALLBACK_HANDLER).isEqualTo(MskIamServerCallbackHandler.class.getName());
    assertThat(ServerClasses.LEGACY_LOGIN_MODULE).isEqualTo(LegacyIamServerLoginModule.class.getName());
    assertThat(ServerClasses.AUTHORIZER).isEqualTo(MskLikeAuthorizer.class.getName());
    assertThat(ServerClasses.KAFKA_NODE).isEqualTo(KafkaNode.class.getName());
    assertThat(ServerClasses.NODE_MAIN).isEqualTo(NodeMain.class.getName());
    assertThat(ServerClasses.LOGGING).isEqualTo(BrokerLogging.class.getName());
    assertThat(ServerClasses.CONTROL_FILE_OPTION).isEqualTo(MskIamServerCallbackHandler.CONTROL_FILE_OPTION);
    assertThat(KafkaNode.class.getMethod("start", Path.class, String.class, boolean.class).getReturnType())
        .isEqualTo(KafkaNode.class);
    assertThat(KafkaNode.class.getMethod("warmUp")).isNotNull();
    assertThat(BrokerLogging.class.getMethod("configure", String.class, BiPredicate.class, Consumer.class))
        .isNotNull();
  }
}
