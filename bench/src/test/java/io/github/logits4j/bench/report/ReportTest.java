package io.github.logits4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/** The report made from recorded runs: its environment, tables, ratios, charts and appended sections. */
class ReportTest {
  static final Path FULL = Path.of("src/test/resources/runs/full-2026-11-28");
  static final Path LOGITS4J_ONLY = Path.of("src/test/resources/runs/logits4j-only-2026-12-02");
  static final Pattern IMAGE = Pattern.compile("!\\[[^\\]]*\\]\\(([^)]+)\\)");

  static final Environment RECORDED = new Environment("2026-11-28", "full", List.of(), "3fdc511", "a recorded run",
      "AMD EPYC", List.of("avx2", "avx512f"), 2, "amd64", "Linux", "25.0.3+9-LTS", "Eclipse Adoptium",
      "OpenJDK 64-Bit Server VM", "panama-512", "1.24.1");

  @TempDir
  Path tmp;

  /** A report folder holding a copy of a recorded run's result files. */
  Path run(Path recorded, Environment env) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("report"));
    try (Stream<Path> s = Files.list(recorded)) {
      for (Path f : s.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    if (env != null) {
      env.write(dir.resolve("environment.json"));
    }
    return dir;
  }

  String generate(Path dir) throws Exception {
    return Report.generate(dir, tmp.resolve("no-sections"));
  }

  static String format(double ns) {
    return String.format(Locale.ROOT, ns < 1 ? "%.3f" : "%.2f", ns);
  }

  static String cell(double ns, double ours) {
    double r = ns / ours;
    return format(ns) + " (" + String.format(Locale.ROOT, r >= 10 ? "%.1fx" : "%.2fx", r) + ")";
  }

  /** Table headers (without the shape column) by the heading above them, "dtype / op". */
  static Map<String, List<String>> tables(String md) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    String dtype = null, op = null;
    for (String line : md.split("\n")) {
      if (line.startsWith("## ")) {
        dtype = line.substring(3);
      } else if (line.startsWith("### ")) {
        op = line.substring(4);
      } else if (line.startsWith("| shape |")) {
        List<String> header = new ArrayList<>(List.of(line.substring(1, line.length() - 1).split(" \\| ")));
        header.replaceAll(String::strip);
        out.put(dtype + " / " + op, header.subList(1, header.size()));
      }
    }
    return out;
  }

  static List<String> rows(String md, String heading) {
    int at = md.indexOf("\n" + heading + "\n");
    assertTrue(at >= 0, "no heading " + heading);
    int table = md.indexOf("\n| shape |", at);
    List<String> rows = new ArrayList<>();
    for (String line : md.substring(table + 1).split("\n")) {
      if (!line.startsWith("|")) {
        break;
      }
      rows.add(line);
    }
    return rows.subList(2, rows.size());
  }

  @Test
  void theEnvironmentIsTheRecordedOne() throws Exception {
    String md = generate(run(FULL, RECORDED));
    assertTrue(md.contains("From the full run of 2026-11-28 at commit `3fdc511`: JMH's results in `jmh.json`, "
        + "PyTorch's in `torch.json`"), md);
    assertTrue(md.contains("\n## Environment\n"));
    assertTrue(md.contains("\n- **run:** a recorded run\n"));
    assertTrue(md.contains("\n- **date:** 2026-11-28\n"));
    assertTrue(md.contains("\n- **CPU:** AMD EPYC (amd64), 2 cores available to the JVM; vector instructions: avx2, "
        + "avx512f\n"));
    assertTrue(md.contains("\n- **JDK:** 25.0.3+9-LTS, Eclipse Adoptium, OpenJDK 64-Bit Server VM\n"));
    assertTrue(md.contains("\n- **vector width:** `panama-512` (what `Logits.implementation()` said"));
    assertTrue(md.contains("\n- **JMH:** 1.37; 1 fork, 3 warm-up iterations of 1 s, 5 measured iterations of 1 s, "
        + "1 thread; JVM options `--add-modules=jdk.incubator.vector --add-modules jdk.incubator.vector`\n"));
    assertTrue(md.contains("\n- **ONNX Runtime:** 1.24.1, one intra-op thread\n"));
    assertTrue(md.contains("\n- **PyTorch:** 1.13.0a0 (float32; threads: 1), measured by `torch_bench.py` right "
        + "before JMH, in the same session\n"));
  }

  @Test
  void withoutARecordedEnvironmentTheJdkComesFromJmhsFile() throws Exception {
    String md = generate(run(FULL, null));
    assertTrue(md.contains("the run recorded no environment"));
    assertTrue(md.contains("\n- **JDK:** 25.0.3, OpenJDK 64-Bit Server VM 25.0.3+9-LTS\n"));
    assertTrue(md.contains("\n- **CPU:** not recorded\n"));
  }

  @Test
  void oneTablePerOpWithEveryImplementationAndPeer() throws Exception {
    String md = generate(run(FULL, RECORDED));
    Map<String, List<String>> tables = tables(md);
    List<String> softmaxF32 = List.of("logits4j", "logits4j (PrecisionModesBenchmark)", "FastLogits",
        "scalar reference", "ONNX Runtime (direct buffers)", "ONNX Runtime (float[] copies)", "PyTorch");
    Map<String, List<String>> expected = new LinkedHashMap<>();
    expected.put("float32 / softmax", softmaxF32);
    expected.put("float32 / logSoftmax", softmaxF32);
    expected.put("float32 / logSumExp", List.of("logits4j", "logits4j (PrecisionModesBenchmark)", "FastLogits",
        "scalar reference", "PyTorch"));
    expected.put("float32 / argmax", List.of("logits4j", "scalar reference", "PyTorch"));
    expected.put("float32 / crossEntropy", List.of("logits4j", "scalar reference", "PyTorch"));
    expected.put("float32 / crossEntropyFwdBwd", List.of("logits4j", "scalar reference", "PyTorch"));
    expected.put("float32 / bceWithLogits", List.of("logits4j", "scalar reference", "PyTorch"));
    List<String> f64 = List.of("logits4j", "logits4j (PrecisionModesBenchmark)", "FastLogits", "scalar reference");
    expected.put("float64 / softmax", f64);
    expected.put("float64 / logSoftmax", f64);
    expected.put("float64 / logSumExp", f64);
    expected.put("float64 / argmax", List.of("logits4j", "scalar reference"));
    assertEquals(expected, tables);
    assertTrue(md.contains("\n## Measured by a peer only\n\nNo benchmark of this run measures sigmoid, float32,"));
    assertTrue(md.contains("\n### KernelPassesBenchmark\n"));
  }

  @Test
  void figuresAreMediansPerElementAndRatiosAreOverLogits4j() throws Exception {
    String md = generate(run(FULL, RECORDED));
    // medians of the measured iterations in jmh.json (ns per call), 1024x1000 = 1,024,000 elements
    double ours = 406301.43663688056 / 1_024_000;
    String expected = "| 1024x1000 | " + format(ours) + " | " + cell(396013.52771179733 / 1_024_000, ours) + " | "
        + cell(370884.5185322461 / 1_024_000, ours) + " | " + cell(17601363.586206898 / 1_024_000, ours) + " | "
        + cell(321957.2668168651 / 1_024_000, ours) + " | " + cell(827705.7030603805 / 1_024_000, ours) + " | "
        + cell(1.28227197265625, ours) + " |";
    assertEquals("| 1024x1000 | 0.397 | 0.387 (0.97x) | 0.362 (0.91x) | 17.19 (43.3x) | 0.314 (0.79x) | "
        + "0.808 (2.04x) | 1.28 (3.23x) |", expected, "the test's own arithmetic");
    List<String> rows = rows(md, "### softmax");
    assertEquals(expected, rows.get(3));
    assertEquals(List.of("16384x4", "16384x10", "4096x128", "1024x1000", "64x32000", "8x128256"),
        rows.stream().map(r -> r.split(" \\| ")[0].substring(2)).toList());
    // a cell the peer did not measure stays empty
    assertTrue(rows(md, "### logSumExp").getFirst().endsWith("|"));
    assertTrue(md.contains("Measured by logits4j: `FloatActivationsBenchmark.softmax`; logits4j "
        + "(PrecisionModesBenchmark): `PrecisionModesBenchmark.softmaxF32Accurate`;"));
  }

  @Test
  void everyLinkedChartExistsAndDrawsItsTable() throws Exception {
    Path dir = run(FULL, RECORDED);
    String md = generate(dir);
    Map<String, List<String>> tables = tables(md);
    Set<String> linked = new TreeSet<>();
    String dtype = null, op = null;
    for (String line : md.split("\n")) {
      if (line.startsWith("## ")) {
        dtype = line.substring(3);
      } else if (line.startsWith("### ")) {
        op = line.substring(4);
      }
      Matcher m = IMAGE.matcher(line);
      if (!m.find()) {
        continue;
      }
      Path chart = dir.resolve(m.group(1));
      assertTrue(Files.isRegularFile(chart), m.group(1));
      linked.add(dir.relativize(chart).toString());
      Element svg = Xml.parse(Files.readString(chart)).getDocumentElement();
      assertEquals(op + ", " + dtype, Xml.one(svg, "text", "title").getTextContent());
      List<String> legend = Xml.find(Xml.one(svg, "g", "legend"), "text", null).stream().map(Element::getTextContent)
          .toList();
      List<String> header = tables.get(dtype + " / " + op);
      assertEquals(header, legend, m.group(1));
      List<String> rows = rows(md, "### " + op + "\n\n" + line);
      for (int col = 0; col < header.size(); col++) {
        String label = header.get(col);
        List<String> tooltips = new ArrayList<>();
        for (String row : rows) {
          String[] cells = row.substring(2, row.length() - 2).split(" \\| ", -1);
          if (!cells[col + 1].isBlank()) {
            tooltips.add(label + ", " + cells[0] + ": " + cells[col + 1].split(" ")[0] + " ns per element");
          }
        }
        List<String> drawn = Xml.children(LineChartTest.series(svg, label), "circle").stream()
            .map(c -> Xml.children(c, "title").getFirst().getTextContent()).toList();
        assertEquals(tooltips, drawn, m.group(1) + " " + label);
      }
      assertEquals(Xml.find(Xml.one(svg, "g", "x-axis"), "g", "tick").size(), rows.size());
    }
    assertEquals(11, linked.size());
    try (Stream<Path> s = Files.list(dir.resolve("charts"))) {
      assertEquals(linked, new TreeSet<>(s.map(p -> dir.relativize(p).toString()).toList()));
    }
    assertTrue(linked.contains("charts/softmax-f32.svg"));
    assertTrue(linked.contains("charts/cross-entropy-fwd-bwd-f32.svg"));
  }

  @Test
  void chartsNoOpHasAnyMoreAreRemoved() throws Exception {
    Path dir = run(FULL, RECORDED);
    Files.createDirectories(dir.resolve("charts"));
    Files.writeString(dir.resolve("charts/old-op-f32.svg"), "<svg/>");
    Files.writeString(dir.resolve("charts/notes.txt"), "kept");
    generate(dir);
    assertFalse(Files.exists(dir.resolve("charts/old-op-f32.svg")));
    assertTrue(Files.exists(dir.resolve("charts/notes.txt")));
    assertTrue(Files.exists(dir.resolve("charts/softmax-f32.svg")));
  }

  @Test
  void theSameFilesGiveTheSameReport() throws Exception {
    Path dir = run(FULL, RECORDED);
    String first = generate(dir);
    byte[] chart = Files.readAllBytes(dir.resolve("charts/softmax-f32.svg"));
    assertEquals(first, generate(dir));
    assertEquals(first, Files.readString(dir.resolve("report.md")));
    assertTrue(java.util.Arrays.equals(chart, Files.readAllBytes(dir.resolve("charts/softmax-f32.svg"))));
  }

  @Test
  void sectionsAreAppendedInNameOrderUnderAHeading() throws Exception {
    Path dir = run(FULL, RECORDED);
    Path sections = Files.createDirectories(dir.resolve("sections"));
    Files.writeString(sections.resolve("spark.md"), "# Spark against logits4j\n\nSpark text.\n");
    Files.writeString(sections.resolve("cli-cold-start.md"), "# Cold start\n\n## Setup\n\nCLI text.\n");
    String md = Report.generate(dir, sections);
    int heading = md.indexOf("\n## More comparisons\n");
    int cli = md.indexOf("\n### Cold start\n\n#### Setup\n\nCLI text.\n");
    int spark = md.indexOf("\n### Spark against logits4j\n\nSpark text.\n");
    assertTrue(heading > md.indexOf("### bceWithLogits"), "after the benchmark tables");
    assertTrue(heading >= 0 && cli > heading && spark > cli, md.substring(Math.max(0, heading)));
    assertFalse(generate(dir).contains("## More comparisons"), "no fragments, no heading");
  }

  @Test
  void aRunOfLogits4jAloneComparesWhatItHas() throws Exception {
    String md = generate(run(LOGITS4J_ONLY, null));
    assertFalse(md.contains("PyTorch"));
    assertFalse(md.contains("ONNX Runtime"));
    assertFalse(md.contains("scalar reference"));
    assertEquals(List.of("logits4j", "FastLogits"), tables(md).get("float32 / softmax"));
    assertEquals(List.of("logits4j"), tables(md).get("float32 / argmax"));
    double ours = 290939.6970930233 / 1_024_000;
    assertEquals("| 1024x1000 | " + format(ours) + " | " + cell(264002.49155672826 / 1_024_000, ours) + " |",
        rows(md, "### softmax").get(3));
  }

  @Test
  void aBenchmarkClassTheReportHasNeverSeen() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("unseen"));
    List<Map<String, Object>> results = new ArrayList<>();
    for (String shape : List.of("100x10", "10x100")) {
      results.add(result("NewThingBenchmark.frobnicate", Map.of("shape", shape), "ns/op", 1000));
      results.add(result("NewThingBenchmark.frobnicateScalar", Map.of("shape", shape), "ns/op", 3000));
    }
    results.add(result("NewThingBenchmark.setupCost", Map.of(), "us/op", 2.5));
    Files.writeString(dir.resolve("jmh.json"), JSON.std.asString(results));
    String md = generate(dir);
    assertEquals(List.of("logits4j", "scalar reference"), tables(md).get("float32 / frobnicate"));
    // by columns; 1000 ns per call over 1000 elements
    assertEquals(List.of("| 100x10 | 1.00 | 3.00 (3.00x) |", "| 10x100 | 1.00 | 3.00 (3.00x) |"),
        rows(md, "### frobnicate"));
    assertTrue(Files.isRegularFile(dir.resolve("charts/frobnicate-f32.svg")));
    assertTrue(md.contains("\n### NewThingBenchmark\n"));
    assertTrue(md.contains("| setupCost |  |  | 2.50 us/op |"), md);
    // no pair of figures that a target compares: no section of targets
    assertFalse(md.contains("## Targets in this run"), md);
  }

  /** {@code ns} per element at {@code shape}, as JMH reports a call's time. */
  static Map<String, Object> perElement(String benchmark, String shape, double ns) {
    long elements = Comparisons.rows(shape) * Comparisons.columns(shape);
    return result(benchmark, Map.of("shape", shape), "ns/op", ns * elements);
  }

  @Test
  void targetsAreRatiosOfTheRunsOwnFiguresWithTheMissesMarked() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("targets"));
    List<Map<String, Object>> results = new ArrayList<>(List.of(
        perElement("FloatActivationsBenchmark.softmax", "16384x4", 0.5),
        perElement("OnnxRuntimeBenchmark.softmaxBuffers", "16384x4", 3.0),  // 6.00x: met, on the bound
        perElement("FloatActivationsBenchmark.softmax", "16384x10", 1.0),
        perElement("OnnxRuntimeBenchmark.softmaxBuffers", "16384x10", 1.9),  // 1.90x of 2x: missed
        perElement("LossesBenchmark.crossEntropyFwdBwd", "16384x4", 0.852),  // 1.704x, shown 1.70x: met
        perElement("LossesBenchmark.crossEntropyFwdBwd", "16384x10", 1.706),  // 1.706x, shown 1.71x: missed
        perElement("PrecisionModesBenchmark.softmaxF32Accurate", "16384x4", 0.5),
        perElement("PrecisionModesBenchmark.softmaxF32Fast", "16384x4", 0.55),  // 1.10x: missed
        perElement("FloatActivationsBenchmark.softmax", "1024x1000", 0.4),
        perElement("OnnxRuntimeBenchmark.softmaxBuffers", "1024x1000", 0.2),  // 0.50x: missed
        perElement("FloatActivationsBenchmark.logSumExp", "16384x4", 0.45),  // 0.90x softmax: met
        perElement("FloatActivationsBenchmark.logSumExp", "16384x10", 1.1),  // 1.10x: missed
        perElement("DoubleActivationsBenchmark.softmax", "16384x4", 1.15),  // 2.30x float32: missed
        perElement("DoubleActivationsBenchmark.softmax", "16384x10", 2.2),  // 2.20x: met, on the bound
        perElement("DoubleActivationsBenchmark.softmax", "1024x1000", 4.4)));  // 11.0x, one decimal: missed
    Files.writeString(dir.resolve("jmh.json"), JSON.std.asString(results));
    String md = generate(dir);
    int at = md.indexOf("\n## Targets in this run\n");
    assertTrue(at >= 0, md);
    List<String> rows = new ArrayList<>();
    for (String line : md.substring(md.indexOf("| target |", at)).split("\n")) {
      if (!line.startsWith("|")) {
        break;
      }
      rows.add(line);
    }
    assertEquals(List.of(
        "| float32 softmax: ONNX Runtime's time over logits4j's | 16384x4 | 6.00x | at least 6x | met |",
        "| float32 softmax: ONNX Runtime's time over logits4j's | 16384x10 | 1.90x | at least 2x | **missed** |",
        "| float32 cross-entropy forward+gradient over softmax | 16384x4 | 1.70x | at most 1.7x | met |",
        "| float32 cross-entropy forward+gradient over softmax | 16384x10 | 1.71x | at most 1.7x | **missed** |",
        "| float32 softmax: FastLogits over Logits | 16384x4 | 1.10x | at most 1x | **missed** |",
        "| float32 softmax, 128 columns or more: ONNX Runtime's time over logits4j's | 1024x1000 | 0.50x | at least 1x "
            + "| **missed** |",
        "| float32 log-sum-exp over softmax | 16384x4 | 0.90x | at most 1x | met |",
        "| float32 log-sum-exp over softmax | 16384x10 | 1.10x | at most 1x | **missed** |",
        "| float64 softmax over float32 | 16384x4 | 2.30x | at most 2.2x | **missed** |",
        "| float64 softmax over float32 | 16384x10 | 2.20x | at most 2.2x | met |",
        "| float64 softmax over float32 | 1024x1000 | 11.0x | at most 2.2x | **missed** |"), rows.subList(2, rows.size()));
    assertTrue(md.contains(" 4 of 11 met.\n"), md);
  }

  /**
   * A run of the precision-modes class, alone for float64 log-softmax (its accurate series labelled plain
   * "logits4j" there) and beside another class's float32 softmax (which then takes the plain label): the
   * targets pair FastLogits with the precision-modes class's accurate series either way.
   */
  @Test
  void fastOverAccurateInARunOfThePrecisionModesAlone() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("modes"));
    Files.writeString(dir.resolve("jmh.json"), JSON.std.asString(List.of(
        perElement("PrecisionModesBenchmark.softmaxF32Accurate", "16384x10", 2.0),
        perElement("PrecisionModesBenchmark.softmaxF32Fast", "16384x10", 1.5),  // 0.75x: met
        perElement("PrecisionModesBenchmark.logSoftmaxF64Accurate", "1024x1000", 1.0),
        perElement("PrecisionModesBenchmark.logSoftmaxF64Fast", "1024x1000", 1.2),  // 1.20x: missed
        // another class's accurate softmax, which takes the plain label here: not the one FastLogits meets
        perElement("FloatActivationsBenchmark.softmax", "16384x10", 9.0))));
    String md = generate(dir);
    assertTrue(md.contains("| float32 softmax: FastLogits over Logits | 16384x10 | 0.75x | at most 1x | met |"), md);
    assertTrue(md.contains("| float64 logSoftmax: FastLogits over Logits | 1024x1000 | 1.20x | at most 1x | "
        + "**missed** |"), md);
    assertTrue(md.contains(" 1 of 2 met.\n"), md);
  }

  static Map<String, Object> result(String benchmark, Map<String, String> params, String unit, double score) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("jmhVersion", "1.37");
    r.put("benchmark", "io.github.logits4j.bench." + benchmark);
    r.put("mode", "avgt");
    r.put("threads", 1);
    r.put("forks", 1);
    r.put("warmupIterations", 1);
    r.put("warmupTime", "1 s");
    r.put("measurementIterations", 3);
    r.put("measurementTime", "1 s");
    r.put("params", params);
    r.put("primaryMetric", Map.of("score", score, "scoreUnit", unit, "rawData", List.of(List.of(score * 2, score,
        score / 2))));
    return r;
  }
}
