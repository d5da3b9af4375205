package io.github.mskproducer.benchmarks.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Benchmark 7: deployment package sizes (the example Lambda, the SDK's minimum, the hand-wired
 * equivalent) and, from the cold-start runs, the heap after warm-up.
 */
public final class FootprintBenchmark {
  private FootprintBenchmark() {}

  /**
   * Runs it.
   *
   * @param b the bench
   * @param coldStart the cold-start section's JSON modes, or null if it did not run
   * @return the section
   * @throws IOException if a jar cannot be read
   */
  @SuppressWarnings("unchecked")
  public static Section run(Bench b, Map<String, Object> coldStart) throws IOException {
    Map<String, Path> jars = new LinkedHashMap<>();
    jars.put("example Lambda (`msk-producer-lambda-example.jar`: OrdersSqsHandler and the rest of the examples' handlers)", b.exampleJar());
    jars.put("msk-producer minimum (`sdk-lambda.jar`: core, lambda and what they bring)", b.jars().resolve("sdk-lambda.jar"));
    jars.put("hand-wired equivalent (`handwired-lambda.jar`: kafka-clients, aws-msk-iam-auth, the same handler by hand)", b.jars().resolve("handwired-lambda.jar"));
    Section s =
        new Section("footprint", "7. Footprint")
            .text(
                "Deployment packages as Lambda would receive them (shaded jars; Lambda's limit is"
                    + " 250 MB unzipped). The hand-wired equivalent holds the same handler written"
                    + " against `KafkaProducer` and aws-msk-iam-auth, with the same Lambda event"
                    + " types and Jackson; the SDK minimum is what a function using"
                    + " msk-producer-lambda needs.")
            .table(null, "package", "size, MB", "unzipped, MB", "classes", "largest parts (compressed MB)");
    Map<String, Object> json = new LinkedHashMap<>();
    double handMb = 0;
    double exampleMb = 0;
    int i = 0;
    for (Map.Entry<String, Path> e : jars.entrySet()) {
      Path jar = e.getValue();
      if (!Files.exists(jar)) {
        throw new IOException(jar + " does not exist: build with ./mvnw -B -q package -DskipTests first");
      }
      long size = Files.size(jar);
      long unzipped = 0;
      int classes = 0;
      Map<String, Long> parts = new TreeMap<>();
      try (ZipFile z = new ZipFile(jar.toFile())) {
        for (Enumeration<? extends ZipEntry> en = z.entries(); en.hasMoreElements(); ) {
          ZipEntry ze = en.nextElement();
          unzipped += Math.max(0, ze.getSize());
          if (ze.getName().endsWith(".class")) {
            classes++;
          }
          parts.merge(part(ze.getName()), Math.max(0, ze.getCompressedSize()), Long::sum);
        }
      }
      List<Map.Entry<String, Long>> largest = new ArrayList<>(parts.entrySet());
      largest.sort((x, y) -> Long.compare(y.getValue(), x.getValue()));
      StringBuilder top = new StringBuilder();
      for (Map.Entry<String, Long> p : largest.subList(0, Math.min(4, largest.size()))) {
        top.append(top.length() == 0 ? "" : ", ").append(p.getKey()).append(' ').append(Stats.fmt(p.getValue() / 1e6, 1));
      }
      double mb = size / 1e6;
      s.row(e.getKey(), Stats.fmt(mb, 1), Stats.fmt(unzipped / 1e6, 1), Stats.fmt(classes, 0), top);
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("file", jar.getFileName().toString());
      o.put("bytes", size);
      o.put("unzippedBytes", unzipped);
      o.put("classes", classes);
      json.put(i == 0 ? "example" : i == 1 ? "sdkMinimum" : "handWired", o);
      if (i == 0) {
        exampleMb = mb;
      } else if (i == 2) {
        handMb = mb;
      }
      i++;
    }
    s.put("packages", json).put("exampleToHandWiredSizeRatio", Stats.round(exampleMb / handMb));
    s.text("Size ratio, example package / hand-wired equivalent: **" + Stats.fmt(exampleMb / handMb, 2) + "**.");
    if (coldStart != null) {
      s.table("Heap in use after warm-up (from the cold-start runs of table 4: first record, then more records of 1 KiB, then two full GCs):",
          "", "heap after warm-up, MB median (min to max)", "peak RSS warm, MB median");
      Map<String, Object> heap = new LinkedHashMap<>();
      for (Map.Entry<String, Object> m : coldStart.entrySet()) {
        Map<String, Object> figures = (Map<String, Object>) m.getValue();
        Map<String, Object> h = (Map<String, Object>) figures.get("heapAfterGcKb");
        Map<String, Object> r = (Map<String, Object>) figures.get("peakRssWarmKb");
        s.row(
            ColdStartBenchmark.label(m.getKey()),
            Stats.fmt(((Number) h.get("median")).doubleValue() / 1024, 1)
                + " (" + Stats.fmt(((Number) h.get("min")).doubleValue() / 1024, 1)
                + " to " + Stats.fmt(((Number) h.get("max")).doubleValue() / 1024, 1) + ")",
            Stats.fmt(((Number) r.get("median")).doubleValue() / 1024, 0));
        heap.put(m.getKey(), Stats.round(((Number) h.get("median")).doubleValue() / 1024));
      }
      s.put("heapAfterWarmupMbMedian", heap);
    }
    return s;
  }

  /** The part of the package an entry belongs to: its top three directory levels. */
  private static String part(String name) {
    String[] p = name.split("/");
    if (p.length <= 1) {
      return "(root)";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(3, p.length - 1); i++) {
      sb.append(i == 0 ? "" : ".").append(p[i]);
    }
    return "`" + sb + "`";
  }
}
