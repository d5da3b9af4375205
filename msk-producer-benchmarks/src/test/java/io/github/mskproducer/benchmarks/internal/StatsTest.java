package io.github.mskproducer.benchmarks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void median_ofOddAndEvenCounts() {
    assertThat(Stats.of(List.of(5, 1, 3)).median()).isEqualTo(3.0);
    assertThat(Stats.of(List.of(4, 1, 3, 2)).median()).isEqualTo(2.5);
  }

  @Test
  void percentiles_areNearestRank() {
    Stats s = Stats.of(List.of(10, 20, 30, 40, 50, 60, 70, 80, 90, 100));
    assertThat(s.percentile(50)).isEqualTo(50.0);
    assertThat(s.percentile(90)).isEqualTo(90.0);
    assertThat(s.percentile(99)).isEqualTo(100.0);
    assertThat(s.min()).isEqualTo(10.0);
    assertThat(s.max()).isEqualTo(100.0);
  }

  @Test
  void medianRange_andTheJsonFigures() {
    Stats s = Stats.of(List.of(1200.0, 1000.0, 1100.0));
    assertThat(s.medianRange(0)).isEqualTo("1,100 (1,000 to 1,200)");
    assertThat(s.toMap()).containsEntry("median", 1100.0).containsEntry("n", 3);
  }

  @Test
  void noMeasurements_isAnError() {
    assertThatThrownBy(() -> Stats.of(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
