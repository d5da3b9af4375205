package io.github.mskproducer.opentelemetry;

import com.amazonaws.services.lambda.runtime.Context;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayPropagator;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Joins the records' spans to the Lambda invocation's trace: Lambda gives each invocation an
 * X-Ray trace header ({@code Root=1-...;Parent=...;Sampled=1}); this makes it the parent
 * context while the invocation runs, so that a trace runs from the function (and whatever
 * called it) into the topic and on to its consumers.
 *
 * <pre>{@code
 * LambdaProducer.builder(String.class, String.class)
 *     .producer(b -> b.fromEnvironment())
 *     .instrument(tracing)
 *     .invocationScope(LambdaTracing.xrayParent())
 *     .build();
 * }</pre>
 *
 * <p>The header comes from the invocation's {@code Context.getXrayTraceId()}, else the
 * runtime's system property {@code com.amazonaws.xray.traceHeader}, else the environment
 * variable {@code _X_AMZN_TRACE_ID}. If a span is already current (an OpenTelemetry Lambda
 * layer or agent started one for the invocation), it stays the parent. X-Ray says whether the
 * trace is sampled: without active tracing Lambda marks it not sampled, and OpenTelemetry's
 * default (parent-based) sampler then records no span; turn active tracing on, or choose
 * another sampler. Needs {@code io.opentelemetry.contrib:opentelemetry-aws-xray-propagator} and
 * {@code aws-lambda-java-core} on the class path.
 */
public final class LambdaTracing {
  /** The header name the X-Ray propagator reads. */
  static final String XRAY_HEADER = "X-Amzn-Trace-Id";

  private static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private LambdaTracing() {}

  /**
   * For {@code LambdaProducerBuilder.invocationScope(...)}: the invocation's X-Ray trace as the
   * parent while it runs.
   *
   * @return opens the scope of one invocation
   */
  public static Function<Context, AutoCloseable> xrayParent() {
    return context ->
        parentScope(
            header(
                () -> context == null ? null : context.getXrayTraceId(),
                System.getProperty("com.amazonaws.xray.traceHeader"),
                System.getenv("_X_AMZN_TRACE_ID")));
  }

  /**
   * The scope that makes an X-Ray trace header the parent, or one that does nothing if a span
   * is current already or the header is missing or malformed.
   *
   * @param xrayHeader the header, or null
   * @return the scope to close after the invocation
   */
  static AutoCloseable parentScope(String xrayHeader) {
    if (xrayHeader == null || xrayHeader.isBlank() || Span.current().getSpanContext().isValid()) {
      return () -> {};
    }
    io.opentelemetry.context.Context parent =
        AwsXrayPropagator.getInstance()
            .extract(
                io.opentelemetry.context.Context.current(), Map.of(XRAY_HEADER, xrayHeader), GETTER);
    return parent.makeCurrent()::close;
  }

  /** The first header present, the invocation's own first. */
  static String header(Supplier<String> fromContext, String... others) {
    String h;
    try {
      h = fromContext.get();
    } catch (AbstractMethodError | NoSuchMethodError e) {
      h = null; // an aws-lambda-java-core older than getXrayTraceId
    }
    if (h != null && !h.isBlank()) {
      return h;
    }
    for (String o : others) {
      if (o != null && !o.isBlank()) {
        return o;
      }
    }
    return null;
  }
}
