package io.github.mskproducer.testkit.internal.control;


import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
  /** Every access key, oldest first; an identity may have two, as an IAM user may. */
  private final List<Identity> keys;
  /** Each identity's newest key. */
  private final Map<String, Identity> identitiesByName;
  private final Map<String, Identity> identitiesByAccessKey;
  private final Duration clockOffset;
  private final Duration clockSkewAllowance;
  private final Duration maxTokenLifetime;
  private final int connectionRateLimit;
  private final Set<String> brokerHosts;

  private IamSettings(
      String region,
      List<Identity> keys,
      Duration clockOffset,
      Duration clockSkewAllowance,
      Duration maxTokenLifetime,
      int connectionRateLimit,
      Set<String> brokerHosts) {
    this.region = region;
    this.keys = List.copyOf(keys);
    Map<String, Identity> byName = new LinkedHashMap<>();
    Map<String, Identity> byKey = new LinkedHashMap<>();
    for (Identity i : keys) {
      byName.put(i.name(), i);
      byKey.put(i.accessKeyId(), i);
    }
    this.identitiesByName = Collections.unmodifiableMap(byName);
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
        region, List.of(), Duration.ZERO, DEFAULT_CLOCK_SKEW, null, 0, brokerHosts);
  }

  public String region() {
    return region;
  }

  /** The host every OAUTHBEARER token must be signed for. */
  public String expectedHost() {
    return "kafka." + region + ".amazonaws.com";
  }

  public Collection<Identity> identities() {
    return identitiesByName.values();
  }

  public Optional<Identity> identity(String name) {
    return Optional.ofNullable(identitiesByName.get(name));
  }

  public Optional<Identity> identityByAccessKey(String accessKeyId) {
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

  /** Adds an identity, or replaces every key of the identity of that name with this one. */
  public IamSettings withIdentity(Identity identity) {
    Objects.requireNonNull(identity, "identity");
    checkKeyIsFree(identity);
    List<Identity> copy = new ArrayList<>(keys);
    int at = -1;
    for (int i = copy.size() - 1; i >= 0; i--) {
      if (copy.get(i).name().equals(identity.name())) {
        copy.remove(i);
        at = i;
      }
    }
    copy.add(at < 0 ? copy.size() : at, identity);
    return withKeys(copy);
  }

  /** Gives an existing identity one more access key; its other keys keep working. */
  public IamSettings withAdditionalKey(Identity identity) {
    Objects.requireNonNull(identity, "identity");
    if (!identitiesByName.containsKey(identity.name())) {
      throw new IllegalArgumentException("no identity '" + identity.name() + "' to add a key to");
    }
    checkKeyIsFree(identity);
    List<Identity> copy = new ArrayList<>(keys);
    copy.add(identity);
    return withKeys(copy);
  }

  /** Removes one access key; the identity keeps its other keys (if it has none left, it is gone). */
  public IamSettings withoutAccessKey(String accessKeyId) {
    List<Identity> copy = new ArrayList<>(keys);
    if (!copy.removeIf(i -> i.accessKeyId().equals(accessKeyId))) {
      throw new IllegalArgumentException("no identity has access key id " + accessKeyId);
    }
    return withKeys(copy);
  }

  private void checkKeyIsFree(Identity identity) {
    Identity other = identitiesByAccessKey.get(identity.accessKeyId());
    if (other != null && !other.name().equals(identity.name())) {
      throw new IllegalArgumentException(
          "access key id "
              + identity.accessKeyId()
              + " already belongs to identity '"
              + other.name()
              + "': give each identity its own key");
    }
  }

  public IamSettings withoutIdentity(String name) {
    List<Identity> copy = new ArrayList<>(keys);
    copy.removeIf(i -> i.name().equals(name));
    return withKeys(copy);
  }

  private IamSettings withKeys(List<Identity> newKeys) {
    return new IamSettings(
        region,
        newKeys,
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
        keys,
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
        keys,
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
        keys,
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
        keys,
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
    for (Identity id : keys) {
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
    List<Identity> identities = new ArrayList<>();
    for (int i = 0; p.getProperty("identity." + i + ".name") != null; i++) {
      String prefix = "identity." + i + ".";
      identities.add(
          new Identity(
              p.getProperty(prefix + "name"),
              required(p, prefix + "access.key.id"),
              required(p, prefix + "secret.access.key"),
              p.getProperty(prefix + "session.token")));
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
