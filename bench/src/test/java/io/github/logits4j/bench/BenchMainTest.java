package io.github.logits4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.bench.BenchMain.Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

class BenchMainTest {
  @Test
  void theFullModeRunsWhatTheAnnotationsSayIntoTheReportFolder() throws Exception {
    Settings s = BenchMain.parse();
    assertFalse(s.quick());
    assertFalse(s.reportOnly());
    assertEquals(Path.of("report"), s.report());
    assertEquals(Path.of("report", "sections"), s.sections());
    Options o = BenchMain.jmhOptions(s);
    assertFalse(o.getForkCount().hasValue());
    assertFalse(o.getWarmupIterations().hasValue());
    assertFalse(o.getMeasurementIterations().hasValue());
    assertFalse(o.getParameter("shape").hasValue());
    assertEquals(BenchMain.ON_DEMAND, o.getExcludes(), "the on-demand benchmarks run only when named");
  }

  @Test
  void theQuickModeRunsThreeShapesBrieflyInThisJvmIntoTarget() throws Exception {
    Settings s = BenchMain.parse("--quick");
    assertTrue(s.quick());
    assertEquals(Path.of("target", "quick-report"), s.report());
    assertEquals(Path.of("report", "sections"), s.sections());
    Options o = BenchMain.jmhOptions(s);
    assertEquals(0, o.getForkCount().get());
    assertEquals(1, o.getWarmupIterations().get());
    assertEquals(TimeValue.milliseconds(500), o.getWarmupTime().get());
    assertEquals(5, o.getMeasurementIterations().get());
    assertEquals(TimeValue.milliseconds(200), o.getMeasurementTime().get());
    assertEquals(List.of("16384x10", "1024x1000", "8x128256"), List.copyOf(o.getParameter("shape").get()));
    List<String> excludes = new java.util.ArrayList<>(BenchMain.ON_DEMAND);
    excludes.addAll(BenchMain.QUICK_EXCLUDES);
    assertEquals(excludes, o.getExcludes());
  }

  @Test
  void optionsGivenOverrideTheQuickDefaults() throws Exception {
    Options o = BenchMain.jmhOptions(BenchMain.parse("--quick", "-f", "1", "-i", "2", "-p", "shape=64x32000",
        "FloatActivations"));
    assertEquals(1, o.getForkCount().get());
    assertEquals(2, o.getMeasurementIterations().get());
    assertEquals(List.of("64x32000"), List.copyOf(o.getParameter("shape").get()));
    assertEquals(List.of("FloatActivations"), o.getIncludes());
    assertEquals(List.of(), o.getExcludes(), "an include chooses the benchmarks itself");
    assertEquals(1, o.getWarmupIterations().get());
    assertEquals(TimeValue.milliseconds(500), o.getWarmupTime().get());
  }

  @Test
  void theQuickModeLeavesOutOnlyTheKernelPassesAndTheAccurateTwins() {
    BenchmarkList list = BenchmarkList.defaultList();
    var out = OutputFormatFactory.createFormatInstance(new PrintStream(PrintStream.nullOutputStream()),
        VerboseMode.SILENT);
    Set<String> all = names(list.find(out, List.of(".*"), List.of()));
    List<String> excludes = new java.util.ArrayList<>(BenchMain.ON_DEMAND);
    excludes.addAll(BenchMain.QUICK_EXCLUDES);
    Set<String> quick = names(list.find(out, List.of(".*"), excludes));
    Set<String> expected = all.stream().filter(b -> !b.contains(".KernelPassesBenchmark.")
        && !b.contains(".VariantsBenchmark.") && !b.contains(".ThreadsBenchmark.") && !b.contains(".MemoryBenchmark.")
        && !b.contains(".MixedWorkloadBenchmark.") && !b.contains(".SingleRowBenchmark.")
        && !(b.contains(".PrecisionModesBenchmark.") && b.endsWith("Accurate"))).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expected, quick);
    assertTrue(quick.contains("io.github.logits4j.bench.FloatActivationsBenchmark.softmax"));
    assertTrue(quick.contains("io.github.logits4j.bench.PrecisionModesBenchmark.softmaxF32Fast"));
    assertTrue(quick.contains("io.github.logits4j.bench.OnnxRuntimeBenchmark.softmaxBuffers"));
    assertTrue(all.size() > quick.size());
  }

  private static Set<String> names(Set<BenchmarkListEntry> entries) {
    return entries.stream().map(BenchmarkListEntry::getUsername).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void modesAndFolders() {
    assertTrue(BenchMain.parse("--report-only").reportOnly());
    assertEquals(Path.of("elsewhere"), BenchMain.parse("--quick", "--report", "elsewhere").report());
    assertEquals(Path.of("frags"), BenchMain.parse("--sections", "frags").sections());
    assertEquals(List.of("-f", "1", "Losses"), BenchMain.parse("-f", "1", "--commit", "abc", "Losses").jmhArgs());
    assertEquals("abc", BenchMain.parse("--commit", "abc").commit());
    assertThrows(IllegalArgumentException.class, () -> BenchMain.parse("--quick", "--report-only"));
    assertThrows(IllegalArgumentException.class, () -> BenchMain.parse("--report"));
  }

  @Test
  void pyTorchRunsOncePerDtypeWithOneThreadIntoTheReportFolder(@TempDir Path dir) throws Exception {
    // stands in for torch_bench.py: writes its arguments into the JSON it is asked for
    Path script = dir.resolve("torch_bench.sh");
    Files.writeString(script, """
        while [ $# -gt 0 ]; do
          case "$1" in --threads) t=$2; shift;; --dtype) d=$2; shift;; --json) f=$2; shift;; esac; shift
        done
        printf '{"torch": "9.9", "results": [{"rows": 8, "cols": 1000, "op": "softmax", "dtype": "%s", \
        "threads": %s, "median_ns_per_el": 1.5}]}' "$d" "$t" > "$f"
        """);
    List<Path> files = BenchMain.runTorch("/bin/sh", script, dir);
    assertEquals(List.of(dir.resolve("torch-float32.json"), dir.resolve("torch-float64.json")), files);
    assertTrue(Files.readString(files.get(0)).contains("\"dtype\": \"float32\", \"threads\": 1,"));
    assertTrue(Files.readString(files.get(1)).contains("\"dtype\": \"float64\", \"threads\": 1,"));
    Files.writeString(script, "exit 3\n");
    IOException e = assertThrows(IOException.class, () -> BenchMain.runTorch("/bin/sh", script, dir));
    assertTrue(e.getMessage().contains("exit code 3"), e.getMessage());
  }

  @Test
  void aNewRunFirstRemovesTheResultsOfTheLastOne(@TempDir Path dir) throws Exception {
    for (String f : List.of("jmh.json", "environment.json", "torch.json", "torch-float64.json", "report.md",
        "narrow.json")) {
      Files.writeString(dir.resolve(f), "{}");
    }
    Files.createDirectories(dir.resolve("sections"));
    BenchMain.clearResults(dir);
    try (var s = Files.list(dir)) {
      assertEquals(Set.of("report.md", "narrow.json", "sections"), s.map(p -> p.getFileName().toString())
          .collect(Collectors.toSet()));
    }
  }

  @Test
  void aRunRecordsItsEnvironmentRunsPyTorchThenJmhAndWritesTheReport(@TempDir Path dir) throws Exception {
    // JMH refuses to start while another JMH holds its lock: these few milliseconds measure nothing
    System.setProperty("jmh.ignoreLock", "true");
    Path report = Files.createDirectories(dir.resolve("report"));
    Files.writeString(report.resolve("torch-old.json"), "{\"torch\": \"0.1\", \"results\": []}");
    Path script = dir.resolve("torch_bench.sh");
    Files.writeString(script, """
        while [ $# -gt 0 ]; do case "$1" in --dtype) d=$2; shift;; --json) f=$2; shift;; esac; shift; done
        printf '{"torch": "9.9", "results": [{"rows": 16384, "cols": 4, "op": "argmax", "dtype": "%s", \
        "threads": 1, "median_ns_per_el": 2.5}]}' "$d" > "$f"
        """);
    BenchMain.main(new String[] {"--report", report.toString(), "--sections", dir.resolve("none").toString(),
        "--commit", "abc1234", "--torch-bench", script.toString(), "--python", "/bin/sh",
        "FloatActivationsBenchmark.argmax$", "-f", "0", "-wi", "0", "-i", "1", "-r", "20ms", "-p", "shape=16384x4"});
    try (var s = Files.list(report)) {
      assertEquals(Set.of("jmh.json", "environment.json", "torch-float32.json", "torch-float64.json", "report.md",
          "charts"), s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
    }
    assertTrue(Files.getLastModifiedTime(report.resolve("torch-float64.json"))
        .compareTo(Files.getLastModifiedTime(report.resolve("jmh.json"))) <= 0, "PyTorch runs before JMH");
    var env = io.github.logits4j.bench.report.Environment.read(report.resolve("environment.json"));
    assertEquals("full", env.mode());
    assertEquals("abc1234", env.commit());
    assertEquals(io.github.logits4j.Logits.implementation(), env.implementation());
    assertEquals(System.getProperty("java.runtime.version"), env.javaVersion());
    assertEquals(System.getProperty("java.vendor"), env.javaVendor());
    assertEquals(Runtime.getRuntime().availableProcessors(), env.logicalCpus());
    String md = Files.readString(report.resolve("report.md"));
    assertTrue(md.contains("\n| shape | logits4j | PyTorch |\n"), md);
    assertTrue(md.contains("at commit `abc1234`"), md);
  }

  @Test
  void reportOnlyWritesTheReportOfTheRecordedRun(@TempDir Path dir) throws Exception {
    Files.copy(Path.of("src/test/resources/runs/logits4j-only-2026-12-02/jmh.json"), dir.resolve("jmh.json"));
    BenchMain.main(new String[] {"--report-only", "--report", dir.toString(), "--sections",
        dir.resolve("none").toString()});
    assertTrue(Files.readString(dir.resolve("report.md")).contains("\n### softmax\n"));
    assertTrue(Files.isRegularFile(dir.resolve("charts/softmax-f32.svg")));
  }
}
