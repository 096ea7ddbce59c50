package io.github.logits4j.bench.report;

import io.github.logits4j.bench.report.Comparisons.Comparison;
import io.github.logits4j.bench.report.LineChart.Point;
import io.github.logits4j.bench.report.LineChart.Series;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes the benchmark report of a run from the files the run left in its folder: {@code jmh.json} (JMH's
 * results), {@code environment.json} (the machine and JVM, when recorded), every {@code torch*.json}
 * ({@code torch_bench.py}'s results from the same session) and the fragments of the sections folder. It
 * writes {@code report.md} and one SVG chart per op under {@code charts/}, and removes charts no op has any
 * more. The same files always give the same report.
 */
public final class Report {
  private Report() {}

  public static final String JMH = "jmh.json";
  public static final String MARKDOWN = "report.md";
  public static final String CHARTS = "charts";

  /** Colour-blind-safe colours (Okabe and Ito), then more; logits4j takes the first. */
  static final List<String> PALETTE = List.of("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
      "#000000", "#999999", "#8C564B", "#BCBD22", "#17BECF", "#7F7F7F");

  /** The report of the run in {@code dir}, written there; returns the Markdown. */
  public static String generate(Path dir, Path sections) throws IOException {
    JmhResults.Run jmh = JmhResults.read(dir.resolve(JMH));
    Path envFile = dir.resolve(Environment.FILE);
    Environment env = Files.exists(envFile) ? Environment.read(envFile) : null;
    List<Path> torchFiles;
    try (Stream<Path> s = Files.list(dir)) {
      torchFiles = s.filter(p -> p.getFileName().toString().matches("torch.*\\.json")).sorted().toList();
    }
    List<TorchResults.Run> torch = new ArrayList<>();
    for (Path f : torchFiles) {
      torch.add(TorchResults.read(f));
    }
    Comparisons.Grouping grouping = Comparisons.group(jmh.measurements(), torch);

    Map<String, String> charts = chartFiles(grouping.comparisons());
    Map<String, String> colours = colours(grouping.comparisons());
    Path chartDir = dir.resolve(CHARTS);
    Files.createDirectories(chartDir);
    Set<String> written = new HashSet<>();
    for (Comparison c : grouping.comparisons()) {
      String file = charts.get(c.title());
      if (file != null) {
        Files.writeString(chartDir.resolve(file), chart(c, colours));
        written.add(file);
      }
    }
    try (Stream<Path> s = Files.list(chartDir)) {
      for (Path old : s.filter(p -> p.toString().endsWith(".svg")).toList()) {
        if (!written.contains(old.getFileName().toString())) {
          Files.delete(old);
        }
      }
    }
    String md = markdown(jmh, env, torch, torchFiles.stream().map(p -> p.getFileName().toString()).toList(),
        grouping, charts, Sections.read(sections, dir));
    Files.writeString(dir.resolve(MARKDOWN), md);
    return md;
  }

  /** Chart file names by comparison title, for the comparisons worth a chart: {@code softmax-f32.svg}. */
  static Map<String, String> chartFiles(List<Comparison> comparisons) {
    Map<String, String> out = new LinkedHashMap<>();
    Set<String> taken = new HashSet<>();
    for (Comparison c : comparisons) {
      if (!c.chartable()) {
        continue;
      }
      String base = kebab(c.op) + "-" + switch (c.dtype) {
        case "float32" -> "f32";
        case "float64" -> "f64";
        default -> kebab(c.dtype);
      };
      String name = base + ".svg";
      for (int i = 2; !taken.add(name); i++) {
        name = base + "-" + i + ".svg";
      }
      out.put(c.title(), name);
    }
    return out;
  }

  /** {@code crossEntropyFwdBwd} as {@code cross-entropy-fwd-bwd}. */
  static String kebab(String name) {
    String s = name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    s = s.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    return s.isEmpty() ? "chart" : s;
  }

  /** One colour per label across the whole report, so that a series looks the same in every chart. */
  static Map<String, String> colours(List<Comparison> comparisons) {
    TreeSet<String> labels = new TreeSet<>(java.util.Comparator.comparingInt(Comparisons::rank)
        .thenComparing(java.util.Comparator.naturalOrder()));
    comparisons.forEach(c -> labels.addAll(c.series.keySet()));
    Map<String, String> out = new LinkedHashMap<>();
    int i = 0;
    for (String label : labels) {
      out.put(label, PALETTE.get(i++ % PALETTE.size()));
    }
    return out;
  }

  static String chart(Comparison c, Map<String, String> colours) {
    List<Series> series = new ArrayList<>();
    for (String label : c.labels()) {
      List<Point> points = new ArrayList<>();
      c.series.get(label).forEach((shape, ns) -> points.add(new Point(Comparisons.columns(shape), ns, shape)));
      series.add(new Series(label, colours.get(label), label.equals(Comparisons.LOGITS4J), points));
    }
    return new LineChart(c.title(), "ns per element (median), log scales: lower is faster",
        "columns per row (log scale); ticks name the shape, rows x columns", "ns per element (log scale)",
        "ns per element", series).svg();
  }

  static String markdown(JmhResults.Run jmh, Environment env, List<TorchResults.Run> torch, List<String> torchFiles,
      Comparisons.Grouping grouping, Map<String, String> charts, List<Sections.Fragment> fragments) {
    StringBuilder b = new StringBuilder("# logits4j benchmark report\n\n");
    b.append(provenance(env, torchFiles)).append("\n\n");
    environment(b, jmh, env, torch);
    b.append("\n## How to read it\n\n");
    b.append("Each figure is nanoseconds per element: the median of the measured iterations of a benchmark (its "
        + "time per call) divided by the rows x columns of its shape. In brackets, that time over logits4j's at the "
        + "same shape: above 1x, logits4j is faster. One table per op and dtype, with every implementation and peer "
        + "measured in this run, and a chart of the same figures against the number of columns, on log scales. "
        + "Benchmarks that name no dtype are float32.\n");
    Targets.markdown(b, Targets.evaluate(grouping.comparisons()));

    String dtype = null;
    for (Comparison c : grouping.comparisons()) {
      if (!c.dtype.equals(dtype)) {
        dtype = c.dtype;
        b.append("\n## ").append(dtype).append('\n');
      }
      b.append("\n### ").append(c.op).append("\n\n");
      String chart = charts.get(c.title());
      if (chart != null) {
        b.append("![").append(c.title()).append(": ns per element against the number of columns](").append(CHARTS)
            .append('/').append(chart).append(")\n\n");
      }
      table(b, c);
      b.append("\nMeasured by ").append(c.labels().stream().map(l -> l + ": `" + c.sources.get(l) + "`")
          .collect(Collectors.joining("; "))).append(".\n");
    }

    if (!grouping.others().isEmpty()) {
      b.append("\n## Other measurements\n\n");
      b.append("Benchmarks with nothing to compare with in this run (one implementation at one shape, such as the "
          + "passes of a kernel timed one by one), or with no shape or time per call to give ns per element.\n");
      grouping.others().forEach((cls, ms) -> {
        b.append("\n### ").append(cls).append("\n\n| benchmark | parameters | ns per element | median per call |\n")
            .append("|---|---|---:|---:|\n");
        for (Measurement m : ms) {
          b.append("| ").append(m.method()).append(" | ").append(params(m)).append(" | ")
              .append(m.nsPerElement().isPresent() ? Format.time(m.nsPerElement().getAsDouble()) : "")
              .append(" | ").append(Format.time(m.median())).append(' ').append(m.unit()).append(" |\n");
        }
      });
    }
    if (!grouping.peerOnly().isEmpty()) {
      b.append("\n## Measured by a peer only\n\n").append("No benchmark of this run measures ")
          .append(String.join("; ", grouping.peerOnly()))
          .append(", which the peers' results also hold: see their JSON files.\n");
    }
    if (!fragments.isEmpty()) {
      b.append("\n## More comparisons\n\n").append("From other harnesses (the `sections` folder), in file name order.\n");
      for (Sections.Fragment f : fragments) {
        b.append("\n<!-- sections/").append(f.name().replace("--", "-")).append(" -->\n").append(f.text().strip())
            .append('\n');
      }
    }
    return b.toString();
  }

  private static String provenance(Environment env, List<String> torchFiles) {
    String peers = torchFiles.isEmpty() ? "" : ", PyTorch's in " + torchFiles.stream().map(f -> "`" + f + "`")
        .collect(Collectors.joining(" and "));
    if (env == null) {
      return "From the JMH results in `" + JMH + "`" + peers + "; the run recorded no environment.";
    }
    String mode = "quick".equals(env.mode()) ? "quick run (`bench/run --quick`, a smoke run: few shapes and short "
        + "iterations; its figures are rough)" : (env.mode() == null ? "run" : env.mode() + " run");
    return "From the " + mode + " of " + or(env.date()) + (env.commit() == null ? "" : " at commit `" + env.commit()
        + "`") + ": JMH's results in `" + JMH + "`" + peers + ", the environment in `" + Environment.FILE + "`.";
  }

  private static void environment(StringBuilder b, JmhResults.Run jmh, Environment env, List<TorchResults.Run> torch) {
    b.append("## Environment\n\n");
    if (env != null && env.note() != null) {
      b.append("- **run:** ").append(env.note()).append('\n');
    }
    if (env != null && !env.arguments().isEmpty()) {
      b.append("- **JMH options given:** `").append(String.join(" ", env.arguments())).append("`\n");
    }
    b.append("- **date:** ").append(env == null ? "not recorded" : or(env.date())).append('\n');
    if (env == null) {
      b.append("- **CPU:** not recorded\n");
    } else {
      b.append("- **CPU:** ").append(or(env.cpuModel()));
      if (env.osArch() != null) {
        b.append(" (").append(env.osArch()).append(')');
      }
      if (env.logicalCpus() != null) {
        b.append(", ").append(env.logicalCpus()).append(env.logicalCpus() == 1 ? " core" : " cores")
            .append(" available to the JVM");
      }
      if (!env.cpuFlags().isEmpty()) {
        b.append("; vector instructions: ").append(String.join(", ", env.cpuFlags()));
      }
      b.append('\n');
    }
    b.append("- **JDK:** ");
    if (env != null && env.javaVersion() != null) {
      b.append(env.javaVersion()).append(", ").append(or(env.javaVendor())).append(", ").append(or(env.javaVmName()));
    } else {
      b.append(or(jmh.jdkVersion())).append(", ").append(or(jmh.vmName())).append(' ').append(or(jmh.vmVersion()));
    }
    b.append('\n');
    b.append("- **vector width:** ").append(env == null ? "not recorded" : "`" + or(env.implementation()) + "`")
        .append(" (what `Logits.implementation()` said: the kernels and vector width logits4j picked)\n");
    Set<String> settings = new LinkedHashSet<>();
    jmh.measurements().forEach(m -> settings.add(m.settings()));
    b.append("- **JMH:** ").append(or(jmh.jmhVersion())).append("; ").append(String.join("; ", settings))
        .append("; JVM options ").append(jmh.jvmArgs().isEmpty() ? "none" : "`" + String.join(" ", jmh.jvmArgs())
        + "`").append('\n');
    if (env != null && env.onnxRuntime() != null
        && jmh.measurements().stream().anyMatch(m -> m.className().startsWith("Onnx"))) {
      b.append("- **ONNX Runtime:** ").append(env.onnxRuntime()).append(", one intra-op thread\n");
    }
    for (TorchResults.Run t : torch) {
      Set<String> dtypes = new TreeSet<>(), threads = new TreeSet<>();
      t.results().forEach(r -> {
        dtypes.add(r.dtype());
        threads.add(String.valueOf(r.threads()));
      });
      b.append("- **PyTorch:** ").append(t.version()).append(" (").append(String.join(", ", dtypes))
          .append("; threads: ").append(String.join(", ", threads))
          .append("), measured by `torch_bench.py` right before JMH, in the same session\n");
    }
  }

  private static void table(StringBuilder b, Comparison c) {
    List<String> labels = c.labels();
    Map<String, Double> ours = c.series.get(Comparisons.LOGITS4J);
    b.append("| shape |");
    labels.forEach(l -> b.append(' ').append(l.replace("|", "\\|")).append(" |"));
    b.append("\n|---|");
    labels.forEach(l -> b.append("---:|"));
    b.append('\n');
    for (String shape : c.shapes()) {
      b.append("| ").append(shape).append(" |");
      for (String label : labels) {
        Double v = c.series.get(label).get(shape);
        b.append(' ');
        if (v != null) {
          b.append(Format.time(v));
          Double base = ours == null ? null : ours.get(shape);
          if (base != null && !label.equals(Comparisons.LOGITS4J)) {
            b.append(" (").append(Format.ratio(v / base)).append(')');
          }
        }
        b.append(" |");
      }
      b.append('\n');
    }
  }

  private static String params(Measurement m) {
    return m.params().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
  }

  private static String or(String s) {
    return s == null ? "unknown" : s;
  }
}
