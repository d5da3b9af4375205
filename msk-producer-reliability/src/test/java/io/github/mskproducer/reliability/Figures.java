package io.github.mskproducer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Each scenario's row of the figures table: written to {@code
 * target/reliability/figures/<n>.md} (copied into docs/reliability.md from a real run), and the
 * page must have a row for the scenario.
 */
final class Figures {
  private Figures() {}

  static final String HEADER =
      "| scenario | sent | acknowledged | lost | duplicated | failures reported | duration | notes |";

  static String row(String number, String name, Outcome o, Duration took, String notes) {
    return String.format(
        Locale.ROOT,
        "| %s. %s | %,d | %,d | %d | %d | %,d | %.1f s | %s |",
        number,
        name,
        o.sent(),
        o.acknowledged(),
        o.lost(),
        o.duplicated(),
        o.failed(),
        took.toMillis() / 1000.0,
        notes);
  }

  private static Path dir() {
    return Path.of(System.getProperty("reliability.out", "target/reliability"), "figures");
  }

  /** Writes the row (and prints it), whatever the scenario's checks then say. */
  static void write(String number, String name, Outcome o, Duration took, String notes) {
    write(number, name, o, took, notes, null);
  }

  /** Like the above; with failures, the row names their causes and the first one's message. */
  static void write(String number, String name, Outcome o, Duration took, String notes, Ledger ledger) {
    if (ledger != null && !ledger.failed().isEmpty()) {
      java.util.Map<String, Long> causes =
          ledger.failed().values().stream()
              .collect(java.util.stream.Collectors.groupingBy(Ledger::rootCause, java.util.TreeMap::new, java.util.stream.Collectors.counting()));
      notes += "; failure causes " + causes;
      for (Throwable t : ledger.failed().values()) { // what callers were told holds no secret
        StringBuilder chain = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
          chain.append(c).append('\n');
        }
        SecretScan.check("a failure reported in scenario " + number, chain.toString());
      }
      System.out.println("first failure: " + ledger.failed().values().iterator().next());
    }
    String row = row(number, name, o, took, notes);
    System.out.println(HEADER + "\n" + row);
    try {
      Files.createDirectories(dir());
      Files.writeString(dir().resolve(number + ".md"), row + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Checks that docs/reliability.md has a figures row for the scenario. */
  static void assertDocumented(String number, String name) {
    try {
      String doc = Files.readString(Path.of(System.getProperty("reliability.doc", "../docs/reliability.md")));
      assertThat(doc)
          .as("docs/reliability.md lists scenario %s's figures (copy %s)", number, dir().resolve(number + ".md"))
          .contains("| " + number + ". " + name + " |");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String ms(double millis) {
    return String.format(Locale.ROOT, millis < 10 ? "%.1f ms" : "%.0f ms", millis);
  }
}
