package io.github.mskproducer.benchmarks.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One benchmark's results: a table for people, figures for scripts. */
public final class Section {
  final String id;
  final String title;
  final StringBuilder text = new StringBuilder();
  final List<List<List<String>>> tables = new ArrayList<>();
  final List<String> tableTitles = new ArrayList<>();
  final Map<String, Object> json = new LinkedHashMap<>();
  private List<List<String>> table;

  /**
   * A section.
   *
   * @param id its key in the JSON file
   * @param title its heading
   */
  public Section(String id, String title) {
    this.id = id;
    this.title = title;
    json.put("id", id);
    json.put("title", title);
  }

  /**
   * Says which of the hand-run knobs (system properties starting with {@code prefix}) this run
   * had, if any: such a run has part of the section only, and its page must say so.
   *
   * @param prefix e.g. {@code bench.scaling.}
   * @return this
   */
  public Section knobs(String prefix) {
    List<String> set = new ArrayList<>();
    for (String name : new java.util.TreeSet<>(System.getProperties().stringPropertyNames())) {
      if (name.startsWith(prefix)) {
        set.add("`-D" + name + "=" + System.getProperty(name) + "`");
      }
    }
    return set.isEmpty()
        ? this
        : text(
            "**A partial run**, with "
                + String.join(" ", set)
                + ": only the cases and rounds these name; the suite's own run has them all.");
  }

  /**
   * Adds a paragraph of Markdown before the tables.
   *
   * @param paragraph the text
   * @return this
   */
  public Section text(String paragraph) {
    text.append(paragraph.strip()).append("\n\n");
    return this;
  }

  /**
   * Starts a table.
   *
   * @param caption a caption, or null
   * @param headers its headers
   * @return this
   */
  public Section table(String caption, String... headers) {
    table = new ArrayList<>();
    table.add(List.of(headers));
    tables.add(table);
    tableTitles.add(caption);
    return this;
  }

  /**
   * Adds a row to the current table.
   *
   * @param cells its cells
   * @return this
   */
  public Section row(Object... cells) {
    List<String> r = new ArrayList<>();
    for (Object c : cells) {
      r.add(String.valueOf(c));
    }
    table.add(r);
    return this;
  }

  /**
   * Adds a figure to the JSON object.
   *
   * @param key its name
   * @param value a number, string, list or map
   * @return this
   */
  public Section put(String key, Object value) {
    json.put(key, value);
    return this;
  }

  /**
   * The "modes" figure, for benchmarks that build on another's results.
   *
   * @return the modes map, or null
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> modes() {
    return (Map<String, Object>) json.get("modes");
  }

  String markdown() {
    StringBuilder md = new StringBuilder("## ").append(title).append("\n\n").append(text);
    for (int t = 0; t < tables.size(); t++) {
      if (tableTitles.get(t) != null) {
        md.append(tableTitles.get(t)).append("\n\n");
      }
      List<List<String>> rows = tables.get(t);
      md.append("| ").append(String.join(" | ", rows.get(0))).append(" |\n|");
      for (int i = 0; i < rows.get(0).size(); i++) {
        md.append(i == 0 ? "---|" : "---:|");
      }
      md.append('\n');
      for (List<String> r : rows.subList(1, rows.size())) {
        md.append("| ").append(String.join(" | ", r)).append(" |\n");
      }
      md.append('\n');
    }
    return md.toString();
  }
}
