package io.github.mskproducer.examples.internal;

import io.github.mskproducer.core.Acks;
import io.github.mskproducer.core.Compression;
import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.core.MskProducer;
import io.github.mskproducer.core.MskProducerBuilder;
import io.github.mskproducer.core.MskProducerException;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code msk-producer produce}. */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,

    description = {
      "Sends each line of standard input as a record to --topic, or, with --count, generated"
          + " values of --size bytes; then prints what happened: records acknowledged and failed,"
          + " throughput, acknowledgement latency.",
      "Credentials come from the AWS SDK's default chain (AWS_ACCESS_KEY_ID and"
          + " AWS_SECRET_ACCESS_KEY, AWS_PROFILE, a role), or --profile, or --role-arn.",
      "Ctrl-C stops reading, waits up to --flush-timeout for the records in flight, and prints"
          + " the summary.",
      "Exit code: 0 when every record was acknowledged, 1 when one was not, 2 for bad options."
    })
public final class ProduceCommand extends SendCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;

  @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic.")
  String topic;

  @Option(names = "--count", paramLabel = "N", description = "Send N generated values instead of standard input.")
  Long count;

  @Option(names = "--size", paramLabel = "BYTES", description = "Size of each generated value (default: ${DEFAULT-VALUE}).")
  int size = 256;

  @Option(names = "--key-separator", paramLabel = "SEP", description = "Split each input line at the first SEP into key and value (default: no key).")
  String keySeparator;

  @Option(names = "--acks", paramLabel = "ACKS", description = "Acknowledgement: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, with idempotence).")
  Acks acks = Acks.ALL;

  @Option(names = "--compression", paramLabel = "CODEC", description = "Compression: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Compression compression = Compression.LZ4;

  @Option(names = "--read-back", description = "Then read the records back with a consumer and count them.")
  boolean readBack;

  private volatile boolean interrupted;
  private InputStream stdin = System.in;

  /**
   * For tests: read lines from this stream instead of standard input.
   *
   * @param in the input
   * @return this
   */
  public ProduceCommand input(InputStream in) {
    this.stdin = in;
    return this;
  }

  @Override
  boolean stopped() {
    return interrupted;
  }

  @Override
  public Integer call() throws Exception {
    checkCommon();
    if (count != null && (count < 1 || count > 1_000_000_000L)) {
      throw bad("--count must be 1 to 1,000,000,000, was " + count);
    }
    if (size < 1 || size > 1_000_000) {
      throw bad("--size must be 1 to 1,000,000 bytes, was " + size);
    }
    if (count == null && spec.commandLine().getParseResult().hasMatchedOption("--size")) {
      throw bad("--size needs --count (it sizes generated values; input lines keep their own size)");
    }
    if (keySeparator != null && (keySeparator.isEmpty() || count != null)) {
      throw bad("--key-separator must be non-empty and is for standard input, not --count");
    }
    MskProducerBuilder<String, String> builder;
    try {
      builder =
          connection
              .applyTo(MskProducer.builder(String.class, String.class))
              .clientId("msk-producer-cli")
              .acks(acks)
              .compression(compression);
    } catch (MskConfigurationException e) {
      throw bad(e.getMessage());
    }
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              interrupted = true;
              try {
                finished.await(flushTimeoutSeconds + 5L, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "msk-producer-cli-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try (MskProducer<String, String> producer = builder.build()) {
      Topics.requireExists(producer, topic);
      producer.partitionsFor(topic); // fails fast, typed, if the topic cannot be used
      Summary summary;
      if (count != null) {
        Payloads payloads = new Payloads(size);
        summary = run(producer, topic, count, seq -> seq < count ? new String[] {null, payloads.value(seq)} : null, readBack, Duration.ofSeconds(120));
      } else {
        BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        summary =
            run(
                producer,
                topic,
                -1,
                seq -> {
                  String line = in.readLine();
                  if (line == null) {
                    return null;
                  }
                  int at = keySeparator == null ? -1 : line.indexOf(keySeparator);
                  return at < 0
                      ? new String[] {null, line}
                      : new String[] {line.substring(0, at), line.substring(at + keySeparator.length())};
                },
                readBack,
                Duration.ofSeconds(120));
      }
      return report(
          String.format(Locale.ROOT, "msk-producer produce: topic %s on %s (%s)%s", topic, connection.bootstrap(), connection.authName(), interrupted ? ", interrupted" : ""),
          summary);
    } catch (MskProducerException e) {
      err().println("produce failed: " + e.getMessage());
      err().println("to find out why, run: msk-producer doctor --bootstrap ... --topic " + topic);
      return 1;
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down: the hook is running
      }
    }
  }
}
