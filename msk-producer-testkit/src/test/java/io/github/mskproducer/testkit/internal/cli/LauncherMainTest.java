package io.github.mskproducer.testkit.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Bad options: a message naming them and a non-zero exit; no broker starts. */
class LauncherMainTest {
  private int run(StringWriter err, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CommandLine cli =
        new CommandLine(new LauncherMain(new PrintStream(out, true, StandardCharsets.UTF_8)))
            .setCaseInsensitiveEnumValuesAllowed(true);
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    return cli.execute(args);
  }

  @Test
  void unknownOption_isNamed_andExitsNonZero() {
    StringWriter err = new StringWriter();

    assertThat(run(err, "--prot", "9098")).isNotZero();
    assertThat(err.toString()).contains("--prot");
  }

  @Test
  void nonNumericPort_isNamed() {
    StringWriter err = new StringWriter();

    assertThat(run(err, "--port", "abc")).isNotZero();
    assertThat(err.toString()).contains("--port").contains("abc");
  }

  @Test
  void portOutOfRange_isNamed() {
    StringWriter err = new StringWriter();

    assertThat(run(err, "--port", "70000")).isNotZero();
    assertThat(err.toString()).contains("port must be 0");
  }

  @Test
  void badTopicPartitions_areNamed() {
    StringWriter err = new StringWriter();

    assertThat(run(err, "--topic", "orders:x")).isNotZero();
    assertThat(err.toString()).contains("--topic orders:x");
  }

  @Test
  void badRegion_isNamed() {
    StringWriter err = new StringWriter();

    assertThat(run(err, "--region", "mars")).isNotZero();
    assertThat(err.toString()).contains("region 'mars'");
  }

  @Test
  void help_listsTheOptions_andExitsZero() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new LauncherMain(System.out));
    cli.setOut(new PrintWriter(out, true));

    assertThat(cli.execute("--help")).isZero();
    assertThat(out.toString())
        .contains("--port", "--region", "--data-dir", "--topic", "--properties-out");
  }
}
