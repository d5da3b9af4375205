package io.github.mskproducer.examples;

import io.github.mskproducer.core.DiagnosticReport;
import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.core.MskDiagnostics;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.MskProducerBuilder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code msk-producer} command: {@code java -jar msk-producer-examples-<version>-cli.jar
 * doctor --bootstrap HOST:PORT ...}.
 */
@Command(
    name = "msk-producer",
    mixinStandardHelpOptions = true,
    versionProvider = MskProducerCli.Version.class,
    subcommands = {MskProducerCli.Doctor.class},
    description = "msk-producer tools. See: msk-producer doctor --help")
public final class MskProducerCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * Runs the command line and exits with its code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    defaultLogLevel("warn");
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new MskProducerCli()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "give a command, e.g. doctor");
  }

  private static void defaultLogLevel(String level) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
    }
  }

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
  static final class Doctor implements Callable<Integer> {
    enum Auth {
      IAM,
      IAM_LEGACY,
      TLS,
      SCRAM,
      PLAINTEXT
    }

    @Option(
        names = "--bootstrap",
        required = true,
        paramLabel = "HOST:PORT[,...]",
        description = "The cluster's bootstrap brokers.")
    String bootstrap;

    @Option(names = "--region", paramLabel = "REGION", description = "The cluster's region (default: from the host names, else AWS_REGION).")
    String region;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "Also check this topic.")
    String topic;

    @Option(names = "--test-write", description = "Also write one test record to --topic, with and without idempotence.")
    boolean testWrite;

    @Option(names = "--auth", paramLabel = "IAM|IAM_LEGACY|TLS|SCRAM|PLAINTEXT", description = "Authentication (default: ${DEFAULT-VALUE}).")
    Auth auth = Auth.IAM;

    @CommandLine.ArgGroup(exclusive = true)
    Credentials credentials;

    static final class Credentials {
      @Option(names = "--profile", paramLabel = "PROFILE", description = "IAM credentials from this AWS profile.")
      String profile;

      @Option(names = "--role-arn", paramLabel = "ARN", description = "IAM credentials by assuming this role.")
      String roleArn;
    }

    @Option(names = "--role-session-name", paramLabel = "NAME", description = "Session name for --role-arn (default: ${DEFAULT-VALUE}).")
    String roleSessionName = "msk-producer-doctor";

    @Option(names = "--scram-username", paramLabel = "USER", description = "SCRAM user (--auth SCRAM); the password comes from MSK_SCRAM_PASSWORD.")
    String scramUser;

    @Option(names = "--truststore-pem", paramLabel = "FILE", description = "Trust the broker certificates in this PEM file (for a non-MSK broker).")
    Path truststorePem;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Time budget of each check (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 5;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      MskProducerBuilder<String, String> builder;
      MskDiagnostics.Options options;
      try {
        builder = MskProducer.builder(String.class, String.class).bootstrapServers(bootstrap);
        if (region != null) {
          builder.region(region);
        }
        builder.auth(auth());
        if (truststorePem != null) {
          builder.truststore(truststorePem);
        }
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
      DiagnosticReport report = MskDiagnostics.run(builder, options);
      PrintWriter out = spec.commandLine().getOut();
      out.println(json ? report.toJson() : report.toText());
      out.flush();
      return report.passed() ? 0 : 1;
    }

    private MskAuth auth() {
      switch (auth) {
        case TLS:
          return MskAuth.tls();
        case PLAINTEXT:
          return MskAuth.plaintext();
        case SCRAM:
          String password = System.getenv("MSK_SCRAM_PASSWORD");
          if (scramUser == null || password == null) {
            throw new MskConfigurationException(
                "--scram-username", "--auth SCRAM needs --scram-username and MSK_SCRAM_PASSWORD");
          }
          return MskAuth.scram(scramUser, password);
        default:
          boolean legacy = auth == Auth.IAM_LEGACY;
          if (credentials != null && credentials.profile != null) {
            return legacy ? MskAuth.iamLegacy(c -> c.profile(credentials.profile)) : MskAuth.iam(c -> c.profile(credentials.profile));
          }
          if (credentials != null && credentials.roleArn != null) {
            return legacy
                ? MskAuth.iamLegacy(c -> c.assumeRole(credentials.roleArn, roleSessionName))
                : MskAuth.iam(c -> c.assumeRole(credentials.roleArn, roleSessionName));
          }
          return legacy ? MskAuth.iamLegacy(c -> c.defaultChain()) : MskAuth.iam();
      }
    }

    @Override
    public String toString() {
      return "doctor " + bootstrap + " " + auth.name().toLowerCase(Locale.ROOT);
    }
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = MskProducerCli.class.getPackage().getImplementationVersion();
      return new String[] {"msk-producer " + (v == null ? "dev" : v)};
    }
  }
}
