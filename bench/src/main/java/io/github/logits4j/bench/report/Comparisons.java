package io.github.logits4j.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Groups the measurements of a run by op and dtype, one series per implementation or peer, from any
 * benchmark class, known or not, by the names of its class and methods:
 * <ul>
 *   <li>A method names its op; a suffix names another implementation of it: {@code Scalar} the scalar
 *       reference, {@code Fast} {@code FastLogits}, {@code Accurate} logits4j itself (beside the fast mode);
 *       a peer class's {@code Buffers} and {@code Arrays} its calls on direct buffers and on {@code float[]}
 *       with the copies. Then {@code F32} or {@code F64} names the dtype.</li>
 *   <li>A class is logits4j's unless {@link #PEER_CLASSES} names it as a peer's ({@code Onnx...}: ONNX
 *       Runtime).</li>
 *   <li>The dtype comes from a {@code dtype} parameter, else the method's {@code F32}/{@code F64}, else the
 *       class name's {@code Float}/{@code Double} prefix, else float32 (the peers' classes name none).</li>
 *   <li>The {@code shape} parameter ({@code rowsxcols}) is the x axis; any other parameter goes into the
 *       series label, e.g. {@code logits4j [threads=4]}.</li>
 *   <li>When two benchmarks measure the same series (logits4j's softmax in {@code FloatActivationsBenchmark}
 *       and again in {@code PrecisionModesBenchmark}), the one whose method is the op's own name keeps the
 *       label and the other's gets its class name in brackets.</li>
 *   <li>PyTorch's results ({@code torch_bench.py}) join the op of the same name in camel case.</li>
 * </ul>
 * An op with at least two series, or one series at two shapes or more, is a comparison. What is left (a
 * single measurement of a profiling benchmark, a result without a shape or a time unit) is listed by class;
 * an op that only a peer measured is only named.
 */
final class Comparisons {
  private Comparisons() {}

  static final String LOGITS4J = "logits4j";
  static final String PYTORCH = "PyTorch";
  static final Map<String, String> PEER_CLASSES = Map.of("Onnx", "ONNX Runtime");
  static final List<String> OP_ORDER = List.of("softmax", "logSoftmax", "logSumExp", "argmax", "topK", "sigmoid",
      "logSigmoid", "crossEntropy", "crossEntropyFwdBwd", "bceWithLogits", "bceWithLogitsFwdBwd");
  private static final Map<String, String> TORCH_NAMES = Map.of("logsumexp", "logSumExp", "topk", "topK");
  private static final Pattern SHAPE = Pattern.compile("(\\d+)x(\\d+)");

  /** What a measurement is: which op in which dtype, by which implementation. */
  record Classified(String op, String dtype, String label, boolean ownName) {}

  /** One op in one dtype, every series measured for it. */
  static final class Comparison {
    final String op;
    final String dtype;
    /** label to shape to ns per element */
    final Map<String, Map<String, Double>> series = new LinkedHashMap<>();
    /** label to where it was measured ({@code Class.method} or {@code torch_bench.py op}) */
    final Map<String, String> sources = new LinkedHashMap<>();
    final List<Measurement> measurements = new ArrayList<>();

    Comparison(String op, String dtype) {
      this.op = op;
      this.dtype = dtype;
    }

    /** The labels, logits4j first, then its other modes, the scalar reference, the peers. */
    List<String> labels() {
      return series.keySet().stream().sorted(Comparator.comparingInt(Comparisons::rank)
          .thenComparing(Comparator.naturalOrder())).toList();
    }

    /** The shapes measured, by columns then rows. */
    List<String> shapes() {
      TreeSet<String> shapes = new TreeSet<>(SHAPE_ORDER);
      series.values().forEach(m -> shapes.addAll(m.keySet()));
      return List.copyOf(shapes);
    }

    /** Whether the shapes have two or more column counts, so that a chart against columns says something. */
    boolean chartable() {
      return shapes().stream().map(s -> columns(s)).distinct().count() >= 2;
    }

    boolean measuredByJmh() {
      return sources.values().stream().anyMatch(s -> !s.startsWith("torch_bench.py"));
    }

    String title() {
      return op + ", " + dtype;
    }
  }

  /** The comparisons in report order, the other measurements by class, and ops only a peer measured. */
  record Grouping(List<Comparison> comparisons, Map<String, List<Measurement>> others, List<String> peerOnly) {}

  static final Comparator<String> SHAPE_ORDER = Comparator.comparingLong(Comparisons::columns)
      .thenComparingLong(Comparisons::rows).thenComparing(Comparator.naturalOrder());

  static long columns(String shape) {
    Matcher m = SHAPE.matcher(shape);
    return m.matches() ? Long.parseLong(m.group(2)) : Long.MAX_VALUE;
  }

  static long rows(String shape) {
    Matcher m = SHAPE.matcher(shape);
    return m.matches() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
  }

  /** Which op, dtype and implementation a benchmark measures, from its class, method and parameters. */
  static Classified classify(Measurement m) {
    String cls = m.className(), method = m.method();
    String implementation = LOGITS4J;
    for (Map.Entry<String, String> peer : PEER_CLASSES.entrySet()) {
      if (cls.startsWith(peer.getKey())) {
        implementation = peer.getValue();
      }
    }
    String op = method, label = implementation;
    if (strip(op, "Scalar") != null) {
      op = strip(op, "Scalar");
      label = "scalar reference";
    } else if (strip(op, "Fast") != null) {
      op = strip(op, "Fast");
      label = "FastLogits";
    } else if (strip(op, "Accurate") != null) {
      op = strip(op, "Accurate");
    } else if (strip(op, "Buffers") != null) {
      op = strip(op, "Buffers");
      label = implementation + " (direct buffers)";
    } else if (strip(op, "Arrays") != null) {
      op = strip(op, "Arrays");
      label = implementation + " (float[] copies)";
    }
    String dtype = null;
    if (strip(op, "F32") != null) {
      op = strip(op, "F32");
      dtype = "float32";
    } else if (strip(op, "F64") != null) {
      op = strip(op, "F64");
      dtype = "float64";
    }
    if (m.params().containsKey("dtype")) {
      dtype = dtype(m.params().get("dtype"));
    }
    if (dtype == null) {
      dtype = cls.startsWith("Double") ? "float64" : "float32";
    }
    Map<String, String> rest = new TreeMap<>(m.params());
    rest.remove("shape");
    rest.remove("dtype");
    if (!rest.isEmpty()) {
      StringBuilder b = new StringBuilder(label).append(" [");
      rest.forEach((k, v) -> b.append(b.charAt(b.length() - 1) == '[' ? "" : ", ").append(k).append('=').append(v));
      label = b.append(']').toString();
    }
    return new Classified(op, dtype, label, op.equals(method));
  }

  private static String strip(String name, String suffix) {
    return name.endsWith(suffix) && name.length() > suffix.length()
        ? name.substring(0, name.length() - suffix.length()) : null;
  }

  private static String dtype(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "float", "f32", "float32" -> "float32";
      case "double", "f64", "float64" -> "float64";
      default -> value;
    };
  }

  /** PyTorch's op name in the report's: {@code log_softmax} is {@code logSoftmax}. */
  static String torchOp(String name) {
    if (TORCH_NAMES.containsKey(name)) {
      return TORCH_NAMES.get(name);
    }
    StringBuilder b = new StringBuilder();
    boolean upper = false;
    for (char c : name.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        b.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return b.toString();
  }

  static int rank(String label) {
    if (label.equals(LOGITS4J)) {
      return 0;
    }
    if (label.startsWith(LOGITS4J)) {
      return 1;
    }
    if (label.startsWith("FastLogits")) {
      return 2;
    }
    if (label.startsWith("scalar reference")) {
      return 3;
    }
    if (label.startsWith("ONNX Runtime")) {
      return 4;
    }
    if (label.startsWith(PYTORCH)) {
      return 5;
    }
    return 6;
  }

  static Grouping group(List<Measurement> measurements, List<TorchResults.Run> torch) {
    // which benchmarks claim each (op, dtype, label); the one named as the op keeps the plain label
    record Claim(Measurement m, Classified c) {}
    Map<List<String>, List<Claim>> claims = new LinkedHashMap<>();
    Map<String, List<Measurement>> others = new TreeMap<>();
    for (Measurement m : measurements) {
      if (m.nsPerElement().isEmpty()) {
        others.computeIfAbsent(m.className(), k -> new ArrayList<>()).add(m);
        continue;
      }
      Classified c = classify(m);
      claims.computeIfAbsent(List.of(c.op(), c.dtype(), c.label()), k -> new ArrayList<>()).add(new Claim(m, c));
    }
    Map<List<String>, Comparison> byOp = new LinkedHashMap<>();
    for (List<Claim> claim : claims.values()) {
      List<String> benchmarks = claim.stream().map(c -> c.m().benchmark()).distinct().sorted(
          Comparator.comparing((String b) -> claim.stream().noneMatch(c -> c.m().benchmark().equals(b)
              && c.c().ownName())).thenComparing(Comparator.naturalOrder())).toList();
      for (Claim c : claim) {
        String label = c.c().label();
        if (!c.m().benchmark().equals(benchmarks.getFirst())) {
          label += " (" + c.m().className() + ")";
        }
        Comparison comparison = byOp.computeIfAbsent(List.of(c.c().op(), c.c().dtype()),
            k -> new Comparison(k.get(0), k.get(1)));
        comparison.series.computeIfAbsent(label, k -> new TreeMap<>(SHAPE_ORDER))
            .put(c.m().shape(), c.m().nsPerElement().getAsDouble());
        comparison.sources.put(label, c.m().className() + "." + c.m().method());
        comparison.measurements.add(c.m());
      }
    }
    for (TorchResults.Run run : torch) {
      for (TorchResults.Result r : run.results()) {
        String op = torchOp(r.op());
        String label = PYTORCH + (r.threads() == 1 ? "" : " [threads=" + r.threads() + "]");
        Comparison comparison = byOp.computeIfAbsent(List.of(op, r.dtype()), k -> new Comparison(k.get(0), k.get(1)));
        comparison.series.computeIfAbsent(label, k -> new TreeMap<>(SHAPE_ORDER)).put(r.shape(),
            r.medianNsPerElement());
        comparison.sources.put(label, "torch_bench.py " + r.op());
      }
    }
    List<Comparison> comparisons = new ArrayList<>();
    List<String> peerOnly = new ArrayList<>();
    for (Comparison c : byOp.values()) {
      if (!c.measuredByJmh()) {
        peerOnly.add(c.title());
      } else if (c.series.size() >= 2 || c.shapes().size() >= 2) {
        comparisons.add(c);
      } else {
        c.measurements.forEach(m -> others.computeIfAbsent(m.className(), k -> new ArrayList<>()).add(m));
      }
    }
    comparisons.sort(Comparator.comparing((Comparison c) -> dtypeRank(c.dtype)).thenComparing(c -> c.dtype)
        .thenComparingInt(c -> OP_ORDER.contains(c.op) ? OP_ORDER.indexOf(c.op) : OP_ORDER.size())
        .thenComparing(c -> c.op));
    peerOnly.sort(null);
    return new Grouping(List.copyOf(comparisons), others, List.copyOf(peerOnly));
  }

  private static int dtypeRank(String dtype) {
    return switch (dtype) {
      case "float32" -> 0;
      case "float64" -> 1;
      default -> 2;
    };
  }
}
