package io.github.logits4j.bench;

import io.github.logits4j.Logits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JMH benchmarks (JMH command-line options pass through) and writes the report: the raw JMH JSON
 * and a Markdown table of nanoseconds per element, each the median of the measured iterations, with the
 * ratios the issues ask for: against the scalar reference, against ONNX Runtime, and against PyTorch when
 * its results from the same session are given.
 *
 * <p>Usage: {@code BenchMain --report DIR [--torch FILE] [JMH options]}.
 */
public final class BenchMain {
  private BenchMain() {}

  /** One measured figure: benchmark method, shape, median ns per element. */
  record Row(String group, String method, String shape, double nsPerElement) {}

  public static void main(String[] args) throws RunnerException, IOException, CommandLineOptionException {
    Path report = Path.of("report");
    Path torch = null;
    List<String> jmhArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--report" -> report = Path.of(args[++i]);
        case "--torch" -> torch = Path.of(args[++i]);
        default -> jmhArgs.add(args[i]);
      }
    }
    Files.createDirectories(report);
    CommandLineOptions cli = new CommandLineOptions(jmhArgs.toArray(String[]::new));
    Collection<RunResult> results = new Runner(new OptionsBuilder().parent(cli).build()).run();
    ResultFormatFactory.getInstance(ResultFormatType.JSON, report.resolve("jmh.json").toString()).writeOut(results);

    List<Row> rows = new ArrayList<>();
    for (RunResult r : results) {
      String full = r.getParams().getBenchmark();
      String group = full.substring(full.lastIndexOf('.', full.lastIndexOf('.') - 1) + 1, full.lastIndexOf('.'));
      String method = full.substring(full.lastIndexOf('.') + 1);
      String shape = r.getParams().getParam("shape");
      rows.add(new Row(group, method, shape, median(r.getAggregatedResult()) / elements(shape)));
    }
    Map<String, Double> torchNs = torch != null && Files.exists(torch) ? readTorch(torch) : Map.of();
    String md = markdown(rows, torchNs, torch != null && Files.exists(torch) ? Files.readString(torch) : null);
    Files.writeString(report.resolve("report.md"), md);
    System.out.println(md);
  }

  static double elements(String shape) {
    return (double) Shapes.rows(shape) * Shapes.cols(shape);
  }

  /** The median of the iteration scores (ns per operation). */
  static double median(BenchmarkResult result) {
    List<Double> scores = new ArrayList<>();
    for (IterationResult it : result.getIterationResults()) {
      scores.add(it.getPrimaryResult().getScore());
    }
    scores.sort(null);
    int n = scores.size();
    return n % 2 == 1 ? scores.get(n / 2) : (scores.get(n / 2 - 1) + scores.get(n / 2)) / 2;
  }

  /** PyTorch's median ns/element keyed by "op/rows x cols", from torch_bench.py --json. */
  static Map<String, Double> readTorch(Path file) throws IOException {
    Map<String, Double> out = new TreeMap<>();
    Matcher objects = Pattern.compile("\\{[^{}]*\\}").matcher(Files.readString(file));
    while (objects.find()) {
      String o = objects.group();
      String op = field(o, "op"), rows = field(o, "rows"), cols = field(o, "cols"), dtype = field(o, "dtype");
      String median = field(o, "median_ns_per_el");
      if (op != null && median != null && "float32".equals(dtype)) {
        out.put(op + "/" + rows + "x" + cols, Double.parseDouble(median));
      }
    }
    return out;
  }

  private static String field(String object, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^,\"}]+)\"?").matcher(object);
    return m.find() ? m.group(1).trim() : null;
  }

  private static final Map<String, String> TORCH_OPS = Map.of(
      "softmax", "softmax", "logSoftmax", "log_softmax", "logSumExp", "logsumexp", "argmax", "argmax");

  static String markdown(List<Row> rows, Map<String, Double> torch, String torchRaw) {
    Map<String, Double> ns = new LinkedHashMap<>();
    for (Row r : rows) {
      ns.put(r.group() + "." + r.method() + "/" + r.shape(), r.nsPerElement());
    }
    StringBuilder b = new StringBuilder();
    b.append("# logits4j benchmark report\n\n");
    b.append("- date: ").append(LocalDate.now()).append('\n');
    b.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.version")).append(", kernels: ").append(Logits.implementation())
        .append('\n');
    b.append("- CPU: ").append(cpu()).append(", one thread\n");
    b.append("- figures: ns per element (rows x cols), median of the JMH measurement iterations; ratios are ")
        .append("the peer's time divided by logits4j's (above 1: logits4j is faster)\n");
    if (torchRaw != null) {
      Matcher v = Pattern.compile("\"torch\"\\s*:\\s*\"([^\"]+)\"").matcher(torchRaw);
      b.append("- PyTorch ").append(v.find() ? v.group(1) : "?").append(" measured in the same session by ")
          .append("torch_bench.py (median ns per element)\n");
    }
    for (String dtype : List.of("Float", "Double")) {
      String group = dtype + "ActivationsBenchmark";
      if (rows.stream().noneMatch(r -> r.group().equals(group))) {
        continue;
      }
      boolean f32 = dtype.equals("Float");
      b.append("\n## ").append(f32 ? "float32" : "float64").append("\n\n");
      b.append("| op | shape | logits4j | scalar reference | vs scalar |");
      if (f32) {
        b.append(" ONNX Runtime (buffers) | vs ONNX | ONNX Runtime (float[] copies) | vs ONNX+copy | PyTorch | vs PyTorch |");
      }
      b.append("\n|---|---|---:|---:|---:|");
      if (f32) {
        b.append("---:|---:|---:|---:|---:|---:|");
      }
      b.append('\n');
      for (String op : List.of("softmax", "logSoftmax", "logSumExp", "argmax")) {
        for (String shape : shapes(rows)) {
          Double ours = ns.get(group + "." + op + "/" + shape);
          if (ours == null) {
            continue;
          }
          Double scalar = ns.get(group + "." + op + "Scalar/" + shape);
          b.append("| ").append(op).append(" | ").append(shape).append(" | ").append(fmt(ours)).append(" | ")
              .append(fmt(scalar)).append(" | ").append(ratio(scalar, ours)).append(" |");
          if (f32) {
            Double onnx = ns.get("OnnxRuntimeBenchmark." + op + "Buffers/" + shape);
            Double onnxCopy = ns.get("OnnxRuntimeBenchmark." + op + "Arrays/" + shape);
            Double pt = torch.get(TORCH_OPS.get(op) + "/" + shape);
            b.append(' ').append(fmt(onnx)).append(" | ").append(ratio(onnx, ours)).append(" | ")
                .append(fmt(onnxCopy)).append(" | ").append(ratio(onnxCopy, ours)).append(" | ")
                .append(fmt(pt)).append(" | ").append(ratio(pt, ours)).append(" |");
          }
          b.append('\n');
        }
      }
    }
    if (rows.stream().anyMatch(r -> r.group().equals("LossesBenchmark"))) {
      b.append("\n## float32 losses (mean reduction)\n\n");
      b.append("| op | shape | logits4j | scalar reference | vs scalar | PyTorch | vs PyTorch |\n");
      b.append("|---|---|---:|---:|---:|---:|---:|\n");
      Map<String, String> torchOps = Map.of("crossEntropy", "cross_entropy", "crossEntropyFwdBwd",
          "cross_entropy_fwd_bwd", "bceWithLogits", "bce_with_logits");
      for (String op : List.of("crossEntropy", "crossEntropyFwdBwd", "bceWithLogits")) {
        for (String shape : shapes(rows)) {
          Double ours = ns.get("LossesBenchmark." + op + "/" + shape);
          if (ours == null) {
            continue;
          }
          Double scalar = ns.get("LossesBenchmark." + op + "Scalar/" + shape);
          Double pt = torch.get(torchOps.get(op) + "/" + shape);
          b.append("| ").append(op).append(" | ").append(shape).append(" | ").append(fmt(ours)).append(" | ")
              .append(fmt(scalar)).append(" | ").append(ratio(scalar, ours)).append(" | ").append(fmt(pt))
              .append(" | ").append(ratio(pt, ours)).append(" |\n");
        }
      }
      Double fused = ns.get("LossesBenchmark.crossEntropyFwdBwd/1024x1000");
      Double softmax = ns.get("FloatActivationsBenchmark.softmax/1024x1000");
      if (fused != null && softmax != null) {
        b.append(String.format(Locale.ROOT, "%nAt 1024x1000 the fused cross-entropy forward+gradient takes %.2fx "
            + "the time of Logits.softmax alone (%.3f vs %.3f ns per element).%n", fused / softmax, fused, softmax));
      }
    }
    if (rows.stream().anyMatch(r -> r.group().equals("PrecisionModesBenchmark"))) {
      b.append("\n## accurate (Logits, the default) vs fast mode (FastLogits)\n\n");
      b.append("The fast mode rounds x - max before exp, sums plainly in the input type and takes log(s) ")
          .append("instead of log1p(s - 1). The cost column is accurate / fast.\n\n");
      b.append("| op | dtype | shape | accurate | fast | cost |\n|---|---|---|---:|---:|---:|\n");
      for (String dtype : List.of("F32", "F64")) {
        for (String op : List.of("softmax", "logSoftmax", "logSumExp")) {
          for (String shape : shapes(rows)) {
            Double accurate = ns.get("PrecisionModesBenchmark." + op + dtype + "Accurate/" + shape);
            Double fast = ns.get("PrecisionModesBenchmark." + op + dtype + "Fast/" + shape);
            if (accurate == null || fast == null) {
              continue;
            }
            b.append("| ").append(op).append(" | ").append(dtype.equals("F32") ? "float32" : "float64")
                .append(" | ").append(shape).append(" | ").append(fmt(accurate)).append(" | ").append(fmt(fast))
                .append(" | ").append(String.format(Locale.ROOT, "%.2f", accurate / fast)).append(" |\n");
          }
        }
      }
    }
    List<Row> others = rows.stream().filter(r -> !r.group().endsWith("ActivationsBenchmark")
        && !r.group().equals("OnnxRuntimeBenchmark") && !r.group().equals("LossesBenchmark")
        && !r.group().equals("PrecisionModesBenchmark")).toList();
    if (!others.isEmpty()) {
      b.append("\n## other benchmarks\n\n| benchmark | shape | ns/element |\n|---|---|---:|\n");
      for (Row r : others) {
        b.append("| ").append(r.group()).append('.').append(r.method()).append(" | ").append(r.shape())
            .append(" | ").append(fmt(r.nsPerElement())).append(" |\n");
      }
    }
    return b.toString();
  }

  private static List<String> shapes(List<Row> rows) {
    return rows.stream().map(Row::shape).distinct()
        .sorted((a, c) -> Double.compare(Shapes.cols(a), Shapes.cols(c))).toList();
  }

  private static String fmt(Double v) {
    return v == null ? "" : String.format(Locale.ROOT, v < 1 ? "%.3f" : "%.2f", v);
  }

  private static String ratio(Double peer, Double ours) {
    return peer == null || ours == null ? "" : String.format(Locale.ROOT, "%.2fx", peer / ours);
  }

  private static String cpu() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim() + ", " + Runtime.getRuntime().availableProcessors()
              + " cores";
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return System.getProperty("os.arch");
  }
}
