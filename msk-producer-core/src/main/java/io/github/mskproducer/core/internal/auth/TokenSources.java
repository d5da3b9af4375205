package io.github.mskproducer.core.internal.auth;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kafka creates SASL callback handlers by class name, so a producer's {@link TokenSource}
 * reaches its handler through this registry, keyed by an id in the producer's JAAS options.
 */
public final class TokenSources {
  private static final Map<String, TokenSource> SOURCES = new ConcurrentHashMap<>();

  private TokenSources() {}

  public static String register(TokenSource source) {
    String id = UUID.randomUUID().toString();
    SOURCES.put(id, source);
    return id;
  }

  public static TokenSource get(String id) {
    return SOURCES.get(id);
  }

  public static void unregister(String id) {
    SOURCES.remove(id);
  }
}
