package io.github.mskproducer.spring;

import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.spring.internal.ConfigMapping;
import io.github.mskproducer.spring.internal.SpringBootSupport;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a bad {@code msk.producer.*} property that stopped the application into Spring Boot's
 * start-up report: the property, the SDK's message, and where to fix it.
 */
public final class MskProducerFailureAnalyzer extends AbstractFailureAnalyzer<MskConfigurationException> {
  /** Made by Spring Boot. */
  public MskProducerFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, MskConfigurationException cause) {
    if (SpringBootSupport.OPTION.equals(cause.option())) {
      return new FailureAnalysis(
          "msk-producer could not start: " + cause.getMessage(),
          "Upgrade to Spring Boot 4.0 or 4.1, or set msk.producer.enabled=false and declare the"
              + " MskProducer bean yourself.",
          cause);
    }
    String property = ConfigMapping.property(cause.option());
    return new FailureAnalysis(
        "msk-producer could not be configured: " + cause.getMessage(),
        "Change " + property + " (application.properties or .yml, or the environment variable "
            + property.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_')
            + ") as the message says.",
        cause);
  }
}
