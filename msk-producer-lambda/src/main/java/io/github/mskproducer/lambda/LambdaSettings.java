package io.github.mskproducer.lambda;

import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.lambda.internal.LambdaEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Lambda producer's own settings: when to recycle, how much time to keep back at the end
 * of an invocation, which topics to warm up, the record id header and the metrics. Immutable
 * ({@code builder()}, {@code toBuilder()}, {@code equals}); a setting not set reads as empty,
 * and {@link #resolve(Map)} fills it from its {@code MSK_LAMBDA_*} environment variable, else
 * its default, so a deployment template tunes what the code leaves open:
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>setting</th><th>default</th></tr>
 *   <tr><td>{@code MSK_LAMBDA_THAW_THRESHOLD_MS}</td><td>{@link #thawThreshold()}</td><td>240 s</td></tr>
 *   <tr><td>{@code MSK_LAMBDA_MAX_AGE_MS}</td><td>{@link #maxAge()}</td><td>1 h</td></tr>
 *   <tr><td>{@code MSK_LAMBDA_FLUSH_MARGIN_MS}</td><td>{@link #flushMargin()}</td><td>500 ms</td></tr>
 *   <tr><td>{@code MSK_LAMBDA_PREWARM_TOPICS} (comma-separated)</td><td>{@link
 *       #prewarmTopics()}</td><td>none</td></tr>
 *   <tr><td>{@code MSK_LAMBDA_RECORD_ID_HEADER} ({@code true}/{@code false})</td><td>{@link
 *       #recordIdHeader()}</td><td>off</td></tr>
 *   <tr><td>{@code MSK_LAMBDA_METRICS} ({@code true}/{@code false})</td><td>{@link
 *       #emitMetrics()}</td><td>off</td></tr>
 * </table>
 */
public final class LambdaSettings {
  /** Default {@link #thawThreshold()}: 240 s, well below the 350 s NAT/NLB idle timeout. */
  public static final Duration DEFAULT_THAW_THRESHOLD = Duration.ofSeconds(240);
  /** Default {@link #maxAge()}: one hour. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(1);
  /** Default {@link #flushMargin()}: 500 ms left to return the response. */
  public static final Duration DEFAULT_FLUSH_MARGIN = Duration.ofMillis(500);
  /** The environment variables {@link #resolve(Map)} reads. */
  public static final List<String> ENVIRONMENT_VARIABLES = LambdaEnvironment.VARIABLES;

  private final Duration thawThreshold;
  private final Duration maxAge;
  private final Duration flushMargin;
  private final List<String> prewarmTopics;
  private final Boolean recordIdHeader;
  private final Boolean emitMetrics;

  private LambdaSettings(Builder b) {
    this.thawThreshold = b.thawThreshold;
    this.maxAge = b.maxAge;
    this.flushMargin = b.flushMargin;
    this.prewarmTopics = b.prewarmTopics == null ? null : List.copyOf(b.prewarmTopics);
    this.recordIdHeader = b.recordIdHeader;
    this.emitMetrics = b.emitMetrics;
  }

  /**
   * A builder with nothing set.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from these settings.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.thawThreshold = thawThreshold;
    b.maxAge = maxAge;
    b.flushMargin = flushMargin;
    b.prewarmTopics = prewarmTopics == null ? null : new ArrayList<>(prewarmTopics);
    b.recordIdHeader = recordIdHeader;
    b.emitMetrics = emitMetrics;
    return b;
  }

  /**
   * These settings with each unset one taken from its environment variable, else its default:
   * every getter of the result is present.
   *
   * @param env the environment variables (a Lambda's: {@code System.getenv()})
   * @return the settings a producer runs with
   * @throws MskConfigurationException naming the variable, if one has a bad value
   */
  public LambdaSettings resolve(Map<String, String> env) {
    LambdaEnvironment e = new LambdaEnvironment(Objects.requireNonNull(env, "env"));
    Builder b = new Builder();
    b.thawThreshold = thawThreshold != null ? thawThreshold
        : e.millis(LambdaEnvironment.THAW_THRESHOLD, false).orElse(DEFAULT_THAW_THRESHOLD);
    b.maxAge = maxAge != null ? maxAge
        : e.millis(LambdaEnvironment.MAX_AGE, false).orElse(DEFAULT_MAX_AGE);
    b.flushMargin = flushMargin != null ? flushMargin
        : e.millis(LambdaEnvironment.FLUSH_MARGIN, true).orElse(DEFAULT_FLUSH_MARGIN);
    b.prewarmTopics = prewarmTopics != null ? prewarmTopics
        : e.list(LambdaEnvironment.PREWARM_TOPICS).orElse(List.of());
    b.recordIdHeader = recordIdHeader != null ? recordIdHeader
        : e.flag(LambdaEnvironment.RECORD_ID_HEADER).orElse(false);
    b.emitMetrics = emitMetrics != null ? emitMetrics
        : e.flag(LambdaEnvironment.METRICS).orElse(false);
    return b.build();
  }

  /**
   * The thaw threshold, if set.
   *
   * @return the thaw threshold, if set
   */
  public Optional<Duration> thawThreshold() {
    return Optional.ofNullable(thawThreshold);
  }

  /**
   * The maximum age, if set.
   *
   * @return the maximum age, if set
   */
  public Optional<Duration> maxAge() {
    return Optional.ofNullable(maxAge);
  }

  /**
   * The flush margin, if set.
   *
   * @return the flush margin, if set
   */
  public Optional<Duration> flushMargin() {
    return Optional.ofNullable(flushMargin);
  }

  /**
   * The topics to warm up, if set (an empty list set is "none").
   *
   * @return the topics to warm up, if set (an empty list set is "none")
   */
  public Optional<List<String>> prewarmTopics() {
    return Optional.ofNullable(prewarmTopics);
  }

  /**
   * Whether to add the record id header, if set.
   *
   * @return whether to add the record id header, if set
   */
  public Optional<Boolean> recordIdHeader() {
    return Optional.ofNullable(recordIdHeader);
  }

  /**
   * Whether to print EMF metrics, if set.
   *
   * @return whether to print EMF metrics, if set
   */
  public Optional<Boolean> emitMetrics() {
    return Optional.ofNullable(emitMetrics);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof LambdaSettings)) {
      return false;
    }
    LambdaSettings s = (LambdaSettings) o;
    return Objects.equals(thawThreshold, s.thawThreshold)
        && Objects.equals(maxAge, s.maxAge)
        && Objects.equals(flushMargin, s.flushMargin)
        && Objects.equals(prewarmTopics, s.prewarmTopics)
        && Objects.equals(recordIdHeader, s.recordIdHeader)
        && Objects.equals(emitMetrics, s.emitMetrics);
  }

  @Override
  public int hashCode() {
    return Objects.hash(thawThreshold, maxAge, flushMargin, prewarmTopics, recordIdHeader, emitMetrics);
  }

  @Override
  public String toString() {
    return "LambdaSettings{thawThreshold=" + thawThreshold + ", maxAge=" + maxAge
        + ", flushMargin=" + flushMargin + ", prewarmTopics=" + prewarmTopics
        + ", recordIdHeader=" + recordIdHeader + ", emitMetrics=" + emitMetrics + "}";
  }

  /** Sets the settings; setters check their argument and name it when it is wrong. */
  public static final class Builder {
    private Duration thawThreshold;
    private Duration maxAge;
    private Duration flushMargin;
    private List<String> prewarmTopics;
    private Boolean recordIdHeader;
    private Boolean emitMetrics;

    private Builder() {}

    /**
     * A gap since the previous invocation longer than this means a freeze that may have cost
     * the connections (NAT gateways and NLBs drop idle flows after 350 s) and the metadata:
     * the producer is then recycled. Default 240 s.
     *
     * @param threshold positive
     * @return this builder
     */
    public Builder thawThreshold(Duration threshold) {
      this.thawThreshold = positive("thawThreshold", threshold);
      return this;
    }

    /**
     * A producer older than this is recycled before the next invocation. Default one hour.
     *
     * @param maxAge positive
     * @return this builder
     */
    public Builder maxAge(Duration maxAge) {
      this.maxAge = positive("maxAge", maxAge);
      return this;
    }

    /**
     * The time kept back from the invocation's remaining time when flushing at its end, to
     * return the response. Default 500 ms.
     *
     * @param margin zero or positive
     * @return this builder
     */
    public Builder flushMargin(Duration margin) {
      Objects.requireNonNull(margin, "flushMargin");
      if (margin.isNegative()) {
        throw new MskConfigurationException(
            "flushMargin", "flushMargin must be zero or positive, was " + margin);
      }
      this.flushMargin = margin;
      return this;
    }

    /**
     * Adds topics whose metadata a fresh producer fetches before the invocation runs, so that
     * the first send after a thaw does not wait for it (F9). Default none.
     *
     * @param topics the topics the function writes to
     * @return this builder
     */
    public Builder prewarm(String... topics) {
      if (prewarmTopics == null) {
        prewarmTopics = new ArrayList<>();
      }
      for (String t : topics) {
        prewarmTopics.add(Objects.requireNonNull(t, "topic"));
      }
      return this;
    }

    /**
     * Adds the header {@value Invocation#RECORD_ID_HEADER} with {@code <request id>:<index of
     * the record in the invocation>}: the same for a record when Lambda retries the
     * invocation, so that consumers can drop duplicates. Default off.
     *
     * @param enabled whether to add the header
     * @return this builder
     */
    public Builder recordIdHeader(boolean enabled) {
      this.recordIdHeader = enabled;
      return this;
    }

    /**
     * Prints one CloudWatch Embedded Metric Format line per invocation (namespace {@code
     * MskProducer}: FlushLatency, RecordsAcknowledged, RecordsFailed, RecordsPending,
     * Recycles). Default off.
     *
     * @param enabled whether to print metrics
     * @return this builder
     */
    public Builder emitMetrics(boolean enabled) {
      this.emitMetrics = enabled;
      return this;
    }

    /**
     * The settings.
     *
     * @return immutable settings
     */
    public LambdaSettings build() {
      return new LambdaSettings(this);
    }

    private static Duration positive(String option, Duration d) {
      Objects.requireNonNull(d, option);
      if (d.isZero() || d.isNegative()) {
        throw new MskConfigurationException(option, option + " must be positive, was " + d);
      }
      return d;
    }
  }
}
