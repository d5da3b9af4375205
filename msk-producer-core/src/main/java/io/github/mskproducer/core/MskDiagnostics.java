package io.github.mskproducer.core;

import io.github.mskproducer.core.internal.config.Settings;
import io.github.mskproducer.core.internal.config.SettingsResolver;
import io.github.mskproducer.core.internal.diagnostics.Doctor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Tells why a producer cannot reach or write to MSK: runs checks on a producer's configuration
 * ({@link MskProducerConfig}, or {@code producer.config()}), each within its own time budget, and returns a {@link
 * DiagnosticReport}: configuration (port versus authentication, region and where it came
 * from, credential source), DNS, TCP, TLS, credentials, token, clock, SASL authentication,
 * cluster metadata and advertised brokers, and optionally a topic, with test writes.
 *
 * <pre>{@code
 * DiagnosticReport report = MskDiagnostics.run(
 *     MskProducerConfig.builder().bootstrapServers(brokers).build(),
 *     MskDiagnostics.options().topic("orders").testWrites(true).build());
 * System.out.println(report.toText());
 * }</pre>
 *
 * <p>No secret ever appears in a report. Test writes, if asked for, write one small record
 * (header {@code msk-producer-doctor}) to the topic, with and without idempotence.
 */
public final class MskDiagnostics {
  private MskDiagnostics() {}

  /**
   * A builder of options, starting from the defaults: no topic, no test writes, 5 s per check.
   *
   * @return a new builder
   */
  public static Options.Builder options() {
    return Options.builder();
  }

  /**
   * Runs every check with the default options.
   *
   * @param config the producer's configuration
   * @return the report
   */
  public static DiagnosticReport run(MskProducerConfig config) {
    return run(config, Options.DEFAULTS);
  }

  /**
   * Runs every check.
   *
   * @param config the producer's configuration
   * @param options which optional checks to run, and the time budget of each
   * @return the report
   */
  public static DiagnosticReport run(MskProducerConfig config, Options options) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(options, "options");
    Settings settings = null;
    MskConfigurationException configError = null;
    try {
      settings = new SettingsResolver().resolve(config);
    } catch (MskConfigurationException e) {
      configError = e;
    }
    List<Finding> findings =
        new Doctor(options.checkTimeout, options.topics, options.testWrites)
            .run(
                settings,
                configError,
                config.bootstrapServers().orElse(null),
                config.auth().orElse(MskAuth.iam()));
    return new DiagnosticReport(findings);
  }

  /** Which optional checks to run, and the time budget of each check. Immutable. */
  public static final class Options {
    static final Options DEFAULTS = new Builder().build();

    private final List<String> topics;
    private final boolean testWrites;
    private final Duration checkTimeout;

    private Options(Builder b) {
      this.topics = List.copyOf(b.topics);
      this.testWrites = b.testWrites;
      this.checkTimeout = b.checkTimeout;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
      return new Builder();
    }

    /**
     * A builder starting from these options.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
      Builder b = new Builder();
      b.topics.addAll(topics);
      b.testWrites = testWrites;
      b.checkTimeout = checkTimeout;
      return b;
    }

    /**
     * The first topic to check, if any.
     *
     * @return the first topic to check, if any
     */
    public Optional<String> topic() {
      return topics.stream().findFirst();
    }

    /**
     * The topics to check, in order.
     *
     * @return the topics, maybe none
     */
    public List<String> topics() {
      return topics;
    }

    /**
     * Whether to write test records.
     *
     * @return whether to write test records
     */
    public boolean testWrites() {
      return testWrites;
    }

    /**
     * The time budget of each check.
     *
     * @return the time budget of each check
     */
    public Duration checkTimeout() {
      return checkTimeout;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Options
          && topics.equals(((Options) o).topics)
          && testWrites == ((Options) o).testWrites
          && checkTimeout.equals(((Options) o).checkTimeout);
    }

    @Override
    public int hashCode() {
      return Objects.hash(topics, testWrites, checkTimeout);
    }

    @Override
    public String toString() {
      return "Options{topics=" + topics + ", testWrites=" + testWrites + ", checkTimeout=" + checkTimeout + "}";
    }

    /** Sets the options; setters check their argument. */
    public static final class Builder {
      private final List<String> topics = new ArrayList<>();
      private boolean testWrites;
      private Duration checkTimeout = Duration.ofSeconds(5);

      private Builder() {}

      /**
       * Also check this topic: that it exists, its partitions, describe permission. Default:
       * none, the topic checks are skipped.
       *
       * @param topic the topic
       * @return this builder
       */
      public Builder topic(String topic) {
        return topics(List.of(Objects.requireNonNull(topic, "topic")));
      }

      /**
       * Also check these topics, each as {@link #topic(String)} does; replaces any given before.
       * Default: none.
       *
       * @param topics the topics, maybe none
       * @return this builder
       */
      public Builder topics(java.util.Collection<String> topics) {
        Objects.requireNonNull(topics, "topics");
        List<String> checked = new ArrayList<>();
        for (String t : topics) {
          if (t == null || t.isBlank()) {
            throw new MskConfigurationException("topics", "topics holds an empty topic name: " + topics);
          }
          checked.add(t);
        }
        this.topics.clear();
        this.topics.addAll(checked);
        return this;
      }

      /**
       * Also write one test record to the topic, with and without idempotence, to tell {@code
       * kafka-cluster:WriteData} and {@code kafka-cluster:WriteDataIdempotently} apart, to
       * each topic. Needs {@link #topic(String)}. Default off.
       *
       * @param testWrites whether to write
       * @return this builder
       */
      public Builder testWrites(boolean testWrites) {
        this.testWrites = testWrites;
        return this;
      }

      /**
       * The time budget of each check. Default 5 s.
       *
       * @param timeout positive
       * @return this builder
       */
      public Builder checkTimeout(Duration timeout) {
        this.checkTimeout = Timeouts.Builder.check("checkTimeout", timeout);
        return this;
      }

      /**
       * The options.
       *
       * @return immutable options
       */
      public Options build() {
        return new Options(this);
      }
    }
  }
}
