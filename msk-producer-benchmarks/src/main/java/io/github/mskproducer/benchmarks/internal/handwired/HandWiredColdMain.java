package io.github.mskproducer.benchmarks.internal.handwired;

import io.github.mskproducer.benchmarks.internal.probe.Probe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.security.auth.callback.Callback;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;
import software.amazon.msk.auth.iam.IAMOAuthBearerLoginCallbackHandler;

/**
 * A fresh JVM of the hand-wired side, run by the suite from {@code handwired-lambda.jar}.
 * {@code start <topic> <warm-records>}: build the producer (a Lambda's init), send one record
 * and wait for its acknowledgement (the first invocation), then send {@code warm-records} more
 * and measure the heap. {@code token}: sign one IAM token with aws-msk-iam-auth's handler, as
 * Kafka's login does. Prints one {@link Probe} line.
 */
public final class HandWiredColdMain {
  private HandWiredColdMain() {}

  /**
   * Runs one measurement.
   *
   * @param args {@code start <topic> <warm-records>} or {@code token}
   * @throws Exception if it fails: the suite reports the output
   */
  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    Probe probe = new Probe().put("mode", "handwired");
    if (args[0].equals("token")) {
      IAMOAuthBearerLoginCallbackHandler handler = new IAMOAuthBearerLoginCallbackHandler();
      handler.configure(
          Map.of(),
          "OAUTHBEARER",
          List.of(
              new AppConfigurationEntry(
                  OAuthBearerLoginModule.class.getName(),
                  AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                  Collections.emptyMap())));
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
    KafkaProducer<String, String> producer = HandWired.fromEnvironment();
    long init = System.nanoTime();
    RecordMetadata first =
        producer.send(new ProducerRecord<>(topic, "k", "cold start")).get(60, TimeUnit.SECONDS);
    long ack = System.nanoTime();
    probe
        .uptime("uptimeAtAckMs")
        .put("initMs", TimeUnit.NANOSECONDS.toMillis(init - t0))
        .put("firstSendMs", TimeUnit.NANOSECONDS.toMillis(ack - init))
        .put("offset", first.offset())
        .process();
    String value = "x".repeat(1024);
    List<Future<RecordMetadata>> sent = new ArrayList<>(warm);
    for (int i = 0; i < warm; i++) {
      sent.add(producer.send(new ProducerRecord<>(topic, "k" + (i % 16), value)));
    }
    producer.flush();
    for (Future<RecordMetadata> f : sent) {
      f.get();
    }
    probe.put("peakRssWarmKb", Probe.statusKb("VmHWM")).heapAfterGc().print();
    producer.close(Duration.ofSeconds(5));
    System.exit(0);
  }
}
