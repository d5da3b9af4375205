package io.github.mskproducer.core.internal.auth;

/**
 * How an access key id appears in anything a person reads (messages, reports, descriptions):
 * its first four characters, which tell a long-term key ({@code AKIA}) from a temporary one
 * ({@code ASIA}), and no more.
 */
public final class AccessKeys {
  private AccessKeys() {}

  /** {@code AKIA…} for {@code AKIAIOSFODNN7EXAMPLE}; {@code ****} for a key of 4 or fewer. */
  public static String shown(String accessKeyId) {
    if (accessKeyId == null || accessKeyId.length() <= 4) {
      return "****";
    }
    return accessKeyId.substring(0, 4) + "…";
  }
}
