package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.gen.Batch;
import io.github.logits4j.gen.Batches;
import io.github.logits4j.gen.Regime;
import io.github.logits4j.oracle.DD;
import io.github.logits4j.oracle.Exact;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of log-softmax and log-sum-exp for float and double batches. */
class LogSoftmaxPropertiesTest {

  @Provide
  Arbitrary<Batch> batches() {
    return Arbitraries.oneOf(Batches.floats(), Batches.doubles());
  }

  @Provide
  Arbitrary<Double> temperatures() {
    return Arbitraries.of(0.05, 0.3, 0.7, 1.0, 1.5, 2.0, 3.3, 10.0, 1000.0);
  }

  @Property
  void logSoftmaxWithinBoundOfExact(@ForAll("batches") Batch b) {
    assertLogSoftmaxWithinBound(b, Ops.logSoftmax(b, 1.0), 1.0);
  }

  @Property
  void logSoftmaxTemperatureIsQuotient(@ForAll("batches") Batch b, @ForAll("temperatures") double t) {
    double temperature = b.isFloat() ? (float) t : t;
    assertLogSoftmaxWithinBound(b, Ops.logSoftmax(b, temperature), temperature);
  }

  /** A shrunk case of {@link #logSoftmaxTemperatureIsQuotient}: a double row whose top output is subnormal. */
  @Example
  void subnormalTopOutputAtLowTemperature() {
    Batch b = Batches.make(Regime.CONFIDENT, 1, 1692, -3516L, false);
    assertLogSoftmaxWithinBound(b, Ops.logSoftmax(b, 0.05), 0.05);
  }

  @Property
  void logSoftmaxMonotonic(@ForAll("batches") Batch b) {
    double[] y = Ops.logSoftmax(b, 1.0);
    for (int r = 0; r < b.rows(); r++) {
      int base = r * b.cols();
      Integer[] order = IntStream.range(0, b.cols()).boxed().toArray(Integer[]::new);
      Arrays.sort(order, Comparator.comparingDouble(j -> b.values()[base + j]));
      for (int i = 1; i < order.length; i++) {
        int lo = base + order[i - 1], hi = base + order[i];
        assertTrue(y[lo] <= y[hi], () -> "log-softmax not monotonic at " + lo + ", " + hi + " in " + b);
      }
    }
  }

  /** exp(logSoftmax(x)) matches softmax(x) to the accuracy both bounds allow. */
  @Property
  void expOfLogSoftmaxIsSoftmax(@ForAll("batches") Batch b) {
    double[] ls = Ops.logSoftmax(b, 1.0);
    double[] p = Ops.softmax(b, 1.0);
    for (int i = 0; i < p.length; i++) {
      if (ls[i] == Double.NEGATIVE_INFINITY) {
        assertTrue(p[i] == 0, "log-probability -inf needs probability 0 in " + b);
        continue;
      }
      if (Math.exp(ls[i]) == p[i]) {
        continue;
      }
      // an error of e in ls is a relative error of about e in exp(ls)
      double[] row = b.row(i / b.cols());
      double tolerance = p[i] * (Bounds.logSoftmax(b, row, 1.0) * Ops.ulp(b, ls[i])
          + 2 * Bounds.softmax(b, row, 1.0) * Ops.ulp(b, 1.0)) + Bounds.SOFTMAX_SUBNORMAL * Ops.ulp(b, 0.0);
      double fromLog = Math.exp(ls[i]);
      int at = i;
      assertTrue(Math.abs(fromLog - p[i]) <= tolerance, () -> "exp(logSoftmax)=" + fromLog + " softmax=" + p[at]
          + " at " + at + " in " + b);
    }
  }

  @Property
  void agreesWithReference(@ForAll("batches") Batch b) {
    double[] y = Ops.logSoftmax(b, 1.0);
    double[] ref = Ops.referenceLogSoftmax(b, 1.0);
    for (int r = 0; r < b.rows(); r++) {
      DD[] exact = Exact.logSoftmax(b.row(r), 1.0);
      for (int j = 0; j < b.cols(); j++) {
        int i = r * b.cols() + j;
        assertTrue(Ops.agrees(b, y[i], ref[i], exact[j], Bounds.logSoftmax(b, b.row(r), 1.0)),
            () -> "kernel " + y[i] + " vs reference " + ref[i] + " at " + i + " in " + b);
      }
    }
  }

  @Property
  void logSumExpWithinBoundOfExact(@ForAll("batches") Batch b) {
    double[] out = Ops.logSumExp(b);
    for (int r = 0; r < b.rows(); r++) {
      DD exact = Exact.logSumExp(b.row(r));
      double err = Ops.ulps(b, out[r], exact);
      double bound = Bounds.logSumExp(b, b.row(r), exact.toDouble());
      int row = r;
      assertTrue(err <= bound, () -> "logSumExp row " + row + " = " + out[row] + " is " + err
          + " ulp from " + exact + " in " + b);
    }
  }

  /** logSumExp(x) = max + log(sum(exp(x - max))), the textbook formula in double. */
  @Property
  void logSumExpIsMaxPlusLogSum(@ForAll("batches") Batch b) {
    double[] out = Ops.logSumExp(b);
    for (int r = 0; r < b.rows(); r++) {
      double[] row = b.row(r);
      double m = Arrays.stream(row).max().orElseThrow();
      double s = Arrays.stream(row).map(v -> Math.exp(v - m)).sum();
      double textbook = m + Math.log(s);
      // the textbook formula in double is not exact either: allow its own distance from the exact value
      DD exact = Exact.logSumExp(row);
      double tolerance = Bounds.logSumExp(b, row, exact.toDouble()) * Ops.ulpAt(b, exact)
          + Math.abs(DD.of(textbook).sub(exact).toDouble());
      int at = r;
      assertTrue(Math.abs(out[r] - textbook) <= tolerance, () -> "logSumExp " + out[at] + " vs " + textbook
          + " in " + b);
    }
  }

  /** logSoftmax(x) = x - logSumExp(x), with both within their bounds. */
  @Property
  void logSoftmaxIsXMinusLogSumExp(@ForAll("batches") Batch b) {
    double[] ls = Ops.logSoftmax(b, 1.0);
    double[] lse = Ops.logSumExp(b);
    for (int r = 0; r < b.rows(); r++) {
      for (int j = 0; j < b.cols(); j++) {
        int i = r * b.cols() + j;
        double x = b.values()[i];
        if (x == Double.NEGATIVE_INFINITY) {
          assertTrue(ls[i] == Double.NEGATIVE_INFINITY, "masked entry must be -inf in " + b);
          continue;
        }
        double expected = x - lse[r];
        double[] row = b.row(r);
        double tolerance = Bounds.logSoftmax(b, row, 1.0) * Ops.ulp(b, ls[i])
            + Bounds.logSumExp(b, row, lse[r]) * Ops.ulp(b, lse[r]) + Ops.ulp(b, expected);
        int at = r;
        assertTrue(Math.abs(ls[i] - expected) <= tolerance || Double.isInfinite(expected),
            () -> "logSoftmax " + ls[i] + " vs x - lse " + expected + " (lse " + lse[at] + ") in " + b);
      }
    }
  }

  static void assertLogSoftmaxWithinBound(Batch b, double[] y, double temperature) {
    for (int r = 0; r < b.rows(); r++) {
      DD[] exact = Exact.logSoftmax(b.row(r), temperature);
      for (int j = 0; j < b.cols(); j++) {
        int i = r * b.cols() + j;
        double err = Ops.ulps(b, y[i], exact[j]);
        int col = j;
        assertTrue(err <= Bounds.logSoftmax(b, b.row(r), temperature), () -> "logSoftmax[" + i + "] = " + y[i] + " is " + err
            + " ulp from exact " + exact[col] + " (T=" + temperature + ") in " + b);
      }
    }
  }
}
