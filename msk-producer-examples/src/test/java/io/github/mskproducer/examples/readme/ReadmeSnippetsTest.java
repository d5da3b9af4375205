package io.github.mskproducer.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's code is the code of compiled, executed tests: each block after a {@code <!--
 * snippet: PATH -->} line must equal the part of PATH between its {@code README:start} and
 * {@code README:end} lines. Change the file, then copy it into the README (or the other way),
 * or this fails.
 */
class ReadmeSnippetsTest {
  private static final Pattern MARKER = Pattern.compile("<!-- snippet: (\\S+) -->");
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyReadmeSnippet_isTheCodeOfItsFile() throws IOException {
    Map<String, String> snippets = snippets(Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8));
    assertThat(snippets).as("snippets marked in README.md").isNotEmpty();
    for (Map.Entry<String, String> s : snippets.entrySet()) {
      Path file = ROOT.resolve(s.getKey());
      assertThat(file).as("the file of README snippet %s", s.getKey()).exists();
      assertThat(s.getValue())
          .as(
              "README.md's snippet of %s drifted from the file: copy the file's lines between"
                  + " README:start and README:end into the README",
              s.getKey())
          .isEqualTo(region(file));
    }
  }

  @Test
  void everyFileOfTheReadmeExamples_isShownInTheReadme() throws IOException {
    Map<String, String> snippets = snippets(Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8));
    List<String> files = new ArrayList<>();
    try (var walk = Files.walk(Path.of("src/test/java/io/github/mskproducer/examples/readme"))) {
      walk.filter(p -> p.toString().endsWith(".java") && !p.endsWith("ReadmeSnippetsTest.java")
              && !p.endsWith("FreshProjectIT.java"))
          .forEach(p -> files.add(ROOT.relativize(p.toAbsolutePath()).toString()));
    }
    files.add("msk-producer-examples/src/test/readme-project/pom.xml");
    files.add("msk-producer-examples/src/test/readme-project/src/test/resources/logback-test.xml");
    assertThat(snippets.keySet()).containsAll(files);
  }

  /** PATH to the text of its README block. */
  static Map<String, String> snippets(String readme) {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> lines = readme.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = MARKER.matcher(lines.get(i).trim());
      if (!m.matches()) {
        continue;
      }
      int open = i + 1;
      assertThat(lines.get(open)).as("a code fence after %s", lines.get(i)).startsWith("```");
      int close = open + 1;
      while (close < lines.size() && !lines.get(close).startsWith("```")) {
        close++;
      }
      out.put(m.group(1), normalize(lines.subList(open + 1, close)));
    }
    return out;
  }

  /** The lines of a file between its README:start and README:end lines. */
  static String region(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    int start = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("README:start")) {
        start = i;
      } else if (lines.get(i).contains("README:end")) {
        end = i;
      }
    }
    assertThat(start).as("README:start in %s", file).isNotNegative();
    assertThat(end).as("README:end in %s", file).isGreaterThan(start);
    List<String> region = new ArrayList<>(lines.subList(start + 1, end));
    // The region's common indentation goes (XML inside <project>), as in the README.
    int indent = Integer.MAX_VALUE;
    for (String l : region) {
      if (!l.isBlank()) {
        indent = Math.min(indent, l.length() - l.stripLeading().length());
      }
    }
    List<String> out = new ArrayList<>();
    for (String l : region) {
      out.add(l.isBlank() ? "" : l.substring(indent == Integer.MAX_VALUE ? 0 : indent));
    }
    return normalize(out);
  }

  private static String normalize(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      out.add(l.stripTrailing());
    }
    while (!out.isEmpty() && out.get(0).isEmpty()) {
      out.remove(0);
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return String.join("\n", out);
  }
}
