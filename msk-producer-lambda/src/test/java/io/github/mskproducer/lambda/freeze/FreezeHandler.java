package io.github.mskproducer.lambda.freeze;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.lambda.InvocationResult;
import io.github.mskproducer.lambda.LambdaProducer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The function of the real-freeze test, run by the Lambda runtime client in a child JVM. {@code
 * FREEZE_MODE=module}: msk-producer-lambda. {@code FREEZE_MODE=control}: a plain KafkaProducer
 * wired with aws-msk-iam-auth and reused across invocations, as the seed article does. Each
 * invocation sends {@code records} records and answers how long the first one took to be
 * acknowledged, counted from the start of the invocation.
 */
public class FreezeHandler implements RequestHandler<Map<String, String>, Map<String, Object>> {
  private static final String TOPIC = System.getenv("FREEZE_TOPIC");
  private static final boolean MODULE = "module".equals(System.getenv("FREEZE_MODE"));
  private static final LambdaProducer<String, String> LAMBDA_PRODUCER = MODULE ? lambdaProducer() : null;
  private static final KafkaProducer<String, String> CONTROL_PRODUCER = MODULE ? null : controlProducer();

  private static LambdaProducer<String, String> lambdaProducer() {
    return LambdaProducer.builder(String.class, String.class)
        .thawThreshold(Duration.ofMillis(Long.parseLong(System.getenv("FREEZE_THAW_THRESHOLD_MS"))))
        .prewarm(TOPIC)
        .producer(
            b -> {
              b.fromEnvironment();
              // The benchmark's "before": the reconnect back-off LambdaProducer used to default to.
              String backoff = System.getenv("FREEZE_RECONNECT_BACKOFF_MS");
              if (backoff != null) {
                b.reconnectBackoff(Duration.ofMillis(Long.parseLong(backoff)), Duration.ofSeconds(10));
              }
            })
        .build();
  }

  private static KafkaProducer<String, String> controlProducer() {
    Properties p = new Properties();
    p.put("bootstrap.servers", System.getenv("MSK_BOOTSTRAP_SERVERS"));
    p.put("security.protocol", "SASL_SSL");
    p.put("ssl.truststore.type", "PEM");
    p.put("ssl.truststore.location", System.getenv("MSK_TRUSTSTORE"));
    p.put("sasl.mechanism", "OAUTHBEARER");
    p.put("sasl.jaas.config", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
    p.put("sasl.login.callback.handler.class", "software.amazon.msk.auth.iam.IAMOAuthBearerLoginCallbackHandler");
    p.put("sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMOAuthBearerLoginCallbackHandler");
    p.put("request.timeout.ms", System.getenv("CONTROL_REQUEST_TIMEOUT_MS"));
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", StringSerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, String> event, Context context) {
    long t0 = System.nanoTime();
    String invocation = event.get("invocation");
    int records = Integer.parseInt(event.get("records"));
    Map<String, Object> out = new LinkedHashMap<>();
    if (MODULE) {
      long[] firstAck = {-1};
      InvocationResult<String, String, Void> r =
          LAMBDA_PRODUCER.invoke(
              context,
              inv -> {
                for (int i = 0; i < records; i++) {
                  Future<RecordMetadata> f = inv.send(TOPIC, "k", "m-" + invocation + "-" + i);
                  if (i == 0) {
                    f.get(60, TimeUnit.SECONDS);
                    firstAck[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                  }
                }
                return null;
              });
      FlushResult<String, String> flush = r.flush();
      out.put("firstAckMs", firstAck[0]);
      out.put("acknowledged", flush.acknowledged());
      out.put("failed", flush.failed().size());
      out.put("pending", flush.pending().size());
      out.put("recycled", r.recycled().map(Enum::name).orElse("none"));
    } else {
      try {
        Future<RecordMetadata> first = null;
        for (int i = 0; i < records; i++) {
          Future<RecordMetadata> f =
              CONTROL_PRODUCER.send(new ProducerRecord<>(TOPIC, "k", "c-" + invocation + "-" + i));
          if (i == 0) {
            first = f;
          }
        }
        first.get(120, TimeUnit.SECONDS);
        out.put("firstAckMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        CONTROL_PRODUCER.flush();
        out.put("acknowledged", records);
      } catch (Exception e) {
        out.put("firstAckMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        out.put("error", e.toString());
      }
    }
    return out;
  }
}
