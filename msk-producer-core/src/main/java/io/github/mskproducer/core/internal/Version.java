package io.github.mskproducer.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This library's version, from a resource filtered at build time. */
public final class Version {
  private static final String VERSION = load();

  private Version() {}

  public static String get() {
    return VERSION;
  }

  /** The User-Agent of our tokens: {@code msk-producer/<version>}. */
  public static String userAgent() {
    return "msk-producer/" + VERSION;
  }

  private static String load() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
