package io.github.mskproducer.spring.internal;

import io.github.mskproducer.core.MskConfigurationException;

/**
 * Which Spring Boot the starter runs on: it is built and tested for Spring Boot 4 (4.0, 4.1),
 * whose Actuator and Kafka auto-configuration live in packages Spring Boot 3 does not have. On
 * Spring Boot 3 it would start half-way (a producer, but no health indicator), so it refuses to
 * start and says what to do instead.
 */
public final class SpringBootSupport {
  /** The option an unsupported Spring Boot fails with. */
  public static final String OPTION = "spring-boot";

  private SpringBootSupport() {}

  /**
   * Checks Spring Boot's version.
   *
   * @param version Spring Boot's version ({@code SpringBootVersion.getVersion()}); null when it
   *     cannot be told (a repackaged jar without its manifest): then nothing is checked
   * @throws MskConfigurationException on Spring Boot before 4, with what to do
   */
  public static void check(String version) {
    if (version == null || version.isBlank()) {
      return;
    }
    int major;
    try {
      int dot = version.indexOf('.');
      major = Integer.parseInt(dot < 0 ? version.trim() : version.substring(0, dot).trim());
    } catch (NumberFormatException e) {
      return; // not a version we can read: let it run
    }
    if (major < 4) {
      throw new MskConfigurationException(
          OPTION,
          "msk-producer-spring-boot-starter needs Spring Boot 4.0 or 4.1; this application runs"
              + " Spring Boot "
              + version
              + ", whose Actuator and Kafka auto-configuration it does not support (it would start"
              + " without its health indicator): upgrade to Spring Boot 4, or set"
              + " msk.producer.enabled=false and declare the MskProducer as a @Bean yourself with"
              + " msk-producer-core (README: Usage in a service)");
    }
  }
}
