package io.github.mskproducer.examples.internal;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskProducer;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** What the quickstart and produce commands share: rate, progress, summary, read-back. */
abstract class SendCommand {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--rate",
      paramLabel = "RECORDS/S",
      description =
          "Send at most this many records per second (default: as fast as the producer takes"
              + " them). Acknowledgement latency runs from the send call to the acknowledgement:"
              + " without a rate it includes the time records wait in the producer's buffer.")
  double rate;

  @Option(names = "--flush-timeout", paramLabel = "SECONDS", description = "How long to wait for the records in flight at the end (default: ${DEFAULT-VALUE}).")
  int flushTimeoutSeconds = 130;

  @Option(names = "--max-failures", paramLabel = "N", description = "Stop sending after this many failed records (default: ${DEFAULT-VALUE}).")
  long maxFailures = 100;

  @Option(names = "--json", description = "Print the summary as one JSON object (the last line of standard output).")
  boolean json;

  @Option(names = "--no-progress", negatable = false, description = "Draw no progress bar.")
  boolean noProgress;

  @Option(names = "--verbose", description = "Show the Kafka clients' (and the local broker's) warnings; only errors otherwise.")
  void verbose(boolean verbose) {
    if (verbose) {
      MskProducerCliLogs.kafka("warn");
    }
  }

  /** Sends the records a command produces, then flushes, optionally reads back, and reports. */
  interface Records {
    /**
     * The next record, or null at the end.
     *
     * @param seq its sequence number
     * @return key and value, or null
     * @throws Exception when the input cannot be read
     */
    String[] next(long seq) throws Exception;
  }

  final void checkCommon() {
    if (rate < 0) {
      throw bad("--rate must be 0 (no limit) or more, was " + rate);
    }
    if (flushTimeoutSeconds < 1 || flushTimeoutSeconds > 3600) {
      throw bad("--flush-timeout must be 1 to 3600 seconds, was " + flushTimeoutSeconds);
    }
    if (maxFailures < 1) {
      throw bad("--max-failures must be 1 or more, was " + maxFailures);
    }
  }

  final CommandLine.ParameterException bad(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** Standard error: progress and notes, so that standard output holds only the summary. */
  final PrintStream err() {
    return System.err;
  }

  /**
   * Runs the sends and returns the summary; prints nothing but progress.
   *
   * @param readBack whether a consumer reads the run back afterwards
   */
  final Summary run(
      MskProducer<String, String> producer, String topic, long total, Records records, boolean readBack, Duration readBackTimeout)
      throws Exception {
    RunStats stats = new RunStats();
    String runId = UUID.randomUUID().toString();
    ProgressBar bar = new ProgressBar("acknowledged", total, err(), !noProgress);
    Sender sender = new Sender(producer, topic, stats, bar, rate, runId);
    FlushResult<String, String> flushed;
    try {
      for (long seq = 0; !stopped(); seq++) {
        if (stats.failed() >= maxFailures) {
          err().printf("%nstopping: %d records failed (--max-failures)%n", stats.failed());
          break;
        }
        String[] kv = records.next(seq);
        if (kv == null) {
          break;
        }
        sender.send(kv[0], kv[1]);
      }
      flushed = sender.flush(Duration.ofSeconds(flushTimeoutSeconds));
      // The flush returns when the producer has the outcome of every record; the callbacks
      // that count them may still be running on Kafka's thread. Count them all.
      long outcomes = sender.sent() - flushed.pending().size();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (stats.acknowledged() + stats.failed() < outcomes && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
    } finally {
      bar.close();
    }
    Long readBackCount = null;
    if (readBack && !stopped()) {
      err().println("reading the records back ...");
      readBackCount = ReadBack.count(producer.clientProperties(), sender.offsets(), runId, readBackTimeout);
    }
    return stats.summary(sender.sent(), flushed.pending().size(), readBackCount);
  }

  /** Whether the user asked to stop (Ctrl-C). */
  boolean stopped() {
    return false;
  }

  final int report(String headline, Summary summary) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(summary.toJson());
    } else {
      out.println(headline);
      out.println(summary.toText());
    }
    out.flush();
    return summary.passed() ? 0 : 1;
  }
}
