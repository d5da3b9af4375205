package io.github.mskproducer.benchmarks.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Median, spread and percentiles of a few measurements; never a single time. */
public final class Stats {
  private final List<Double> sorted;

  private Stats(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no measurements");
    }
    sorted = new ArrayList<>(values);
    Collections.sort(sorted);
  }

  /**
   * Stats of these values.
   *
   * @param values at least one
   * @return the stats
   */
  public static Stats of(List<? extends Number> values) {
    List<Double> d = new ArrayList<>(values.size());
    for (Number n : values) {
      d.add(n.doubleValue());
    }
    return new Stats(d);
  }

  /** @return how many values */
  public int count() {
    return sorted.size();
  }

  /** @return the median (mean of the two middle values for an even count) */
  public double median() {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** @return the smallest value */
  public double min() {
    return sorted.get(0);
  }

  /** @return the largest value */
  public double max() {
    return sorted.get(sorted.size() - 1);
  }

  /**
   * The nearest-rank percentile.
   *
   * @param p in (0, 100]
   * @return the value
   */
  public double percentile(double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  /** @return median, min, max and count, for the JSON report */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("median", round(median()));
    m.put("min", round(min()));
    m.put("max", round(max()));
    m.put("n", count());
    return m;
  }

  /**
   * "median (min to max)" with this many decimals.
   *
   * @param decimals decimals
   * @return the text
   */
  public String medianRange(int decimals) {
    return fmt(median(), decimals) + " (" + fmt(min(), decimals) + " to " + fmt(max(), decimals) + ")";
  }

  /**
   * A number with thousands separators.
   *
   * @param v the value
   * @param decimals decimals
   * @return the text
   */
  public static String fmt(double v, int decimals) {
    return String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  /**
   * Rounded to 3 decimals for JSON.
   *
   * @param v the value
   * @return the rounded value
   */
  public static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
