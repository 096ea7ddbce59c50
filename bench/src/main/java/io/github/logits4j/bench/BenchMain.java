package io.github.logits4j.bench;

import io.github.logits4j.Logits;
import io.github.logits4j.bench.report.Environment;
import io.github.logits4j.bench.report.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks and writes the report (see {@link Report}): records the environment, runs PyTorch's
 * peer when given, then JMH, and writes the report from what the run left in the report folder.
 *
 * <p>Usage: {@code BenchMain [--quick | --report-only] [--report DIR] [--sections DIR] [--commit ID]
 * [--torch-bench FILE [--python EXE]] [JMH options]}, from the {@code bench} folder:
 * <ul>
 *   <li>no mode: the full run, every benchmark at the shapes and iterations its annotations give, into
 *       {@code report/};</li>
 *   <li>{@code --quick}: a smoke run into {@code target/quick-report/}: the {@link #QUICK_SHAPES}, one
 *       warm-up iteration of 500 ms and five measured iterations of 200 ms, in this JVM (no forks), without
 *       {@code KernelPassesBenchmark} and the accurate half of {@code PrecisionModesBenchmark} (the calls the
 *       activations benchmarks time). JMH options given on the command line override each of these;</li>
 *   <li>{@code --report-only}: no benchmarks, the report again from the files in the report folder.</li>
 * </ul>
 * Fragments in {@code report/sections/} (or {@code --sections DIR}) are appended to the report.
 */
public final class BenchMain {
  private BenchMain() {}

  /** The quick mode's shapes: narrow rows, the classifier-sized row, and the widest vocabulary. */
  static final List<String> QUICK_SHAPES = List.of("16384x10", "1024x1000", "8x128256");
  /**
   * Benchmarks that run only when named: the per-variant timings, for profiling, the mixed workload, the
   * thread and memory comparisons, and the one-row batch.
   */
  static final List<String> ON_DEMAND = List.of("VariantsBenchmark", "MixedWorkloadBenchmark", "ThreadsBenchmark",
      "MemoryBenchmark", "SingleRowBenchmark");
  static final List<String> QUICK_EXCLUDES = List.of("KernelPassesBenchmark", "PrecisionModesBenchmark\\..*Accurate$");
  static final List<String> TORCH_DTYPES = List.of("float32", "float64");

  /** What the command line asks for. */
  record Settings(boolean quick, boolean reportOnly, Path report, Path sections, String commit, Path torchBench,
      String python, List<String> jmhArgs) {}

  static Settings parse(String... args) {
    boolean quick = false, reportOnly = false;
    Path report = null, sections = Path.of("report", "sections"), torchBench = null;
    String commit = null, python = "/usr/bin/python3";
    List<String> jmh = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--report-only" -> reportOnly = true;
        case "--report" -> report = Path.of(value(args, ++i));
        case "--sections" -> sections = Path.of(value(args, ++i));
        case "--commit" -> commit = value(args, ++i);
        case "--torch-bench" -> torchBench = Path.of(value(args, ++i));
        case "--python" -> python = value(args, ++i);
        default -> jmh.add(args[i]);
      }
    }
    if (quick && reportOnly) {
      throw new IllegalArgumentException("--quick runs benchmarks, --report-only runs none: give one of them");
    }
    if (report == null) {
      report = quick ? Path.of("target", "quick-report") : Path.of("report");
    }
    return new Settings(quick, reportOnly, report, sections, commit, torchBench, python, List.copyOf(jmh));
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  /** The JMH options: those given, and in quick mode the quick defaults for each one not given. */
  static Options jmhOptions(Settings s) throws CommandLineOptionException {
    CommandLineOptions cli = new CommandLineOptions(s.jmhArgs().toArray(String[]::new));
    ChainedOptionsBuilder b = new OptionsBuilder().parent(cli);
    if (cli.getIncludes().isEmpty()) {
      ON_DEMAND.forEach(b::exclude);
    }
    if (s.quick()) {
      if (!cli.getForkCount().hasValue()) {
        b.forks(0);
      }
      if (!cli.getWarmupIterations().hasValue()) {
        b.warmupIterations(1);
      }
      if (!cli.getWarmupTime().hasValue()) {
        b.warmupTime(TimeValue.milliseconds(500));
      }
      if (!cli.getMeasurementIterations().hasValue()) {
        b.measurementIterations(5);
      }
      if (!cli.getMeasurementTime().hasValue()) {
        b.measurementTime(TimeValue.milliseconds(200));
      }
      if (!cli.getParameter("shape").hasValue()) {
        b.param("shape", QUICK_SHAPES.toArray(String[]::new));
      }
      if (cli.getIncludes().isEmpty() && cli.getExcludes().isEmpty()) {
        QUICK_EXCLUDES.forEach(b::exclude);
      }
    }
    return b.build();
  }

  public static void main(String[] args) throws RunnerException, IOException, CommandLineOptionException,
      InterruptedException {
    Settings s = parse(args);
    if (!s.reportOnly()) {
      run(s);
    }
    Report.generate(s.report(), s.sections());
    System.out.println("Report: " + s.report().resolve(Report.MARKDOWN).toAbsolutePath().normalize());
  }

  private static void run(Settings s) throws IOException, RunnerException, CommandLineOptionException,
      InterruptedException {
    Options options = jmhOptions(s);
    Files.createDirectories(s.report());
    clearResults(s.report());
    Environment env = Environment.capture(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
        s.quick() ? "quick" : "full", s.jmhArgs(), s.commit(), cpuinfo(), BenchMain::lscpu, System.getProperties(),
        Runtime.getRuntime().availableProcessors(), Logits.implementation(), onnxRuntimeVersion());
    if (s.torchBench() != null) {
      runTorch(s.python(), s.torchBench(), s.report());
    }
    if (options.getForkCount().orElse(-1) == 0 && backgroundCompilation()) {
      System.err.println("BenchMain: the benchmarks run in this JVM, which compiles in the background: start it "
          + "with -Xbatch (bench/run --quick does), or a short warm-up may end before the kernels are compiled");
    }
    Collection<RunResult> results = new Runner(options).run();
    ResultFormatFactory.getInstance(ResultFormatType.JSON, s.report().resolve(Report.JMH).toString())
        .writeOut(results);
    env.write(s.report().resolve("environment.json"));
  }

  /**
   * Removes an earlier run's results from the report folder (its JMH and PyTorch results and environment),
   * so that a run that fails leaves no report to be taken for its own, and a run without PyTorch does not
   * show an earlier run's.
   */
  static void clearResults(Path report) throws IOException {
    try (Stream<Path> s = Files.list(report)) {
      for (Path p : s.toList()) {
        String name = p.getFileName().toString();
        if (name.equals(Report.JMH) || name.equals("environment.json") || name.matches("torch.*\\.json")) {
          Files.delete(p);
        }
      }
    }
  }

  /**
   * Runs {@code torch_bench.py} once per dtype, one thread, writing {@code torch-<dtype>.json} into the report
   * folder; returns those files.
   */
  static List<Path> runTorch(String python, Path script, Path report) throws IOException, InterruptedException {
    List<Path> out = new ArrayList<>();
    for (String dtype : TORCH_DTYPES) {
      Path json = report.resolve("torch-" + dtype + ".json");
      Process p = new ProcessBuilder(python, script.toString(), "--threads", "1", "--dtype", dtype, "--json",
          json.toString()).inheritIO().start();
      if (!p.waitFor(30, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException(script + " --dtype " + dtype + " did not finish in 30 minutes");
      }
      if (p.exitValue() != 0) {
        throw new IOException(script + " --dtype " + dtype + " failed with exit code " + p.exitValue());
      }
      out.add(json);
    }
    return out;
  }

  private static boolean backgroundCompilation() {
    try {
      return Boolean.parseBoolean(java.lang.management.ManagementFactory.getPlatformMXBean(
          com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption("BackgroundCompilation").getValue());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String cpuinfo() {
    try {
      return Files.readString(Path.of("/proc/cpuinfo"));
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static String lscpu() {
    try {
      Process p = new ProcessBuilder("lscpu").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
    } catch (IOException | InterruptedException | RuntimeException e) {
      return "";
    }
  }

  private static String onnxRuntimeVersion() {
    try {
      return ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion();
    } catch (Throwable e) {
      return null;
    }
  }
}
