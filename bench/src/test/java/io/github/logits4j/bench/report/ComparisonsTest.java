package io.github.logits4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.bench.report.Comparisons.Classified;
import io.github.logits4j.bench.report.Comparisons.Comparison;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ComparisonsTest {
  static final Path FULL = Path.of("src/test/resources/runs/full-2026-11-28");
  static final Path LOGITS4J_ONLY = Path.of("src/test/resources/runs/logits4j-only-2026-12-02");

  static Measurement m(String benchmark, Map<String, String> params, double nsPerOp) {
    return new Measurement("io.github.logits4j.bench." + benchmark, params, "avgt", "ns/op", nsPerOp, "1 fork");
  }

  static Classified classify(String benchmark, Map<String, String> params) {
    return Comparisons.classify(m(benchmark, params, 1));
  }

  @Test
  void classNameAndMethodSayOpDtypeAndImplementation() {
    Map<String, String> shape = Map.of("shape", "1024x1000");
    assertEquals(new Classified("softmax", "float32", "logits4j", true),
        classify("FloatActivationsBenchmark.softmax", shape));
    assertEquals(new Classified("logSumExp", "float64", "scalar reference", false),
        classify("DoubleActivationsBenchmark.logSumExpScalar", shape));
    assertEquals(new Classified("softmax", "float64", "FastLogits", false),
        classify("PrecisionModesBenchmark.softmaxF64Fast", shape));
    assertEquals(new Classified("logSoftmax", "float32", "logits4j", false),
        classify("PrecisionModesBenchmark.logSoftmaxF32Accurate", shape));
    assertEquals(new Classified("softmax", "float32", "ONNX Runtime (direct buffers)", false),
        classify("OnnxRuntimeBenchmark.softmaxBuffers", shape));
    assertEquals(new Classified("logSoftmax", "float32", "ONNX Runtime (float[] copies)", false),
        classify("OnnxRuntimeBenchmark.logSoftmaxArrays", shape));
    assertEquals(new Classified("crossEntropyFwdBwd", "float32", "scalar reference", false),
        classify("LossesBenchmark.crossEntropyFwdBwdScalar", shape));
  }

  @Test
  void unseenClassesAndParametersAreClassifiedByTheSameRules() {
    assertEquals(new Classified("sigmoid", "float32", "logits4j [threads=4]", true),
        classify("SigmoidBenchmark.sigmoid", Map.of("shape", "64x32000", "threads", "4")));
    assertEquals(new Classified("topK", "float64", "scalar reference [k=5]", false),
        classify("TopKBenchmark.topKScalar", Map.of("shape", "64x32000", "dtype", "double", "k", "5")));
    assertEquals(new Classified("expOnlyPass", "float32", "logits4j", true),
        classify("KernelPassesBenchmark.expOnlyPass", Map.of("shape", "1024x1000")));
    // a suffix alone is a name, not an implementation
    assertEquals(new Classified("Fast", "float32", "logits4j", true), classify("OddBenchmark.Fast", Map.of()));
  }

  @Test
  void pyTorchOpNamesInCamelCase() {
    assertEquals("logSoftmax", Comparisons.torchOp("log_softmax"));
    assertEquals("logSumExp", Comparisons.torchOp("logsumexp"));
    assertEquals("crossEntropyFwdBwd", Comparisons.torchOp("cross_entropy_fwd_bwd"));
    assertEquals("bceWithLogits", Comparisons.torchOp("bce_with_logits"));
    assertEquals("softmax", Comparisons.torchOp("softmax"));
  }

  @Test
  void theFullRunGivesOneComparisonPerOpAndDtypeWithEveryPeer() throws Exception {
    List<Measurement> ms = JmhResults.read(FULL.resolve("jmh.json")).measurements();
    Comparisons.Grouping g = Comparisons.group(ms, List.of(TorchResults.read(FULL.resolve("torch.json"))));
    assertEquals(List.of("softmax, float32", "logSoftmax, float32", "logSumExp, float32", "argmax, float32",
        "crossEntropy, float32", "crossEntropyFwdBwd, float32", "bceWithLogits, float32", "softmax, float64",
        "logSoftmax, float64", "logSumExp, float64", "argmax, float64"),
        g.comparisons().stream().map(Comparison::title).toList());
    Comparison softmax = g.comparisons().getFirst();
    assertEquals(List.of("logits4j", "logits4j (PrecisionModesBenchmark)", "FastLogits", "scalar reference",
        "ONNX Runtime (direct buffers)", "ONNX Runtime (float[] copies)", "PyTorch"), softmax.labels());
    assertEquals(List.of("16384x4", "16384x10", "4096x128", "1024x1000", "64x32000", "8x128256"), softmax.shapes());
    // medians of the rawData in jmh.json and median_ns_per_el in torch.json, 1024x1000
    assertEquals(406301.43663688056 / 1_024_000, softmax.series.get("logits4j").get("1024x1000"), 1e-15);
    assertEquals(17601363.586206898 / 1_024_000, softmax.series.get("scalar reference").get("1024x1000"), 1e-12);
    assertEquals(321957.2668168651 / 1_024_000, softmax.series.get("ONNX Runtime (direct buffers)").get("1024x1000"),
        1e-15);
    assertEquals(1.28227197265625, softmax.series.get("PyTorch").get("1024x1000"), 0);
    assertEquals(List.of("logits4j", "scalar reference"), g.comparisons().get(10).labels());
    // the profiling passes, one shape each, are listed apart; sigmoid only PyTorch measured
    assertEquals(Set.of("KernelPassesBenchmark"), g.others().keySet());
    assertEquals(10, g.others().get("KernelPassesBenchmark").size());
    assertEquals(List.of("sigmoid, float32"), g.peerOnly());
  }

  @Test
  void everyMeasurementIsShownOnce() throws Exception {
    for (Path run : List.of(FULL, LOGITS4J_ONLY)) {
      List<Measurement> ms = JmhResults.read(run.resolve("jmh.json")).measurements();
      Comparisons.Grouping g = Comparisons.group(ms, List.of());
      List<Measurement> shown = new ArrayList<>();
      g.comparisons().forEach(c -> shown.addAll(c.measurements));
      g.others().values().forEach(shown::addAll);
      assertEquals(ms.size(), shown.size(), run.toString());
      assertEquals(new HashSet<>(ms), new HashSet<>(shown), run.toString());
      int points = g.comparisons().stream().mapToInt(c -> c.series.values().stream().mapToInt(Map::size).sum()).sum();
      assertEquals(ms.size() - g.others().values().stream().mapToInt(List::size).sum(), points, run.toString());
    }
  }

  @Test
  void theBenchmarkNamedAsTheOpKeepsThePlainLabelWhateverTheOrder() throws Exception {
    List<Measurement> ms = new ArrayList<>(JmhResults.read(FULL.resolve("jmh.json")).measurements());
    Collections.reverse(ms);
    Comparison softmax = Comparisons.group(ms, List.of()).comparisons().getFirst();
    assertEquals("FloatActivationsBenchmark.softmax", softmax.sources.get("logits4j"));
    assertEquals("PrecisionModesBenchmark.softmaxF32Accurate", softmax.sources.get("logits4j (PrecisionModesBenchmark)"));
  }

  @Test
  void oneSeriesAtOneShapeIsNotAComparisonButAtTwoShapesItIs() {
    Map<String, String> a = Map.of("shape", "8x1000"), b = Map.of("shape", "8x2000");
    Comparisons.Grouping one = Comparisons.group(List.of(m("XBenchmark.op", a, 8000)), List.of());
    assertTrue(one.comparisons().isEmpty());
    assertEquals(1, one.others().get("XBenchmark").size());
    Comparisons.Grouping two = Comparisons.group(List.of(m("XBenchmark.op", a, 8000), m("XBenchmark.op", b, 8000)),
        List.of());
    assertEquals(1, two.comparisons().size());
    assertTrue(two.comparisons().getFirst().chartable());
    assertFalse(Comparisons.group(List.of(m("XBenchmark.op", a, 8000), m("XBenchmark.opScalar", a, 9000)), List.of())
        .comparisons().getFirst().chartable());
  }

  @Test
  void resultsWithoutShapeOrTimeAreListedApart() {
    Measurement noShape = m("XBenchmark.op", Map.of(), 5);
    Measurement odd = new Measurement("p.XBenchmark.op", Map.of("shape", "8x8"), "avgt", "B/op", 5, "");
    Comparisons.Grouping g = Comparisons.group(List.of(noShape, odd), List.of());
    assertTrue(g.comparisons().isEmpty());
    assertEquals(List.of(noShape, odd), g.others().get("XBenchmark"));
  }

  @Test
  void throughputAndOtherTimeUnitsBecomeNanosecondsPerCall() {
    assertEquals(500, new Measurement("p.C.m", Map.of(), "thrpt", "ops/s", 2e6, "").nsPerOp().getAsDouble(), 1e-9);
    assertEquals(2500, new Measurement("p.C.m", Map.of(), "avgt", "us/op", 2.5, "").nsPerOp().getAsDouble(), 1e-9);
    assertEquals(4, new Measurement("p.C.m", Map.of(), "thrpt", "ops/us", 250, "").nsPerOp().getAsDouble(), 1e-12);
    assertTrue(new Measurement("p.C.m", Map.of(), "avgt", "B/op", 1, "").nsPerOp().isEmpty());
    assertEquals(1.0 / 64, new Measurement("p.C.m", Map.of("shape", "8x8"), "avgt", "ns/op", 1, "").nsPerElement()
        .getAsDouble(), 0);
  }
}
