package io.github.mskproducer.lambda.internal;

import io.github.mskproducer.core.internal.json.Json;
import java.util.List;

/**
 * One CloudWatch Embedded Metric Format line per invocation: namespace {@code MskProducer},
 * dimension {@code FunctionName}.
 */
public final class Emf {
  private static final String[][] METRICS = {
    {"FlushLatency", "Milliseconds"},
    {"RecordsAcknowledged", "Count"},
    {"RecordsFailed", "Count"},
    {"RecordsPending", "Count"},
    {"Recycles", "Count"},
  };

  private Emf() {}

  /** The line for one invocation. */
  public static String line(
      long timestampMillis,
      String function,
      long flushMillis,
      long acknowledged,
      int failed,
      int pending,
      boolean recycled) {
    Json.Arr metrics = Json.array(List.of());
    for (String[] m : METRICS) {
      metrics.add(Json.object().put("Name", m[0]).put("Unit", m[1]));
    }
    Json.Obj aws =
        Json.object()
            .put("Timestamp", timestampMillis)
            .put(
                "CloudWatchMetrics",
                Json.array(
                    List.of(
                        Json.object()
                            .put("Namespace", "MskProducer")
                            .put("Dimensions", Json.array(List.of(Json.array(List.of("FunctionName")))))
                            .put("Metrics", metrics))));
    return Json.object()
        .put("_aws", aws)
        .put("FunctionName", function)
        .put("FlushLatency", flushMillis)
        .put("RecordsAcknowledged", acknowledged)
        .put("RecordsFailed", failed)
        .put("RecordsPending", pending)
        .put("Recycles", recycled ? 1 : 0)
        .toString();
  }
}
