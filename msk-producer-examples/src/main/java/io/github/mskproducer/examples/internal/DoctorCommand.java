package io.github.mskproducer.examples.internal;

import io.github.mskproducer.core.DiagnosticReport;
import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.core.MskDiagnostics;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.MskProducerBuilder;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code msk-producer doctor}. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Checks, one by one, why this machine can or cannot reach and write to an MSK cluster:"
          + " configuration (port versus authentication, region, credentials), DNS, TCP, TLS,"
          + " credentials and token, SASL authentication, cluster metadata and advertised"
          + " brokers, and optionally a topic with test writes.",
      "Static credentials come from the standard AWS environment variables"
          + " (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) or any source of"
          + " the AWS SDK's default chain.",
      "Exit code: 0 when no check failed, 1 when one did, 2 for bad options."
    },
    sortOptions = false)
public final class DoctorCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;

  @Option(names = "--topic", paramLabel = "TOPIC", description = "Also check this topic.")
  String topic;

  @Option(names = "--test-write", description = "Also write one test record to --topic, with and without idempotence.")
  boolean testWrite;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "Time budget of each check (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds = 5;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    MskProducerBuilder<String, String> builder;
    MskDiagnostics.Options.Builder options;
    try {
      builder = connection.applyTo(MskProducer.builder(String.class, String.class));
      if (timeoutSeconds < 1 || timeoutSeconds > 300) {
        throw new MskConfigurationException("--timeout", "--timeout must be 1 to 300 seconds, was " + timeoutSeconds);
      }
      options = MskDiagnostics.options().checkTimeout(Duration.ofSeconds(timeoutSeconds)).testWrites(testWrite);
      if (topic != null) {
        options.topic(topic);
      } else if (testWrite) {
        throw new MskConfigurationException("--test-write", "--test-write needs --topic");
      }
    } catch (MskConfigurationException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    DiagnosticReport report = MskDiagnostics.run(builder.config(), options.build());
    PrintWriter out = spec.commandLine().getOut();
    out.println(json ? report.toJson() : report.toText());
    out.flush();
    return report.passed() ? 0 : 1;
  }
}
