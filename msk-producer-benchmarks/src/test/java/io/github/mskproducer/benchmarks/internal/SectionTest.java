package io.github.mskproducer.benchmarks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SectionTest {
  @Test
  void markdown_hasTheHeadingTextAndARightAlignedTable() {
    Section s = new Section("x", "9. Example").text("Some words.").table(null, "", "a", "b").row("hand-wired", 1, 2).row("msk-producer", 3, 4);
    assertThat(s.markdown())
        .isEqualTo(
            "## 9. Example\n\nSome words.\n\n| | a | b |\n|---|---:|---:|\n| hand-wired | 1 | 2 |\n| msk-producer | 3 | 4 |\n\n".replace("| | a", "|  | a"));
    assertThat(s.json).containsEntry("id", "x").containsEntry("title", "9. Example");
  }
}
