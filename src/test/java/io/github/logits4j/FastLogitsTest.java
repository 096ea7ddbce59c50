package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.gen.Batch;
import io.github.logits4j.gen.Batches;
import io.github.logits4j.gen.Regime;
import io.github.logits4j.oracle.DD;
import io.github.logits4j.oracle.Exact;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The fast mode against the exact oracle, within the bounds its javadoc states, on the same adversarial
 * batches as the default kernels; and its special values and argument checks, which are the default's.
 */
class FastLogitsTest {

  @Provide
  Arbitrary<Batch> batches() {
    return Arbitraries.oneOf(Batches.floats(), Batches.doubles());
  }

  /** Unit roundoff of the batch's type. */
  static double u(Batch b) {
    return b.isFloat() ? 0x1p-24 : 0x1p-53;
  }

  static double ulp(Batch b, double v) {
    return b.isFloat() ? Math.ulp((float) v) : Math.ulp(v);
  }

  /** Whether the row's maximum is finite: other rows run the default kernels, tested elsewhere. */
  static boolean finiteMax(double[] row) {
    return Double.isFinite(Bounds.max(row));
  }

  @Property
  void softmaxWithinFastBound(@ForAll("batches") Batch b) {
    int n = b.cols();
    double[] y;
    if (b.isFloat()) {
      float[] out = new float[b.values().length];
      FastLogits.softmax(b.floats(), out, n);
      y = Ops.widen(out);
    } else {
      y = new double[b.values().length];
      FastLogits.softmax(b.values(), y, n);
    }
    for (int r = 0; r < b.rows(); r++) {
      double[] row = b.row(r);
      if (!finiteMax(row)) {
        continue;
      }
      DD[] exact = Exact.softmax(row, 1.0);
      double m = Bounds.max(row);
      for (int j = 0; j < n; j++) {
        double distance = row[j] == Double.NEGATIVE_INFINITY ? 0 : Math.min(1e300, m - row[j]);
        double bound = distance + n + 4;
        if (Ops.belowNormal(b, exact[j])) {
          bound = bound / 2 + 1;
        }
        double err = Ops.ulps(b, y[r * n + j], exact[j]);
        int at = r * n + j;
        double limit = bound;
        assertTrue(err <= limit, () -> "fast softmax[" + at + "] off by " + err + " ulp (bound " + limit + ") in " + b);
      }
    }
  }

  @Property
  void logSoftmaxAndLogSumExpWithinFastBound(@ForAll("batches") Batch b) {
    int n = b.cols();
    double[] y, lse;
    if (b.isFloat()) {
      float[] out = new float[b.values().length], l = new float[b.rows()];
      FastLogits.logSoftmax(b.floats(), out, n);
      FastLogits.logSumExp(b.floats(), n, l);
      y = Ops.widen(out);
      lse = Ops.widen(l);
    } else {
      y = new double[b.values().length];
      lse = new double[b.rows()];
      FastLogits.logSoftmax(b.values(), y, n);
      FastLogits.logSumExp(b.values(), n, lse);
    }
    for (int r = 0; r < b.rows(); r++) {
      double[] row = b.row(r);
      if (!finiteMax(row)) {
        continue;
      }
      double m = Bounds.max(row);
      DD exactLse = Exact.logSumExp(row);
      double logS = exactLse.sub(DD.of(m)).toDouble();
      double common = (n + 3) * u(b) + ulp(b, logS) / 2;
      double lseBound = common + ulp(b, exactLse.toDouble()) / 2;
      double lseErr = overflowError(lse[r], exactLse, b);
      int row0 = r;
      assertTrue(lseErr <= lseBound, () -> "fast logSumExp of row " + row0 + " = " + lse[row0] + " off by " + lseErr
          + " (bound " + lseBound + ") in " + b);
      DD[] exact = Exact.logSoftmax(row, 1.0);
      for (int j = 0; j < n; j++) {
        if (row[j] == Double.NEGATIVE_INFINITY) {
          assertTrue(y[r * n + j] == Double.NEGATIVE_INFINITY, "masked entry must stay -inf");
          continue;
        }
        double bound = common + ulp(b, m + logS) / 2 + ulp(b, exact[j].toDouble()) / 2;
        double err = overflowError(y[r * n + j], exact[j], b);
        int at = r * n + j;
        assertTrue(err <= bound, () -> "fast logSoftmax[" + at + "] = " + y[at] + " off by " + err + " (bound " + bound
            + ") in " + b);
      }
    }
  }

  /**
   * The absolute error; where the exact value lies beyond the type's range (x - max near the largest
   * finite value), 0 for the infinity of its sign and infinite otherwise.
   */
  static double overflowError(double actual, DD exact, Batch b) {
    double e = exact.toDouble(), max = b.isFloat() ? Float.MAX_VALUE : Double.MAX_VALUE;
    if (Double.isInfinite(e) || Math.abs(e) > max) {
      return Double.isInfinite(actual) && Math.signum(actual) == Math.signum(e) ? 0 : Double.POSITIVE_INFINITY;
    }
    return Math.abs(DD.of(actual).sub(exact).toDouble());
  }

  /**
   * Found by jqwik on the scalar fallback: the textbook {@code (x - m) - log(s)} rounded {@code x - m} too
   * and missed the bound by 1.2e-14 on the entry -87.3.
   */
  @Example
  void shrunkSpreadRow() {
    logSoftmaxAndLogSumExpWithinFastBound(Batches.make(Regime.SPREAD, 1, 3, -89L, false));
  }

  /**
   * Rows under 16 entries, floats or doubles, take the default kernels, as a batch, at every width: the fast
   * mode is then the default's bits, and never slower than it (the default kernels run such rows a block at
   * a time). Many rows, each in its own regime, so that the default's row blocks see mixed blocks.
   */
  @Property(tries = 60)
  void narrowRowsAreTheDefaultsBits(@ForAll("narrowMixed") Batch b) {
    String impl = Logits.implementation();
    if (!impl.startsWith("panama-")) {
      return;  // the vector kernels only: the fallback has no vector to be shorter than
    }
    int n = b.cols(), rows = b.rows();
    if (n >= 16) {
      return;  // the fast mode's own kernels
    }
    if (b.isFloat()) {
      float[] x = b.floats(), fast = new float[x.length], slow = new float[x.length];
      float[] fastL = new float[rows], slowL = new float[rows];
      FastLogits.softmax(x, fast, n);
      Logits.softmax(x, slow, n);
      assertArrayEquals(slow, fast, "softmax");
      FastLogits.logSoftmax(x, fast, n);
      Logits.logSoftmax(x, slow, n);
      assertArrayEquals(slow, fast, "logSoftmax");
      FastLogits.logSumExp(x, n, fastL);
      Logits.logSumExp(x, n, slowL);
      assertArrayEquals(slowL, fastL, "logSumExp");
    } else {
      double[] x = b.values(), fast = new double[x.length], slow = new double[x.length];
      double[] fastL = new double[rows], slowL = new double[rows];
      FastLogits.softmax(x, fast, n);
      Logits.softmax(x, slow, n);
      assertArrayEquals(slow, fast, "softmax");
      FastLogits.logSoftmax(x, fast, n);
      Logits.logSoftmax(x, slow, n);
      assertArrayEquals(slow, fast, "logSoftmax");
      FastLogits.logSumExp(x, n, fastL);
      Logits.logSumExp(x, n, slowL);
      assertArrayEquals(slowL, fastL, "logSumExp");
    }
  }

  @Provide
  Arbitrary<Batch> narrowMixed() {
    return net.jqwik.api.Combinators.combine(Arbitraries.integers().between(1, 70), Arbitraries.integers().between(1, 15),
        Arbitraries.longs(), Arbitraries.of(true, false)).as(RowBlocksTest::mixed);
  }

  /** Rows whose maximum is not finite get the default's special values, bit for bit. */
  @Example
  void specialValuesAreTheDefaults() {
    float nan = Float.NaN, inf = Float.POSITIVE_INFINITY, ninf = Float.NEGATIVE_INFINITY;
    float[] x = new float[] {
        1, nan, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
        1, inf, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
        ninf, ninf, ninf, ninf, ninf, ninf, ninf, ninf, ninf, ninf, ninf, ninf, ninf, ninf, ninf, ninf, ninf, ninf,
        ninf, 0, ninf, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, ninf};
    int cols = 18;
    float[] fast = new float[x.length], slow = new float[x.length];
    float[] fastL = new float[4], slowL = new float[4];
    FastLogits.softmax(x, fast, cols);
    Logits.softmax(x, slow, cols);
    assertArrayEquals(java.util.Arrays.copyOf(slow, 54), java.util.Arrays.copyOf(fast, 54));
    assertTrue(fast[54] == 0 && fast[56] == 0 && fast[71] == 0, "masked entries get probability 0");
    FastLogits.logSoftmax(x, fast, cols);
    Logits.logSoftmax(x, slow, cols);
    assertArrayEquals(java.util.Arrays.copyOf(slow, 54), java.util.Arrays.copyOf(fast, 54));
    FastLogits.logSumExp(x, cols, fastL);
    Logits.logSumExp(x, cols, slowL);
    assertArrayEquals(java.util.Arrays.copyOf(slowL, 3), java.util.Arrays.copyOf(fastL, 3));
  }

  @Example
  void badArgumentsAreRejectedBeforeWriting() {
    float[] x = {1, 2, 3, 4, 5, 6};
    float[] y = {7, 7, 7, 7, 7};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FastLogits.softmax(x, y, 3));
    assertTrue(e.getMessage().contains("y"), e.getMessage());
    assertArrayEquals(new float[] {7, 7, 7, 7, 7}, y);
    assertThrows(IllegalArgumentException.class, () -> FastLogits.logSoftmax(x, new float[6], 4));
    assertThrows(NullPointerException.class, () -> FastLogits.logSumExp((double[]) null, 2, new double[1]));
  }
}
