package io.github.mskproducer.core;

import io.github.mskproducer.core.internal.config.Settings;
import io.github.mskproducer.core.internal.diagnostics.Doctor;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Tells why a producer cannot reach or write to MSK: runs checks on the same configuration as
 * {@link MskProducerBuilder}, each within its own time budget, and returns a {@link
 * DiagnosticReport}: configuration (port versus authentication, region and where it came
 * from, credential source), DNS, TCP, TLS, credentials, token, clock, SASL authentication,
 * cluster metadata and advertised brokers, and optionally a topic, with test writes.
 *
 * <pre>{@code
 * DiagnosticReport report = MskDiagnostics.run(
 *     MskProducer.builder(String.class, String.class).bootstrapServers(brokers),
 *     MskDiagnostics.options().topic("orders").testWrites(true));
 * System.out.println(report.toText());
 * }</pre>
 *
 * <p>No secret ever appears in a report. Test writes, if asked for, write one small record
 * (header {@code msk-producer-doctor}) to the topic, with and without idempotence.
 */
public final class MskDiagnostics {
  private MskDiagnostics() {}

  /**
   * The default options: no topic, no test writes, 5 s per check.
   *
   * @return new options
   */
  public static Options options() {
    return new Options();
  }

  /**
   * Runs every check.
   *
   * @param config the producer's configuration (not modified, not built)
   * @param options which optional checks to run, and the time budget of each
   * @return the report
   */
  public static DiagnosticReport run(MskProducerBuilder<?, ?> config, Options options) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(options, "options");
    Settings settings = null;
    MskConfigurationException configError = null;
    try {
      settings = config.resolve();
    } catch (MskConfigurationException e) {
      configError = e;
    }
    List<Finding> findings =
        new Doctor(options.checkTimeout, options.topic, options.testWrites)
            .run(settings, configError, config.bootstrapServersOrNull(), config.authOrDefault());
    return new DiagnosticReport(findings);
  }

  /** Which optional checks to run, and the time budget of each check. */
  public static final class Options {
    private String topic;
    private boolean testWrites;
    private Duration checkTimeout = Duration.ofSeconds(5);

    private Options() {}

    /**
     * Also check this topic: that it exists, its partitions, describe permission. Default:
     * none, the topic checks are skipped.
     *
     * @param topic the topic
     * @return these options
     */
    public Options topic(String topic) {
      this.topic = Objects.requireNonNull(topic, "topic");
      return this;
    }

    /**
     * Also write one test record to the topic, with and without idempotence, to tell {@code
     * kafka-cluster:WriteData} and {@code kafka-cluster:WriteDataIdempotently} apart. Needs
     * {@link #topic(String)}. Default off.
     *
     * @param testWrites whether to write
     * @return these options
     */
    public Options testWrites(boolean testWrites) {
      this.testWrites = testWrites;
      return this;
    }

    /**
     * The time budget of each check. Default 5 s.
     *
     * @param timeout positive
     * @return these options
     */
    public Options checkTimeout(Duration timeout) {
      this.checkTimeout = Timeouts.Builder.check("checkTimeout", timeout);
      return this;
    }
  }
}
