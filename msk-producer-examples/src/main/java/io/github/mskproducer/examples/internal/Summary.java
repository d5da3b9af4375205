package io.github.mskproducer.examples.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of a quickstart or produce run, as text for people and as one JSON object for
 * scripts.
 *
 * @param sent records handed to the producer
 * @param acknowledged records the brokers acknowledged
 * @param failed records that failed (with a typed exception)
 * @param pending records neither acknowledged nor failed when the run ended
 * @param readBack records a consumer read back, or null when not read back
 * @param seconds from the first send to the last acknowledgement
 * @param recordsPerSecond acknowledged records per second
 * @param megabytesPerSecond acknowledged value bytes per second, in MiB
 * @param p50Ms median acknowledgement latency (send call to acknowledgement)
 * @param p99Ms 99th percentile acknowledgement latency
 * @param maxMs the largest acknowledgement latency
 * @param errors distinct failure messages with their counts (a few at most)
 */
public record Summary(
    long sent,
    long acknowledged,
    long failed,
    long pending,
    Long readBack,
    double seconds,
    double recordsPerSecond,
    double megabytesPerSecond,
    double p50Ms,
    double p99Ms,
    double maxMs,
    List<String> errors) {

  /**
   * Whether every record was acknowledged (and, when read back, every one was read).
   *
   * @return true when nothing was lost or failed
   */
  public boolean passed() {
    return failed == 0
        && pending == 0
        && acknowledged == sent
        && (readBack == null || readBack == acknowledged);
  }

  /**
   * The summary for people.
   *
   * @return lines of text
   */
  public String toText() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "  sent          %,d%n", sent));
    b.append(String.format(Locale.ROOT, "  acknowledged  %,d%n", acknowledged));
    b.append(String.format(Locale.ROOT, "  failed        %,d%n", failed));
    b.append(String.format(Locale.ROOT, "  pending       %,d%n", pending));
    if (readBack != null) {
      b.append(String.format(Locale.ROOT, "  read back     %,d%n", readBack));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "  throughput    %,.0f records/s (%.2f MiB/s) over %.2f s%n",
            recordsPerSecond,
            megabytesPerSecond,
            seconds));
    b.append(
        String.format(
            Locale.ROOT, "  ack latency   p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", p50Ms, p99Ms, maxMs));
    for (String e : errors) {
      b.append("  error         ").append(e).append(System.lineSeparator());
    }
    b.append(passed() ? "PASSED" : "FAILED");
    return b.toString();
  }

  /**
   * The summary as one JSON object on one line.
   *
   * @return the JSON
   */
  public String toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("passed", passed());
    o.put("sent", sent);
    o.put("acknowledged", acknowledged);
    o.put("failed", failed);
    o.put("pending", pending);
    if (readBack == null) {
      o.putNull("readBack");
    } else {
      o.put("readBack", readBack);
    }
    o.put("seconds", rounded(seconds));
    o.put("recordsPerSecond", rounded(recordsPerSecond));
    o.put("megabytesPerSecond", rounded(megabytesPerSecond));
    o.put("p50Ms", rounded(p50Ms));
    o.put("p99Ms", rounded(p99Ms));
    o.put("maxMs", rounded(maxMs));
    ArrayNode e = o.putArray("errors");
    errors.forEach(e::add);
    return o.toString();
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Three decimals, as the text shows them. */
  private static BigDecimal rounded(double d) {
    return Double.isFinite(d) ? BigDecimal.valueOf(d).setScale(3, RoundingMode.HALF_UP) : null;
  }
}
