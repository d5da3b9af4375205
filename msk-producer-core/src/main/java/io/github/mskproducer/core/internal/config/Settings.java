package io.github.mskproducer.core.internal.config;

import io.github.mskproducer.core.Acks;
import io.github.mskproducer.core.Compression;
import io.github.mskproducer.core.FlushPolicy;
import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.RetryPolicy;
import io.github.mskproducer.core.Timeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A producer's configuration after validation, every default resolved ({@link
 * SettingsResolver}): what the Kafka properties, the token source and the send path read.
 *
 * @param region the signing region, for IAM; null otherwise
 * @param regionSource where the region came from, for IAM; null otherwise
 */
public record Settings(
    List<MskHosts.Address> brokers,
    String bootstrap,
    MskAuth auth,
    String region,
    String regionSource,
    Path truststore,
    String truststorePassword,
    Acks acks,
    boolean idempotence,
    Compression compression,
    Duration linger,
    int batchSize,
    String clientId,
    Timeouts timeouts,
    RetryPolicy retry,
    FlushPolicy flushPolicy,
    Duration reconnectBackoff,
    Duration reconnectBackoffMax,
    Map<String, String> extraProperties) {

  public Settings {
    brokers = List.copyOf(brokers);
    extraProperties = Collections.unmodifiableMap(new LinkedHashMap<>(extraProperties));
  }

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

  /** Never shows the truststore password. */
  @Override
  public String toString() {
    return "Settings{" + describe() + "}";
  }
}
