package io.github.logits4j.bench;

import io.github.logits4j.CrossEntropy;
import io.github.logits4j.FastLogits;
import io.github.logits4j.Logits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Speed after a service's history. A fresh JMH fork that runs one op is the best case: C2 compiles that op
 * alone and inlines all it can. A scoring service runs many ops at many shapes in one JVM, and there C2's
 * decisions differ; a vector passed to a call C2 left out of line is boxed, and the op slows several times.
 *
 * <p>Each op and shape runs twice, each in its own fork: {@code fresh}, timed right away, and {@code mixed},
 * timed after {@link #MIXED_SECONDS} seconds of every op of the list, in float and double, at every shape,
 * interleaved. The two times should agree within the noise (the bound is 10%).
 *
 * <p>Runs on demand (it is not part of {@code bench/run}'s full run): its {@link #main} runs it and writes
 * {@code report/sections/mixed-workload.md} (or {@code --out FILE}), from the {@code bench} folder:
 * {@code java --add-modules jdk.incubator.vector -cp target/benchmarks.jar
 * io.github.logits4j.bench.MixedWorkloadBenchmark [--out FILE] [JMH options]}; JMH options such as
 * {@code -p op=...} narrow the run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MixedWorkloadBenchmark {
  /** How long the mixed history runs before a {@code mixed} fork's timing. */
  static final int MIXED_SECONDS = 20;
  static final String[] OPS = {"softmaxF32", "logSoftmaxF32", "logSumExpF32", "argmaxF32", "fastSoftmaxF32",
      "crossEntropyF32", "softmaxF64", "logSoftmaxF64", "logSumExpF64", "argmaxF64", "fastSoftmaxF64",
      "crossEntropyF64"};
  static final String[] SHAPES = {"16384x4", "16384x10", "4096x128", "1024x1000", "64x32000"};

  @Param({"softmaxF32", "logSumExpF32", "argmaxF32", "fastSoftmaxF32", "crossEntropyF32", "softmaxF64",
      "logSumExpF64", "crossEntropyF64"})
  public String op;

  @Param({"16384x4", "1024x1000"})
  public String shape;

  @Param({"fresh", "mixed"})
  public String history;

  private Runnable target;

  @Setup
  public void setup() {
    if (history.equals("mixed")) {
      List<Runnable> all = new ArrayList<>();
      for (String s : SHAPES) {
        for (String o : OPS) {
          all.add(call(o, s));
        }
      }
      long end = System.nanoTime() + MIXED_SECONDS * 1_000_000_000L;
      for (int round = 0; System.nanoTime() < end; round++) {
        for (int i = 0; i < all.size(); i++) {
          all.get((round * 7 + i) % all.size()).run();
        }
      }
    }
    target = call(op, shape);
  }

  @Benchmark
  public void run() {
    target.run();
  }

  /** One op at one shape, on its own buffers. */
  static Runnable call(String op, String shape) {
    int rows = Shapes.rows(shape), cols = Shapes.cols(shape);
    float[] xf = Shapes.floats(rows * cols, 1), yf = new float[xf.length], lf = new float[rows];
    double[] xd = Shapes.doubles(rows * cols, 1), yd = new double[xd.length], ld = new double[rows];
    int[] classes = new int[rows], labels = new int[rows];
    for (int r = 0; r < rows; r++) {
      labels[r] = (r * 7) % cols;
    }
    CrossEntropy ce = CrossEntropy.sparse();
    return switch (op) {
      case "softmaxF32" -> () -> Logits.softmax(xf, yf, cols);
      case "logSoftmaxF32" -> () -> Logits.logSoftmax(xf, yf, cols);
      case "logSumExpF32" -> () -> Logits.logSumExp(xf, cols, lf);
      case "argmaxF32" -> () -> Logits.argmax(xf, cols, classes);
      case "fastSoftmaxF32" -> () -> FastLogits.softmax(xf, yf, cols);
      case "crossEntropyF32" -> () -> ce.lossAndGradient(xf, cols, labels, yf);
      case "softmaxF64" -> () -> Logits.softmax(xd, yd, cols);
      case "logSoftmaxF64" -> () -> Logits.logSoftmax(xd, yd, cols);
      case "logSumExpF64" -> () -> Logits.logSumExp(xd, cols, ld);
      case "argmaxF64" -> () -> Logits.argmax(xd, cols, classes);
      case "fastSoftmaxF64" -> () -> FastLogits.softmax(xd, yd, cols);
      case "crossEntropyF64" -> () -> ce.lossAndGradient(xd, cols, labels, yd);
      default -> throw new IllegalArgumentException("op: unknown " + op);
    };
  }

  /** Runs the benchmark and writes the section: ns per element, fresh and mixed, and their ratio. */
  public static void main(String[] args) throws RunnerException, IOException, CommandLineOptionException {
    Path out = Path.of("report/sections/mixed-workload.md");
    List<String> jmh = new ArrayList<>(List.of(args));
    int at = jmh.indexOf("--out");
    if (at >= 0) {
      out = Path.of(jmh.get(at + 1));
      jmh.subList(at, at + 2).clear();
    }
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .parent(new CommandLineOptions(jmh.toArray(String[]::new)))
        .include(MixedWorkloadBenchmark.class.getName() + "\\.run$").build()).run();
    Map<String, double[]> rows = new LinkedHashMap<>();
    for (RunResult r : results) {
      var p = r.getParams();
      String key = p.getParam("op") + " | " + p.getParam("shape");
      String sh = p.getParam("shape");
      double nsPerElement = r.getPrimaryResult().getStatistics().getPercentile(50)
          / ((double) Shapes.rows(sh) * Shapes.cols(sh));
      rows.computeIfAbsent(key, k -> new double[2])[p.getParam("history").equals("fresh") ? 0 : 1] = nsPerElement;
    }
    StringBuilder md = new StringBuilder();
    md.append("# Speed after a mixed workload\n\n")
        .append("`MixedWorkloadBenchmark`: each op timed in a fresh fork, and in a fork that first ran every op ")
        .append("of the list, in float and double, at every standard shape but the widest, interleaved for ")
        .append(MIXED_SECONDS).append(" s. Median ns per element over the measured iterations; ")
        .append("`Logits.implementation()` = `").append(Logits.implementation()).append("`.\n\n")
        .append("| op | shape | fresh | mixed | mixed / fresh |\n|---|---|---:|---:|---:|\n");
    for (var e : rows.entrySet()) {
      double[] v = e.getValue();
      md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.2f%s |%n", e.getKey(), v[0], v[1], v[1] / v[0],
          Math.abs(v[1] / v[0] - 1) > 0.10 ? " (over 10%)" : ""));
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, md);
    System.out.println(md);
  }
}
