package io.github.logits4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * What the README's Performance section says of the benchmarks: its chart and link are the committed
 * report's, its table is the committed run's figures, and every sentence of "Running the benchmarks" is
 * registered here with the tests that check it (a new sentence without a test fails).
 */
class ReadmeTest {
  static final Path README = Path.of("../README.md");
  static final Path COMMITTED = Path.of("report");

  /** A phrase of each sentence of "Running the benchmarks", and the tests that check it. */
  static final Map<String, List<String>> PROMISES = new LinkedHashMap<>();

  static void promise(String phrase, String... tests) {
    PROMISES.put(phrase, List.of(tests));
  }

  static {
    promise("`bench/run` is the full run, for publishing", "BenchMainTest#theFullModeRunsWhatTheAnnotationsSayIntoTheReportFolder",
        "RunScriptTest#theFullModePassesJmhOptionsThrough");
    promise("It writes `bench/report/`: JMH's results", "BenchMainTest#aRunRecordsItsEnvironmentRunsPyTorchThenJmhAndWritesTheReport",
        "BenchMainTest#theFullModeRunsWhatTheAnnotationsSayIntoTheReportFolder",
        "ReportTest#everyLinkedChartExistsAndDrawsItsTable");
    promise("`bench/run --quick` is a smoke run", "BenchMainTest#theQuickModeRunsThreeShapesBrieflyInThisJvmIntoTarget",
        "BenchMainTest#theQuickModeLeavesOutOnlyTheKernelPassesAndTheAccurateTwins",
        "RunScriptTest#theQuickModeRunsInAJvmThatCompilesBeforeGoingOn");
    promise("It writes the same report to `bench/target/quick-report/`",
        "BenchMainTest#theQuickModeRunsThreeShapesBrieflyInThisJvmIntoTarget");
    promise("It took", "MEASURED");
    promise("JMH options and include patterns pass through", "BenchMainTest#optionsGivenOverrideTheQuickDefaults",
        "RunScriptTest#theFullModePassesJmhOptionsThrough");
    promise("With `TORCH_BENCH=/path/to/torch_bench.py` set", "RunScriptTest#torchBenchAddsPyTorch",
        "BenchMainTest#pyTorchRunsOncePerDtypeWithOneThreadIntoTheReportFolder",
        "BenchMainTest#aRunRecordsItsEnvironmentRunsPyTorchThenJmhAndWritesTheReport",
        "ReportTest#oneTablePerOpWithEveryImplementationAndPeer");
    promise("Other harnesses add their comparisons", "ReportTest#sectionsAreAppendedInNameOrderUnderAHeading",
        "SectionsTest#fragmentsAreReadInNameOrderWithLinksFromTheReportFolder",
        "CommittedReportTest#isWhatTheGeneratorMakesOfTheCommittedRun");
    promise("`bench/run --report-only` makes the report again", "BenchMainTest#reportOnlyWritesTheReportOfTheRecordedRun",
        "RunScriptTest#torchBenchAddsPyTorch", "CommittedReportTest#isWhatTheGeneratorMakesOfTheCommittedRun");
  }

  static String section(String heading, String end) throws Exception {
    String md = Files.readString(README);
    int i = md.indexOf("\n" + heading + "\n");
    assertTrue(i >= 0, "README has no " + heading);
    int j = md.indexOf(end, i + heading.length() + 2);
    return md.substring(i + heading.length() + 2, j < 0 ? md.length() : j);
  }

  @Test
  void theHeadlineChartAndTheLinkAreTheCommittedReports() throws Exception {
    String performance = section("## Performance", "\n## ");
    Matcher image = Pattern.compile("!\\[([^\\]]*)\\]\\(([^)]+)\\)").matcher(performance);
    assertTrue(image.find(), "the section shows a chart");
    assertEquals("bench/report/charts/softmax-f32.svg", image.group(2));
    Element svg = Xml.parse(Files.readString(Path.of("..").resolve(image.group(2)))).getDocumentElement();
    assertEquals("softmax, float32", Xml.one(svg, "text", "title").getTextContent());
    assertTrue(performance.contains("[`bench/report/report.md`](bench/report/report.md) holds the latest full run"));
    assertTrue(Files.isRegularFile(Path.of("..", "bench", "report", "report.md")));
  }

  @Test
  void theRunItQuotesIsTheCommittedOne() throws Exception {
    Environment env = Environment.read(COMMITTED.resolve(Environment.FILE));
    assertEquals("full", env.mode());
    assertTrue(section("## Performance", "\n## ").replaceAll("\\s+", " ").contains("The run committed there is of "
        + env.date() + ":"));
    // the CPU the README names is the run's, with the 512-bit vectors it says
    assertTrue(section("## Performance", "\n## ").replaceAll("\\s+", " ").contains(env.cpuModel() + " with AVX-512, 2 cores"),
        "the README names the run's CPU, " + env.cpuModel());
    assertTrue(env.cpuFlags().contains("avx512f"), "the run's CPU has AVX-512");
    assertEquals(2, env.logicalCpus());
    assertEquals("panama-512", env.implementation(), "AVX-512: logits4j ran its 512-bit kernels");
  }

  /** Each figure of the README's table, against the medians of the committed run's files. */
  @Test
  void theTableIsTheCommittedRunsFigures() throws Exception {
    Map<String, Double> jmh = new HashMap<>();
    for (Object o : JSON.std.listFrom(Files.readString(COMMITTED.resolve("jmh.json")))) {
      Map<?, ?> e = (Map<?, ?>) o;
      String benchmark = (String) e.get("benchmark");
      String shape = (String) ((Map<?, ?>) e.get("params")).get("shape");
      List<Double> scores = new ArrayList<>();
      for (Object fork : (List<?>) ((Map<?, ?>) e.get("primaryMetric")).get("rawData")) {
        ((List<?>) fork).forEach(x -> scores.add(((Number) x).doubleValue()));
      }
      scores.sort(null);
      double median = scores.size() % 2 == 1 ? scores.get(scores.size() / 2)
          : (scores.get(scores.size() / 2 - 1) + scores.get(scores.size() / 2)) / 2;
      String[] rc = shape.split("x");
      jmh.put(benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1) + "/" + shape,
          median / (Double.parseDouble(rc[0]) * Double.parseDouble(rc[1])));
    }
    Map<String, Double> torch = new HashMap<>();
    List<Path> torchFiles;
    try (var files = Files.list(COMMITTED)) {
      // torch.json of a run that wrote one file, torch-float32.json and torch-float64.json of one per dtype
      torchFiles = files.filter(f -> f.getFileName().toString().matches("torch.*\\.json")).sorted().toList();
    }
    assertFalse(torchFiles.isEmpty(), "the committed run has PyTorch's results");
    assertFalse(torchFiles.contains(COMMITTED.resolve("torch.json")) && torchFiles.size() > 1,
        "one layout of PyTorch's results, not a stale torch.json beside the per-dtype files");
    for (Path f : torchFiles) {
      for (Object o : (List<?>) JSON.std.mapFrom(Files.readString(f)).get("results")) {
        Map<?, ?> r = (Map<?, ?>) o;
        if (r.get("dtype").equals("float32")) {
          torch.put(r.get("op") + "/" + r.get("rows") + "x" + r.get("cols"), ((Number) r.get("median_ns_per_el"))
              .doubleValue());
        }
      }
    }
    // README op: JMH benchmark (and its Scalar twin), PyTorch op, ONNX Runtime benchmark
    Map<String, String[]> ops = Map.of(
        "softmax", new String[] {"FloatActivationsBenchmark.softmax", "softmax", "OnnxRuntimeBenchmark.softmaxBuffers"},
        "log-softmax", new String[] {"FloatActivationsBenchmark.logSoftmax", "log_softmax",
            "OnnxRuntimeBenchmark.logSoftmaxBuffers"},
        "cross-entropy forward+gradient", new String[] {"LossesBenchmark.crossEntropyFwdBwd", "cross_entropy_fwd_bwd", ""},
        "BCE with logits", new String[] {"LossesBenchmark.bceWithLogits", "bce_with_logits", ""},
        "argmax", new String[] {"FloatActivationsBenchmark.argmax", "argmax", ""});
    String performance = section("## Performance", "\n## ");
    List<String> rows = performance.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| op")).toList();
    assertEquals("| op, float32 | shape | logits4j | scalar reference | PyTorch | ONNX Runtime (direct buffers) |",
        performance.lines().filter(l -> l.startsWith("| op")).findFirst().orElseThrow());
    assertEquals(11, rows.size(), "the table's rows");
    for (String row : rows) {
      String[] cells = Arrays.stream(row.substring(1, row.length() - 1).split("\\|", -1)).map(String::strip)
          .toArray(String[]::new);
      String[] op = ops.get(cells[0]);
      String shape = cells[1];
      double ours = jmh.get(op[0] + "/" + shape);
      assertFigure(cells[2], ours, null, row);
      assertFigure(cells[3], jmh.get(op[0] + "Scalar/" + shape), ours, row);
      assertFigure(cells[4], torch.get(op[1] + "/" + shape), ours, row);
      if (op[2].isEmpty()) {
        assertEquals("", cells[5], row);
      } else {
        assertFigure(cells[5], jmh.get(op[2] + "/" + shape), ours, row);
      }
    }
  }

  /** A cell {@code 17.19 (43x)}: the figure, and its ratio to {@code ours}, each as rounded in the README. */
  static void assertFigure(String cell, double ns, Double ours, String row) {
    Matcher m = Pattern.compile("([0-9.]+)(?: \\(([0-9.]+)x\\))?").matcher(cell);
    assertTrue(m.matches(), cell);
    assertEquals(new BigDecimal(m.group(1)), round(ns, new BigDecimal(m.group(1)).scale()), row + ": " + cell);
    if (ours != null) {
      assertEquals(new BigDecimal(m.group(2)), round(ns / ours, new BigDecimal(m.group(2)).scale()), row + ": " + cell);
    } else {
      assertEquals(null, m.group(2));
    }
  }

  static BigDecimal round(double v, int scale) {
    return new BigDecimal(v).setScale(scale, RoundingMode.HALF_EVEN);
  }

  @Test
  void everySentenceOfRunningTheBenchmarksNamesItsTests() throws Exception {
    String body = section("### Running the benchmarks", "\n## ").replace('\n', ' ');
    List<String> unregistered = new ArrayList<>();
    for (String sentence : body.split("(?<!e\\.g\\.)(?<=[.;])\\s+(?=[`A-Z])")) {
      if (!sentence.isBlank() && PROMISES.keySet().stream().noneMatch(p -> sentence.strip().startsWith(p))) {
        unregistered.add(sentence.strip());
      }
    }
    assertEquals(List.of(), unregistered, "sentences with no registered test");
    for (Map.Entry<String, List<String>> p : PROMISES.entrySet()) {
      assertTrue(body.contains(p.getKey()), "README no longer says: " + p.getKey());
      for (String test : p.getValue()) {
        if (test.equals("MEASURED")) {
          continue;
        }
        String[] cm = test.split("#");
        Class<?> cls = Class.forName("io.github.logits4j.bench." + (cm[0].equals("BenchMainTest")
            || cm[0].equals("RunScriptTest") ? "" : "report.") + cm[0]);
        assertTrue(Arrays.stream(cls.getDeclaredMethods()).map(Method::getName).anyMatch(cm[1]::equals),
            "no test " + test);
      }
    }
    assertFalse(PROMISES.isEmpty());
  }
}
