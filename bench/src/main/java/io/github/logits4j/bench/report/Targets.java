package io.github.logits4j.bench.report;

import io.github.logits4j.bench.report.Comparisons.Comparison;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The speed targets that a full run measures, each checked on the run's own figures: a ratio of two
 * medians (ns per element) of the same run, its bound, and whether the run meets it. A target whose two
 * figures the run did not both measure gives no row, so a quick run or a partial one shows what it can.
 *
 * <p>The targets, from the narrow-row and wide-row work on one core:
 * <ul>
 *   <li>float32 softmax and log-softmax at least 6x ONNX Runtime (direct buffers) at 16384x4 and at least 2x
 *       at 16384x10;</li>
 *   <li>float32 cross-entropy forward+gradient at most 1.7x softmax's time at those two shapes;</li>
 *   <li>{@code FastLogits} no slower than {@code Logits} at any shape (both from {@code PrecisionModesBenchmark},
 *       one class, one fork each);</li>
 *   <li>float32 softmax and log-softmax at least as fast as ONNX Runtime at every shape of 128 columns or
 *       more;</li>
 *   <li>log-sum-exp no slower than softmax at any shape, in both dtypes;</li>
 *   <li>every float64 op at most 2.2x its float32 time at the same shape.</li>
 * </ul>
 * A bound is met when the ratio is on its side of it, to the digits the table prints; there is no allowance for
 * noise.
 */
final class Targets {
  private Targets() {}

  static final String ORT = "ONNX Runtime (direct buffers)";
  /** The class that measures both modes, each in its own fork, at the same shapes. */
  static final String MODES = "PrecisionModesBenchmark";
  static final List<String> NARROW = List.of("16384x4", "16384x10");

  /**
   * One target at one shape: {@code ratio = numerator / denominator}, met when at least {@code bound}
   * ({@code atLeast}) or at most it.
   */
  record Row(String target, String shape, String numerator, String denominator, double ratio, double bound,
      boolean atLeast) {
    boolean met() {
      // to the digits the report prints: a ratio shown as 1.70x meets "at most 1.7x"
      double shown = Double.parseDouble(Format.ratio(ratio).replace("x", ""));
      return atLeast ? shown >= bound : shown <= bound;
    }
  }

  /** The rows this run's comparisons give, in the order of the list above. */
  static List<Row> evaluate(List<Comparison> comparisons) {
    List<Row> rows = new ArrayList<>();
    for (String op : List.of("softmax", "logSoftmax")) {
      Comparison c = find(comparisons, op, "float32");
      for (String shape : NARROW) {
        ratio(rows, "float32 " + op + ": ONNX Runtime's time over logits4j's", shape, c, ORT, c,
            Comparisons.LOGITS4J, shape.endsWith("x4") ? 6 : 2, true);
      }
    }
    for (String shape : NARROW) {
      ratio(rows, "float32 cross-entropy forward+gradient over softmax", shape,
          find(comparisons, "crossEntropyFwdBwd", "float32"), Comparisons.LOGITS4J, find(comparisons, "softmax",
              "float32"), Comparisons.LOGITS4J, 1.7, false);
    }
    for (Comparison c : comparisons) {
      // by where each series was measured, not by its label: the accurate mode's label is plain "logits4j"
      // in a run of that class alone and gets the class's name beside another class's series
      String fast = measuredBy(c, "FastLogits"), accurate = measuredBy(c, Comparisons.LOGITS4J);
      if (fast != null && accurate != null) {
        for (String shape : c.shapes()) {
          ratio(rows, c.dtype + " " + c.op + ": FastLogits over Logits", shape, c, fast, c, accurate, 1, false);
        }
      }
    }
    for (String op : List.of("softmax", "logSoftmax")) {
      Comparison c = find(comparisons, op, "float32");
      for (String shape : c == null ? List.<String>of() : c.shapes()) {
        if (Comparisons.columns(shape) >= 128) {
          ratio(rows, "float32 " + op + ", 128 columns or more: ONNX Runtime's time over logits4j's", shape, c, ORT,
              c, Comparisons.LOGITS4J, 1, true);
        }
      }
    }
    for (String dtype : List.of("float32", "float64")) {
      Comparison lse = find(comparisons, "logSumExp", dtype), softmax = find(comparisons, "softmax", dtype);
      for (String shape : lse == null ? List.<String>of() : lse.shapes()) {
        ratio(rows, dtype + " log-sum-exp over softmax", shape, lse, Comparisons.LOGITS4J, softmax,
            Comparisons.LOGITS4J, 1, false);
      }
    }
    for (Comparison wide : comparisons) {
      Comparison narrow = wide.dtype.equals("float64") ? find(comparisons, wide.op, "float32") : null;
      for (String shape : narrow == null ? List.<String>of() : wide.shapes()) {
        ratio(rows, "float64 " + wide.op + " over float32", shape, wide, Comparisons.LOGITS4J, narrow,
            Comparisons.LOGITS4J, 2.2, false);
      }
    }
    return rows;
  }

  /** The label of the series of {@link #MODES} whose label starts with {@code prefix}, or null. */
  private static String measuredBy(Comparison c, String prefix) {
    return c.sources.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix) && e.getValue().startsWith(MODES + "."))
        .map(Map.Entry::getKey).findFirst().orElse(null);
  }

  private static Comparison find(List<Comparison> comparisons, String op, String dtype) {
    return comparisons.stream().filter(c -> c.op.equals(op) && c.dtype.equals(dtype)).findFirst().orElse(null);
  }

  private static void ratio(List<Row> rows, String target, String shape, Comparison top, String topLabel,
      Comparison bottom, String bottomLabel, double bound, boolean atLeast) {
    Double a = value(top, topLabel, shape), b = value(bottom, bottomLabel, shape);
    if (a != null && b != null && b > 0) {
      rows.add(new Row(target, shape, topLabel, bottomLabel, a / b, bound, atLeast));
    }
  }

  private static Double value(Comparison c, String label, String shape) {
    if (c == null) {
      return null;
    }
    Map<String, Double> series = c.series.get(label);
    return series == null ? null : series.get(shape);
  }

  /** The section: one table row per target and shape, the misses in bold, and a count. */
  static void markdown(StringBuilder b, List<Row> rows) {
    if (rows.isEmpty()) {
      return;
    }
    long met = rows.stream().filter(Row::met).count();
    b.append("\n## Targets in this run\n\n")
        .append("Each speed target as a ratio of two medians of this run (ns per element), against its bound; "
            + "a ratio on the wrong side of its bound, to the digits shown, is a miss. No allowance is made for "
            + "noise, so a target within a few percent of its bound can go either way from run to run. ")
        .append(met).append(" of ").append(rows.size()).append(" met.\n\n")
        .append("| target | shape | ratio | bound | result |\n|---|---|---:|---|---|\n");
    for (Row r : rows) {
      b.append("| ").append(r.target()).append(" | ").append(r.shape()).append(" | ").append(Format.ratio(r.ratio()))
          .append(" | ").append(r.atLeast() ? "at least " : "at most ").append(bound(r.bound())).append(" | ")
          .append(r.met() ? "met" : "**missed**").append(" |\n");
    }
  }

  private static String bound(double bound) {
    return (bound == Math.rint(bound) ? String.valueOf((long) bound) : String.valueOf(bound)) + "x";
  }
}
