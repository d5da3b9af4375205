package io.github.mskproducer.lambda.internal;

import io.github.mskproducer.core.MskConfigurationException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Lambda settings a deployment template can set without code ({@code MSK_LAMBDA_*}); a bad
 * value fails with the variable's name and what it takes.
 */
public final class LambdaEnvironment {
  public static final String THAW_THRESHOLD = "MSK_LAMBDA_THAW_THRESHOLD_MS";
  public static final String MAX_AGE = "MSK_LAMBDA_MAX_AGE_MS";
  public static final String FLUSH_MARGIN = "MSK_LAMBDA_FLUSH_MARGIN_MS";
  public static final String PREWARM_TOPICS = "MSK_LAMBDA_PREWARM_TOPICS";
  public static final String RECORD_ID_HEADER = "MSK_LAMBDA_RECORD_ID_HEADER";
  public static final String METRICS = "MSK_LAMBDA_METRICS";

  /** Every variable read here. */
  public static final List<String> VARIABLES =
      List.of(THAW_THRESHOLD, MAX_AGE, FLUSH_MARGIN, PREWARM_TOPICS, RECORD_ID_HEADER, METRICS);

  private final Map<String, String> env;

  public LambdaEnvironment(Map<String, String> env) {
    this.env = env;
  }

  private Optional<String> get(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  /** A duration in milliseconds; {@code zeroAllowed} for a margin. */
  public Optional<Duration> millis(String name, boolean zeroAllowed) {
    return get(name)
        .map(
            v -> {
              long ms;
              try {
                ms = Long.parseLong(v);
              } catch (NumberFormatException e) {
                throw new MskConfigurationException(
                    name, name + " '" + v + "' must be a whole number of milliseconds", e);
              }
              if (ms < 0 || (ms == 0 && !zeroAllowed)) {
                throw new MskConfigurationException(
                    name,
                    name + " must be " + (zeroAllowed ? "zero or positive" : "positive") + " (milliseconds), was " + v);
              }
              return Duration.ofMillis(ms);
            });
  }

  /** {@code true} or {@code false}, any case. */
  public Optional<Boolean> flag(String name) {
    return get(name)
        .map(
            v -> {
              switch (v.toLowerCase(Locale.ROOT)) {
                case "true":
                  return true;
                case "false":
                  return false;
                default:
                  throw new MskConfigurationException(name, name + " '" + v + "' must be true or false");
              }
            });
  }

  /** Comma-separated names; empty entries are refused. */
  public Optional<List<String>> list(String name) {
    return get(name)
        .map(
            v -> {
              List<String> items = Arrays.stream(v.split(",", -1)).map(String::trim).toList();
              if (items.stream().anyMatch(String::isEmpty)) {
                throw new MskConfigurationException(
                    name, name + " '" + v + "' must be topic names separated by commas, none empty");
              }
              return items;
            });
  }
}
