package io.github.mskproducer.testkit.internal.iam;

import io.github.mskproducer.testkit.TestIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The IAM side of a local cluster at one moment: region, known identities, the broker clock and
 * the token rules. Immutable; every change makes a new snapshot, which the cluster writes to its
 * control file so that every node (in this JVM or a child JVM) sees it.
 */
public final class IamSettings {
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);

  private final String region;
  private final Map<String, TestIdentity> identitiesByName;
  private final Map<String, TestIdentity> identitiesByAccessKey;
  private final Duration clockOffset;
  private final Duration clockSkewAllowance;
  private final Duration maxTokenLifetime;
  private final int connectionRateLimit;
  private final Set<String> brokerHosts;

  private IamSettings(
      String region,
      Map<String, TestIdentity> identitiesByName,
      Duration clockOffset,
      Duration clockSkewAllowance,
      Duration maxTokenLifetime,
      int connectionRateLimit,
      Set<String> brokerHosts) {
    this.region = region;
    this.identitiesByName = Collections.unmodifiableMap(new LinkedHashMap<>(identitiesByName));
    Map<String, TestIdentity> byKey = new LinkedHashMap<>();
    identitiesByName.values().forEach(i -> byKey.put(i.accessKeyId(), i));
    this.identitiesByAccessKey = Collections.unmodifiableMap(byKey);
    this.clockOffset = clockOffset;
    this.clockSkewAllowance = clockSkewAllowance;
    this.maxTokenLifetime = maxTokenLifetime;
    this.connectionRateLimit = connectionRateLimit;
    this.brokerHosts = Collections.unmodifiableSet(new TreeSet<>(brokerHosts));
  }

  /**
   * Settings for a region with no identities yet, the default skew, and the broker host names
   * the legacy mechanism accepts.
   */
  public static IamSettings create(String region, Set<String> brokerHosts) {
    return new IamSettings(
        region, Map.of(), Duration.ZERO, DEFAULT_CLOCK_SKEW, null, 0, brokerHosts);
  }

  public String region() {
    return region;
  }

  /** The host every OAUTHBEARER token must be signed for. */
  public String expectedHost() {
    return "kafka." + region + ".amazonaws.com";
  }

  public Collection<TestIdentity> identities() {
    return identitiesByName.values();
  }

  public Optional<TestIdentity> identity(String name) {
    return Optional.ofNullable(identitiesByName.get(name));
  }

  public Optional<TestIdentity> identityByAccessKey(String accessKeyId) {
    return Optional.ofNullable(identitiesByAccessKey.get(accessKeyId));
  }

  public Duration clockOffset() {
    return clockOffset;
  }

  public Duration clockSkewAllowance() {
    return clockSkewAllowance;
  }

  /** A cap on how long after X-Amz-Date a token is valid, on top of X-Amz-Expires; or empty. */
  public Optional<Duration> maxTokenLifetime() {
    return Optional.ofNullable(maxTokenLifetime);
  }

  /** New IAM authentications allowed per second per broker; 0 means no limit. */
  public int connectionRateLimit() {
    return connectionRateLimit;
  }

  /** Host names a legacy AWS_MSK_IAM payload may name (those in the TLS certificate). */
  public Set<String> brokerHosts() {
    return brokerHosts;
  }

  /** Now, on the broker's clock: the system clock moved by the configured offset. */
  public Instant now(Clock systemClock) {
    return systemClock.instant().plus(clockOffset);
  }

  public IamSettings withIdentity(TestIdentity identity) {
    Objects.requireNonNull(identity, "identity");
    for (TestIdentity other : identitiesByName.values()) {
      if (!other.name().equals(identity.name())
          && other.accessKeyId().equals(identity.accessKeyId())) {
        throw new IllegalArgumentException(
            "access key id "
                + identity.accessKeyId()
                + " already belongs to identity '"
                + other.name()
                + "': give each identity its own key");
      }
    }
    Map<String, TestIdentity> copy = new LinkedHashMap<>(identitiesByName);
    copy.put(identity.name(), identity);
    return new IamSettings(
        region,
        copy,
        clockOffset,
        clockSkewAllowance,
        maxTokenLifetime,
        connectionRateLimit,
        brokerHosts);
  }

  public IamSettings withoutIdentity(String name) {
    Map<String, TestIdentity> copy = new LinkedHashMap<>(identitiesByName);
    copy.remove(name);
    return new IamSettings(
        region,
        copy,
        clockOffset,
        clockSkewAllowance,
        maxTokenLifetime,
        connectionRateLimit,
        brokerHosts);
  }

  public IamSettings withClockOffset(Duration offset) {
    Objects.requireNonNull(offset, "clockOffset");
    return new IamSettings(
        region,
        identitiesByName,
        offset,
        clockSkewAllowance,
        maxTokenLifetime,
        connectionRateLimit,
        brokerHosts);
  }

  public IamSettings withClockSkewAllowance(Duration skew) {
    Objects.requireNonNull(skew, "clockSkewAllowance");
    if (skew.isNegative()) {
      throw new IllegalArgumentException(
          "clockSkewAllowance must be zero or positive, was " + skew);
    }
    return new IamSettings(
        region,
        identitiesByName,
        clockOffset,
        skew,
        maxTokenLifetime,
        connectionRateLimit,
        brokerHosts);
  }

  /** {@code null} removes the cap. */
  public IamSettings withMaxTokenLifetime(Duration lifetime) {
    if (lifetime != null && (lifetime.isZero() || lifetime.isNegative())) {
      throw new IllegalArgumentException(
          "maxTokenLifetime must be positive (or null for no cap), was " + lifetime);
    }
    return new IamSettings(
        region,
        identitiesByName,
        clockOffset,
        clockSkewAllowance,
        lifetime,
        connectionRateLimit,
        brokerHosts);
  }

  public IamSettings withConnectionRateLimit(int perSecond) {
    if (perSecond < 0) {
      throw new IllegalArgumentException(
          "connection rate limit must be 0 (no limit) or positive, was " + perSecond);
    }
    return new IamSettings(
        region,
        identitiesByName,
        clockOffset,
        clockSkewAllowance,
        maxTokenLifetime,
        perSecond,
        brokerHosts);
  }

  // ---- persistence (the control file) ----

  public Properties toProperties() {
    Properties p = new Properties();
    p.setProperty("region", region);
    p.setProperty("broker.hosts", String.join(",", brokerHosts));
    p.setProperty("clock.offset.ms", Long.toString(clockOffset.toMillis()));
    p.setProperty("clock.skew.ms", Long.toString(clockSkewAllowance.toMillis()));
    if (maxTokenLifetime != null) {
      p.setProperty("token.max.lifetime.ms", Long.toString(maxTokenLifetime.toMillis()));
    }
    p.setProperty("connection.rate.limit", Integer.toString(connectionRateLimit));
    int i = 0;
    for (TestIdentity id : identitiesByName.values()) {
      String prefix = "identity." + i++ + ".";
      p.setProperty(prefix + "name", id.name());
      p.setProperty(prefix + "access.key.id", id.accessKeyId());
      p.setProperty(prefix + "secret.access.key", id.secretAccessKey());
      id.sessionToken().ifPresent(t -> p.setProperty(prefix + "session.token", t));
    }
    return p;
  }

  public static IamSettings fromProperties(Properties p) {
    String region = required(p, "region");
    Set<String> hosts = new TreeSet<>();
    for (String h : p.getProperty("broker.hosts", "").split(",")) {
      if (!h.isBlank()) {
        hosts.add(h.trim());
      }
    }
    Map<String, TestIdentity> identities = new LinkedHashMap<>();
    for (int i = 0; p.getProperty("identity." + i + ".name") != null; i++) {
      String prefix = "identity." + i + ".";
      TestIdentity id =
          TestIdentity.of(
              p.getProperty(prefix + "name"),
              required(p, prefix + "access.key.id"),
              required(p, prefix + "secret.access.key"));
      String token = p.getProperty(prefix + "session.token");
      identities.put(id.name(), token == null ? id : id.withSessionToken(token));
    }
    String cap = p.getProperty("token.max.lifetime.ms");
    return new IamSettings(
        region,
        identities,
        Duration.ofMillis(Long.parseLong(p.getProperty("clock.offset.ms", "0"))),
        Duration.ofMillis(
            Long.parseLong(
                p.getProperty(
                    "clock.skew.ms", Long.toString(DEFAULT_CLOCK_SKEW.toMillis())))),
        cap == null ? null : Duration.ofMillis(Long.parseLong(cap)),
        Integer.parseInt(p.getProperty("connection.rate.limit", "0")),
        hosts);
  }

  private static String required(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null) {
      throw new IllegalStateException("IAM control file has no '" + key + "'");
    }
    return v;
  }
}
