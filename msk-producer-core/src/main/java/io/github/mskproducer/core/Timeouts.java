package io.github.mskproducer.core;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The producer's time limits. Immutable; make one with {@link #builder()} or change one with
 * {@link #toBuilder()}. A value not set stays "not set" (its getter gives the default): {@link
 * #orElse(Timeouts)} fills only those from other timeouts, which is how {@code LambdaProducer}
 * applies its shorter defaults without overriding yours. {@link MskProducerBuilder#build()}
 * checks them against each other and against linger, as Kafka does ({@code delivery >= linger +
 * request}).
 */
public final class Timeouts {
  /** Default {@link #request()}: 30 s (Kafka's; MSK advises at least 10 s). */
  public static final Duration DEFAULT_REQUEST = Duration.ofSeconds(30);
  /** Default {@link #delivery()}: 120 s (Kafka's; MSK advises at least 60 s). */
  public static final Duration DEFAULT_DELIVERY = Duration.ofMinutes(2);
  /** Default {@link #maxBlock()}: 60 s (Kafka's). */
  public static final Duration DEFAULT_MAX_BLOCK = Duration.ofSeconds(60);
  /** Default {@link #connectionSetup()}: 10 s (Kafka's). */
  public static final Duration DEFAULT_CONNECTION_SETUP = Duration.ofSeconds(10);
  /** Default {@link #connectionSetupMax()}: 30 s (Kafka's). */
  public static final Duration DEFAULT_CONNECTION_SETUP_MAX = Duration.ofSeconds(30);

  private static final Timeouts DEFAULTS = builder().build();

  private final Duration request;
  private final Duration delivery;
  private final Duration maxBlock;
  private final Duration connectionSetup;
  private final Duration connectionSetupMax;

  // null: not set, the default applies
  private Timeouts(Builder b) {
    this.request = b.request;
    this.delivery = b.delivery;
    this.maxBlock = b.maxBlock;
    this.connectionSetup = b.connectionSetup;
    this.connectionSetupMax = b.connectionSetupMax;
  }

  /**
   * These timeouts, with each value not set here taken from {@code fallback} (set there or
   * not). E.g. {@code userTimeouts.orElse(lambdaDefaults)}.
   *
   * @param fallback where unset values come from
   * @return merged timeouts
   * @throws MskConfigurationException if the merged connectionSetupMax is below connectionSetup
   */
  public Timeouts orElse(Timeouts fallback) {
    Objects.requireNonNull(fallback, "fallback");
    Builder b = new Builder();
    b.request = request != null ? request : fallback.request;
    b.delivery = delivery != null ? delivery : fallback.delivery;
    b.maxBlock = maxBlock != null ? maxBlock : fallback.maxBlock;
    b.connectionSetup = connectionSetup != null ? connectionSetup : fallback.connectionSetup;
    b.connectionSetupMax =
        connectionSetupMax != null ? connectionSetupMax : fallback.connectionSetupMax;
    return b.build();
  }

  /** The timeouts, to ask {@link #isSet(Option)} about one. */
  public enum Option {
    /** {@link #request()}. */
    REQUEST,
    /** {@link #delivery()}. */
    DELIVERY,
    /** {@link #maxBlock()}. */
    MAX_BLOCK,
    /** {@link #connectionSetup()}. */
    CONNECTION_SETUP,
    /** {@link #connectionSetupMax()}. */
    CONNECTION_SETUP_MAX
  }

  /**
   * Whether a value was set here, rather than left to its default: what a layer of defaults
   * (Lambda's, a framework's) needs to apply its own only where the user set none.
   *
   * @param option the timeout
   * @return true if set on the builder
   */
  public boolean isSet(Option option) {
    switch (Objects.requireNonNull(option, "option")) {
      case REQUEST:
        return request != null;
      case DELIVERY:
        return delivery != null;
      case MAX_BLOCK:
        return maxBlock != null;
      case CONNECTION_SETUP:
        return connectionSetup != null;
      default:
        return connectionSetupMax != null;
    }
  }

  /**
   * Whether no value is set: every one is Kafka's default.
   *
   * @return true for {@link #defaults()}
   */
  public boolean isDefault() {
    return request == null
        && delivery == null
        && maxBlock == null
        && connectionSetup == null
        && connectionSetupMax == null;
  }

  /**
   * Kafka's defaults: no value set.
   *
   * @return the default timeouts
   */
  public static Timeouts defaults() {
    return DEFAULTS;
  }

  /**
   * A builder with no value set.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from these values.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.request = request;
    b.delivery = delivery;
    b.maxBlock = maxBlock;
    b.connectionSetup = connectionSetup;
    b.connectionSetupMax = connectionSetupMax;
    return b;
  }

  /**
   * These timeouts changed by {@code change}.
   *
   * @param change sets the values to change
   * @return new timeouts
   */
  public Timeouts with(Consumer<Builder> change) {
    Builder b = toBuilder();
    change.accept(b);
    return b.build();
  }

  /**
   * How long to wait for a broker's answer to one request ({@code request.timeout.ms}); Kafka
   * retries after it.
   *
   * @return the request timeout
   */
  public Duration request() {
    return request != null ? request : DEFAULT_REQUEST;
  }

  /**
   * How long a record may take from {@code send} to its acknowledgement, retries included
   * ({@code delivery.timeout.ms}); after it the record fails.
   *
   * @return the delivery timeout
   */
  public Duration delivery() {
    return delivery != null ? delivery : DEFAULT_DELIVERY;
  }

  /**
   * How long {@code send} may block waiting for topic metadata or buffer space ({@code
   * max.block.ms}); also, unless {@link RetryPolicy#maxElapsed()} says otherwise, how long after
   * a send's first attempt a retry may start.
   *
   * @return the max block time
   */
  public Duration maxBlock() {
    return maxBlock != null ? maxBlock : DEFAULT_MAX_BLOCK;
  }

  /**
   * How long to wait for one TCP connection to be set up ({@code
   * socket.connection.setup.timeout.ms}).
   *
   * @return the connection setup timeout
   */
  public Duration connectionSetup() {
    return connectionSetup != null ? connectionSetup : DEFAULT_CONNECTION_SETUP;
  }

  /**
   * The cap of the exponentially growing connection setup timeout ({@code
   * socket.connection.setup.timeout.max.ms}).
   *
   * @return the maximum connection setup timeout
   */
  public Duration connectionSetupMax() {
    return connectionSetupMax != null ? connectionSetupMax : DEFAULT_CONNECTION_SETUP_MAX;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Timeouts)) {
      return false;
    }
    Timeouts t = (Timeouts) o;
    return Objects.equals(request, t.request)
        && Objects.equals(delivery, t.delivery)
        && Objects.equals(maxBlock, t.maxBlock)
        && Objects.equals(connectionSetup, t.connectionSetup)
        && Objects.equals(connectionSetupMax, t.connectionSetupMax);
  }

  @Override
  public int hashCode() {
    return Objects.hash(request, delivery, maxBlock, connectionSetup, connectionSetupMax);
  }

  @Override
  public String toString() {
    return "Timeouts{request="
        + shown(request, DEFAULT_REQUEST)
        + ", delivery="
        + shown(delivery, DEFAULT_DELIVERY)
        + ", maxBlock="
        + shown(maxBlock, DEFAULT_MAX_BLOCK)
        + ", connectionSetup="
        + shown(connectionSetup, DEFAULT_CONNECTION_SETUP)
        + ", connectionSetupMax="
        + shown(connectionSetupMax, DEFAULT_CONNECTION_SETUP_MAX)
        + "}";
  }

  private static String shown(Duration set, Duration otherwise) {
    return set != null ? set.toString() : otherwise + " (default)";
  }

  /** Sets timeouts; every value must be positive and below 24 days (Kafka counts in int ms). */
  public static final class Builder {
    private Duration request;
    private Duration delivery;
    private Duration maxBlock;
    private Duration connectionSetup;
    private Duration connectionSetupMax;

    private Builder() {}

    /**
     * See {@link Timeouts#request()}. Default 30 s.
     *
     * @param request positive
     * @return this builder
     */
    public Builder request(Duration request) {
      this.request = check("timeouts.request", request);
      return this;
    }

    /**
     * See {@link Timeouts#delivery()}. Default 120 s.
     *
     * @param delivery positive, at least linger + request
     * @return this builder
     */
    public Builder delivery(Duration delivery) {
      this.delivery = check("timeouts.delivery", delivery);
      return this;
    }

    /**
     * See {@link Timeouts#maxBlock()}. Default 60 s; in Lambda a few seconds.
     *
     * @param maxBlock positive
     * @return this builder
     */
    public Builder maxBlock(Duration maxBlock) {
      this.maxBlock = check("timeouts.maxBlock", maxBlock);
      return this;
    }

    /**
     * See {@link Timeouts#connectionSetup()}. Default 10 s.
     *
     * @param connectionSetup positive
     * @return this builder
     */
    public Builder connectionSetup(Duration connectionSetup) {
      this.connectionSetup = check("timeouts.connectionSetup", connectionSetup);
      return this;
    }

    /**
     * See {@link Timeouts#connectionSetupMax()}. Default 30 s.
     *
     * @param connectionSetupMax positive, at least connectionSetup
     * @return this builder
     */
    public Builder connectionSetupMax(Duration connectionSetupMax) {
      this.connectionSetupMax = check("timeouts.connectionSetupMax", connectionSetupMax);
      return this;
    }

    /**
     * The timeouts.
     *
     * @return immutable timeouts
     * @throws MskConfigurationException if connectionSetupMax is below connectionSetup
     */
    public Timeouts build() {
      Timeouts t = new Timeouts(this);
      if (t.connectionSetupMax().compareTo(t.connectionSetup()) < 0) {
        throw new MskConfigurationException(
            "timeouts.connectionSetupMax",
            "timeouts.connectionSetupMax ("
                + t.connectionSetupMax()
                + ") must be at least timeouts.connectionSetup ("
                + t.connectionSetup()
                + ")");
      }
      return t;
    }

    static Duration check(String option, Duration value) {
      Objects.requireNonNull(value, option);
      if (value.isZero() || value.isNegative() || value.toMillis() > Integer.MAX_VALUE) {
        throw new MskConfigurationException(
            option,
            option + " must be positive and at most " + Integer.MAX_VALUE + " ms, was " + value);
      }
      return value;
    }
  }
}
