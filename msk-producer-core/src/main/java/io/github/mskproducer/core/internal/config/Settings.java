package io.github.mskproducer.core.internal.config;

import io.github.mskproducer.core.Acks;
import io.github.mskproducer.core.Compression;
import io.github.mskproducer.core.FlushPolicy;
import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.RetryPolicy;
import io.github.mskproducer.core.Timeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A producer's configuration after validation, every default resolved. Filled once by {@code
 * MskProducerBuilder.build()} and not changed afterwards.
 */
public final class Settings {
  public List<MskHosts.Address> brokers;
  public String bootstrap;
  public MskAuth auth;
  /** The signing region, for IAM; null otherwise. */
  public String region;
  public String regionSource;
  public Path truststore;
  public String truststorePassword;
  public Acks acks;
  public boolean idempotence;
  public Compression compression;
  public Duration linger;
  public int batchSize;
  public String clientId;
  public Timeouts timeouts;
  public RetryPolicy retry;
  public FlushPolicy flushPolicy;
  public Duration reconnectBackoff;
  public Duration reconnectBackoffMax;
  public Map<String, String> extraProperties = new LinkedHashMap<>();

  /** The effective configuration for the start-up log line: no secret. */
  public String describe() {
    return "bootstrap="
        + bootstrap
        + ", auth="
        + auth
        + (region == null ? "" : ", region=" + region + " (" + regionSource + ")")
        + ", acks="
        + acks.kafkaValue()
        + ", idempotence="
        + idempotence
        + ", compression="
        + compression.kafkaValue()
        + ", linger="
        + linger.toMillis()
        + "ms, batchSize="
        + batchSize
        + ", "
        + timeouts
        + ", "
        + retry
        + ", flushPolicy="
        + flushPolicy
        + ", reconnectBackoff="
        + reconnectBackoff.toMillis()
        + ".."
        + reconnectBackoffMax.toMillis()
        + "ms"
        + (truststore == null ? "" : ", truststore=" + truststore)
        + (extraProperties.isEmpty() ? "" : ", properties=" + extraProperties.keySet());
  }
}
