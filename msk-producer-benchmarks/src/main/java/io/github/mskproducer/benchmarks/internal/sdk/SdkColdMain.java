package io.github.mskproducer.benchmarks.internal.sdk;

import io.github.mskproducer.testkit.TestLambdaContext;
import io.github.mskproducer.benchmarks.internal.probe.Probe;
import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.internal.Version;
import io.github.mskproducer.core.internal.auth.CredentialsProviders;
import io.github.mskproducer.core.internal.auth.IamTokenGenerator;
import io.github.mskproducer.core.internal.auth.MskIamCallbackHandler;
import io.github.mskproducer.core.internal.auth.TokenSource;
import io.github.mskproducer.core.internal.auth.TokenSources;
import io.github.mskproducer.lambda.LambdaProducer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.security.auth.callback.Callback;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;

/**
 * A fresh JVM of the SDK side, run by the suite from {@code sdk-lambda.jar}. {@code sdk <topic>
 * <warm>}: {@code MskProducer} from the environment; {@code lambda <topic> <warm>}: {@code
 * LambdaProducer} built at init, the record sent in a first invocation; {@code lambda-primed}:
 * the same with the SnapStart hooks run at init (what a snapshot holds: classes of the send path
 * loaded, no connection); {@code token}: one token through the callback handler Kafka's login
 * calls. Prints one {@link Probe} line.
 */
public final class SdkColdMain {
  private SdkColdMain() {}

  /**
   * Runs one measurement.
   *
   * @param args the mode, then topic and warm-up record count for the producer modes
   * @throws Exception if it fails: the suite reports the output
   */
  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    String mode = args[0];
    Probe probe = new Probe().put("mode", mode);
    if (mode.equals("token")) {
      String region = System.getenv("AWS_REGION");
      CredentialsProviders.Made made = CredentialsProviders.create(MskAuth.iam().iamCredentials().orElseThrow(), region);
      TokenSource source =
          new TokenSource(made.provider(), "default chain", region, new IamTokenGenerator(Clock.systemUTC(), Version.userAgent()), null);
      String id = TokenSources.register(source);
      MskIamCallbackHandler handler = new MskIamCallbackHandler();
      handler.configure(
          Map.of(),
          "OAUTHBEARER",
          List.of(
              new AppConfigurationEntry(
                  OAuthBearerLoginModule.class.getName(),
                  AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                  Map.of(MskIamCallbackHandler.PRODUCER_ID_OPTION, id))));
      OAuthBearerTokenCallback callback = new OAuthBearerTokenCallback();
      handler.handle(new Callback[] {callback});
      long took = System.nanoTime() - t0;
      if (callback.token() == null || callback.token().value().isEmpty()) {
        throw new IllegalStateException("no token");
      }
      probe.put("tokenMs", TimeUnit.NANOSECONDS.toMicros(took) / 1000.0).uptime("uptimeMs").process().print();
      System.exit(0);
    }
    String topic = args[1];
    int warm = Integer.parseInt(args[2]);
    String value = "x".repeat(1024);
    if (mode.equals("sdk")) {
      MskProducer<String, String> producer =
          MskProducer.builder(String.class, String.class).fromEnvironment().build();
      long init = System.nanoTime();
      RecordMetadata first = producer.send(topic, "k", "cold start").get(60, TimeUnit.SECONDS);
      long ack = System.nanoTime();
      probe
          .uptime("uptimeAtAckMs")
          .put("initMs", TimeUnit.NANOSECONDS.toMillis(init - t0))
          .put("firstSendMs", TimeUnit.NANOSECONDS.toMillis(ack - init))
          .put("offset", first.offset())
          .process();
      List<Future<RecordMetadata>> sent = new ArrayList<>(warm);
      for (int i = 0; i < warm; i++) {
        sent.add(producer.send(topic, "k" + (i % 16), value));
      }
      if (!producer.flush(Duration.ofSeconds(60)).isComplete()) {
        throw new IllegalStateException("warm-up records not acknowledged");
      }
      probe.put("peakRssWarmKb", Probe.statusKb("VmHWM")).heapAfterGc().print();
      producer.close(Duration.ofSeconds(5));
      System.exit(0);
    }
    boolean primed = mode.equals("lambda-primed");
    LambdaProducer<String, String> producer =
        LambdaProducer.builder(String.class, String.class)
            .producer(b -> b.fromEnvironment())
            .prewarm(topic)
            .shutdownHook(false)
            .build();
    if (primed) {
      producer.beforeCheckpoint(null);
      producer.afterRestore(null);
    }
    long init = System.nanoTime();
    long[] ack = {0};
    long[] offset = {-1};
    producer.invoke(
        TestLambdaContext.of(java.util.UUID.randomUUID().toString(), java.time.Duration.ofMillis(60_000)),
        invocation -> {
          offset[0] = invocation.send(topic, "k", "cold start").get(60, TimeUnit.SECONDS).offset();
          ack[0] = System.nanoTime();
          return null;
        });
    long end = System.nanoTime();
    probe
        .uptime("uptimeAtAckMs")
        .put("initMs", TimeUnit.NANOSECONDS.toMillis(init - t0))
        .put("firstSendMs", TimeUnit.NANOSECONDS.toMillis(ack[0] - init))
        .put("firstInvocationMs", TimeUnit.NANOSECONDS.toMillis(end - init))
        .put("offset", offset[0])
        .process();
    producer.invoke(
        TestLambdaContext.of(java.util.UUID.randomUUID().toString(), java.time.Duration.ofMillis(60_000)),
        invocation -> {
          for (int i = 0; i < warm; i++) {
            invocation.send(topic, "k" + (i % 16), value);
          }
          return null;
        });
    probe.put("peakRssWarmKb", Probe.statusKb("VmHWM")).heapAfterGc().print();
    producer.close();
    System.exit(0);
  }
}
