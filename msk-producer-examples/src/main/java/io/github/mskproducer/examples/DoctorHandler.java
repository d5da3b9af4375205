package io.github.mskproducer.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.github.mskproducer.core.MskDiagnostics;
import io.github.mskproducer.core.MskProducerConfig;
import java.time.Duration;
import java.util.Map;

/**
 * A Lambda function that runs the connectivity doctor from inside the VPC and returns its
 * JSON report. Configure it with the producer's environment variables ({@code
 * MSK_BOOTSTRAP_SERVERS}, ...); the event may name a topic: {@code {"topic": "orders",
 * "testWrites": "true"}}.
 */
public final class DoctorHandler implements RequestHandler<Map<String, String>, String> {
  private final Map<String, String> environment;

  /** The handler Lambda instantiates: configured by the function's environment. */
  public DoctorHandler() {
    this(System.getenv());
  }

  DoctorHandler(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public String handleRequest(Map<String, String> event, Context context) {
    MskDiagnostics.Options.Builder options = MskDiagnostics.options().checkTimeout(Duration.ofSeconds(5));
    if (event != null && event.get("topic") != null) {
      options.topic(event.get("topic")).testWrites(Boolean.parseBoolean(event.get("testWrites")));
    }
    return MskDiagnostics.run(
            MskProducerConfig.builder().fromEnvironment(environment).build(), options.build())
        .toJson();
  }
}
