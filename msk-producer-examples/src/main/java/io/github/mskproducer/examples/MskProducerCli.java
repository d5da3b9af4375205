package io.github.mskproducer.examples;

import io.github.mskproducer.examples.internal.DoctorCommand;
import io.github.mskproducer.examples.internal.MskProducerCliLogs;
import io.github.mskproducer.examples.internal.ProduceCommand;
import io.github.mskproducer.examples.internal.QuickstartCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code msk-producer} command: {@code java -jar msk-producer-examples/target/msk-producer.jar
 * quickstart|produce|doctor ...}. Every command prints its usage with {@code --help}; exit code
 * 2 means bad options.
 */
@Command(
    name = "msk-producer",
    mixinStandardHelpOptions = true,
    versionProvider = MskProducerCli.Version.class,
    subcommands = {QuickstartCommand.class, ProduceCommand.class, DoctorCommand.class},
    description = {
      "msk-producer tools:",
      "  quickstart  produce and read back records (a local broker unless --bootstrap)",
      "  produce     send standard input or generated records to a topic",
      "  doctor      find out why a cluster cannot be reached or written to",
      "See: msk-producer <command> --help"
    })
public final class MskProducerCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Not instantiated by users: {@link #main} runs the command line. */
  MskProducerCli() {}

  /**
   * Runs the command line and exits with its code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    defaultLogLevel("warn");
    // Kafka's clients and the local broker log WARN lines (start-up, retriable metadata
    // issues) that only confuse a command's user; --verbose shows them.
    MskProducerCliLogs.kafka("error");
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line, for embedding or tests: {@code commandLine().execute(args)} returns the
   * exit code instead of exiting.
   *
   * @return a new command line
   */
  public static CommandLine commandLine() {
    return new CommandLine(new MskProducerCli()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "give a command: quickstart, produce or doctor");
  }

  private static void defaultLogLevel(String level) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
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
