package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.gen.Batch;
import io.github.logits4j.gen.Batches;
import io.github.logits4j.oracle.DD;
import io.github.logits4j.oracle.Exact;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Batches of many narrow rows, each row in its own value regime. The double kernels run such rows a
 * block at a time, one row per lane, so a block mixes ordinary rows with NaN, infinite, masked, tied and
 * confident ones. Every row must come out exactly as it does alone (a one-row call takes the per-row
 * path) and within the bounds against the exact oracle.
 */
class RowBlocksTest {

  @Provide
  Arbitrary<Batch> narrowBatches() {
    return Combinators.combine(Arbitraries.integers().between(1, 40), Arbitraries.integers().between(1, 17),
        Arbitraries.longs()).as(RowBlocksTest::mixed);
  }

  @Provide
  Arbitrary<Batch> narrowBatchesBothTypes() {
    return Combinators.combine(Arbitraries.integers().between(1, 70), Arbitraries.integers().between(1, 33),
        Arbitraries.longs(), Arbitraries.of(true, false)).as(RowBlocksTest::mixed);
  }

  /** A double batch whose every row draws its own regime. */
  static Batch mixed(int rows, int cols, long seed) {
    return mixed(rows, cols, seed, false);
  }

  /** A batch whose every row draws its own regime, with ties of the maximum in some rows. */
  static Batch mixed(int rows, int cols, long seed, boolean isFloat) {
    return Batches.mixed(rows, cols, seed, isFloat, -0.0, false);
  }

  /** The block argmax is the first maximum, or the first NaN, of every row: numpy's rule. */
  @Property(tries = 400)
  void argmaxOfABlockIsNumpys(@ForAll("narrowBatchesBothTypes") Batch b) {
    int[] out = new int[b.rows()];
    if (b.isFloat()) {
      Logits.argmax(b.floats(), b.cols(), out);
    } else {
      Logits.argmax(b.values(), b.cols(), out);
    }
    for (int r = 0; r < b.rows(); r++) {
      double[] row = b.row(r);
      int expected = 0;
      for (int j = 1; j < row.length; j++) {
        boolean nanFirst = Double.isNaN(row[j]) && !Double.isNaN(row[expected]);
        if (nanFirst || row[j] > row[expected]) {
          expected = j;
        }
      }
      assertEquals(expected, out[r], "argmax of row " + r + " of " + describe(b));
    }
  }

  /**
   * Argmax of narrow batches drawn from a small alphabet so that ties, NaNs (several in a row, in several
   * rows of a block, at any column), infinities of both signs and zeros of both signs are common, at an
   * offset in both arrays: numpy's rule (the first NaN, else the first maximum by {@code >}), written here
   * as a plain scan. Every narrow kernel of either dtype is reached: lane groups, the max tree, the
   * transposition, and the rows they leave.
   */
  @Property(tries = 300)
  void argmaxOfNaNsInfinitiesZerosAndTiesAtAnOffset(@ForAll("alphabetBatches") double[] x,
      @ForAll("narrowCols") int cols, @ForAll("offsets") int offset) {
    int rows = x.length / cols;
    double[] d = new double[offset + rows * cols];
    float[] f = new float[d.length];
    java.util.Arrays.fill(d, Double.NaN);  // the entries before the batch: a NaN there must not be read
    java.util.Arrays.fill(f, Float.NaN);
    for (int i = 0; i < rows * cols; i++) {
      d[offset + i] = x[i];
      f[offset + i] = (float) x[i];
    }
    int[] outD = new int[offset + rows + 1], outF = new int[offset + rows + 1];
    java.util.Arrays.fill(outD, -7);
    java.util.Arrays.fill(outF, -7);
    Logits.argmax(d, offset, outD, offset, rows, cols);
    Logits.argmax(f, offset, outF, offset, rows, cols);
    for (int r = 0; r < rows; r++) {
      // each dtype against its own values (Double.MIN_VALUE is 0 as a float)
      int expectedD = 0, expectedF = 0;
      for (int j = 1; j < cols; j++) {
        double best = d[offset + r * cols + expectedD], v = d[offset + r * cols + j];
        if (!Double.isNaN(best) && (Double.isNaN(v) || v > best)) {
          expectedD = j;
        }
        float bestF = f[offset + r * cols + expectedF], w = f[offset + r * cols + j];
        if (!Float.isNaN(bestF) && (Float.isNaN(w) || w > bestF)) {
          expectedF = j;
        }
      }
      assertEquals(expectedD, outD[offset + r], "double argmax of row " + r + " at " + cols + " columns");
      assertEquals(expectedF, outF[offset + r], "float argmax of row " + r + " at " + cols + " columns");
    }
    for (int i = 0; i < offset; i++) {
      assertEquals(-7, outD[i], "written before the output's offset");
    }
    assertEquals(-7, outD[offset + rows], "written past the last row");
    assertEquals(-7, outF[offset + rows], "written past the last row");
  }

  @Provide
  Arbitrary<double[]> alphabetBatches() {
    return Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1.0, -1.0,
        2.5, Double.MIN_VALUE, -3e38).array(double[].class).ofMinSize(0).ofMaxSize(40 * 33);
  }

  @Provide
  Arbitrary<Integer> narrowCols() {
    return Arbitraries.integers().between(1, 33);
  }

  @Provide
  Arbitrary<Integer> offsets() {
    return Arbitraries.integers().between(0, 9);
  }

  /**
   * Rows built to tell the argmax ways apart, at every width from 1 to 33 and with enough rows for several
   * blocks at 512 bits: two zeros of opposite sign (the first is taken), a maximum repeated (the first),
   * every entry minus infinity (0), NaN after a larger value and NaN before infinity (the first NaN). The
   * array ends with the last row, so the last block's row loads would run past it.
   */
  @Example
  void argmaxOfZerosTiesInfinitiesAndNaNsAtEveryNarrowWidth() {
    for (int cols = 1; cols <= 33; cols++) {
      int rows = 3 * 16 + 5;
      double[] x = new double[rows * cols];
      int[] expected = new int[rows];
      for (int r = 0; r < rows; r++) {
        int kind = r % 6;
        int a = (r * 7) % cols, b = (r * 3 + 1) % cols;
        int lo = Math.min(a, b), hi = Math.max(a, b);
        for (int j = 0; j < cols; j++) {
          x[r * cols + j] = kind == 3 ? Double.NEGATIVE_INFINITY : -1.0 - j % 5;
        }
        switch (kind) {
          case 0 -> { x[r * cols + a] = -0.0; x[r * cols + b] = 0.0; expected[r] = lo; }
          case 1 -> { x[r * cols + a] = 0.0; x[r * cols + b] = -0.0; expected[r] = lo; }
          case 2 -> { x[r * cols + a] = 5.0; x[r * cols + b] = 5.0; expected[r] = lo; }
          case 3 -> expected[r] = 0;
          case 4 -> {
            x[r * cols + lo] = 9.0;
            x[r * cols + hi] = Double.NaN;
            expected[r] = hi;
          }
          default -> {
            x[r * cols + hi] = Double.POSITIVE_INFINITY;
            x[r * cols + lo] = Double.NaN;
            expected[r] = lo;
          }
        }
        if (lo == hi && kind != 3) {
          expected[r] = lo;  // one entry set twice: the last write stands, and it is the only candidate
          if (kind == 0 || kind == 1) {
            expected[r] = firstMaximum(x, r * cols, cols);
          }
        }
      }
      float[] f = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        f[i] = (float) x[i];
      }
      int[] outD = new int[rows], outF = new int[rows];
      Logits.argmax(x, cols, outD);
      Logits.argmax(f, cols, outF);
      for (int r = 0; r < rows; r++) {
        assertEquals(expected[r], outD[r], "double argmax of row " + r + " (kind " + r % 6 + ") at " + cols);
        assertEquals(expected[r], outF[r], "float argmax of row " + r + " (kind " + r % 6 + ") at " + cols);
      }
    }
  }

  /** The first index of the largest entry by {@code >}, for rows without NaN. */
  private static int firstMaximum(double[] x, int from, int n) {
    int best = 0;
    for (int j = 1; j < n; j++) {
      if (x[from + j] > x[from + best]) {
        best = j;
      }
    }
    return best;
  }

  @Property(tries = 300)
  void logSumExpOfABlockIsTheRowsOwn(@ForAll("narrowBatches") Batch b) {
    double[] out = new double[b.rows()];
    Logits.logSumExp(b.values(), b.cols(), out);
    double[] alone = new double[1];
    for (int r = 0; r < b.rows(); r++) {
      Logits.logSumExp(b.values(), r * b.cols(), alone, 0, 1, b.cols());
      assertSameBits(alone[0], out[r], "logSumExp row " + r + " of " + describe(b));
      DD exact = Exact.logSumExp(b.row(r));
      double err = Ops.ulps(b, out[r], exact);
      double bound = Bounds.logSumExp(b, b.row(r), exact.toDouble());
      int at = r;
      assertTrue(err <= bound,
          () -> "logSumExp row " + at + " is " + err + " ulp from " + exact + " in " + describe(b));
    }
  }

  /**
   * The case {@link #logSumExpNearZeroOfABlockIsTheRowsOwn} found: two logits whose log-sum-exp is
   * {@code -6.16e-18}, which the double-double exact path put 1.92 ulps off (its error, 2^-100 of the
   * magnitudes, is hundreds of ulps of a result this small). The expected value is the exact one to 80
   * digits, from an independent decimal computation, rounded to double; alone and in a block of 16 such
   * rows.
   */
  @Example
  void logSumExpOfTwoLogitsThatCancel() {
    double expected = new java.math.BigDecimal(
        "-6.1639305335927138053530714730346499475972224154004085858743413061113678759535383E-18").doubleValue();
    double[] x = new double[2 * 17];
    for (int r = 0; r < 17; r++) {
      x[2 * r] = -0.8257906742479031;
      x[2 * r + 1] = -0.5760552784200532;
    }
    double[] out = new double[17];
    Logits.logSumExp(x, 2, out);
    for (int r = 0; r < 17; r++) {
      if (Bounds.SCALAR) {
        // the scalar fallback's own bound, which magnifies by |log1p(s) / result| (see Bounds.logSumExp)
        double bound = Bounds.logSumExp(Batches.make(io.github.logits4j.gen.Regime.SMALL, 1, 2, 0, false),
            new double[] {x[0], x[1]}, expected);
        assertTrue(Math.abs(out[r] - expected) <= bound * Math.ulp(expected), "row " + r + ": " + out[r]);
      } else {
        assertSameBits(expected, out[r], "row " + r);
      }
    }
    // with a masked third class (-inf), which adds nothing: the same value, through the decimal path too
    if (!Bounds.SCALAR) {
      double[] masked = new double[3 * 17];
      for (int r = 0; r < 17; r++) {
        masked[3 * r] = -0.8257906742479031;
        masked[3 * r + 1] = -0.5760552784200532;
        masked[3 * r + 2] = Double.NEGATIVE_INFINITY;
      }
      Logits.logSumExp(masked, 3, out);
      for (int r = 0; r < 17; r++) {
        assertSameBits(expected, out[r], "masked row " + r);
      }
    }
  }

  /**
   * Rows whose log-sum-exp is near 0, where the maximum cancels {@code log1p} of the sum and the rounding of
   * the fast result is in doubt, so that a block's lanes go to the row path's exact sum (each row is shifted
   * by its own log-sum-exp, to within about 2^-40 of it): every row as alone, bit for bit, and within the
   * bound of the exact value. At 2 to 20 columns, with enough rows for several blocks and a partial one.
   */
  @Property(tries = 40)
  void logSumExpNearZeroOfABlockIsTheRowsOwn(@ForAll @net.jqwik.api.constraints.IntRange(min = 2, max = 20) int cols,
      @ForAll long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    int rows = 16 * 3 + 5;
    double[] x = new double[rows * cols];
    for (int r = 0; r < rows; r++) {
      double[] row = new double[cols];
      double scale = new double[] {0.1, 1, 4}[random.nextInt(3)];
      for (int j = 0; j < cols; j++) {
        row[j] = scale * (random.nextDouble() * 2 - 1);
      }
      double shift = Exact.logSumExp(row).toDouble() + (r % 3 == 0 ? 0 : random.nextDouble() * 0x1p-40);
      for (int j = 0; j < cols; j++) {
        x[r * cols + j] = row[j] - shift;
      }
    }
    Batch b = Batches.make(io.github.logits4j.gen.Regime.SMALL, rows, cols, seed, false).with(x);
    double[] out = new double[rows];
    Logits.logSumExp(x, cols, out);
    double[] alone = new double[1];
    int nearZero = 0;
    for (int r = 0; r < rows; r++) {
      Logits.logSumExp(x, r * cols, alone, 0, 1, cols);
      String what = "logSumExp near 0, row " + r + " of " + rows + "x" + cols + ", seed " + seed;
      assertSameBits(alone[0], out[r], what);
      // the decimal oracle: DD's 2^-104 of log1p(s) is itself some ulps of a result this near 0
      java.math.BigDecimal exact = io.github.logits4j.oracle.Decimal.logSumExp(b.row(r));
      double err = new java.math.BigDecimal(out[r]).subtract(exact).abs().doubleValue()
          / Math.ulp(exact.doubleValue());
      double bound = Bounds.logSumExp(b, b.row(r), exact.doubleValue());
      int at = r;
      assertTrue(err <= bound, () -> what + " is " + out[at] + ", " + err + " ulp from " + exact.doubleValue()
          + ", row " + java.util.Arrays.toString(b.row(at)));
      nearZero += Math.abs(out[r]) < 0x1p-30 ? 1 : 0;
    }
    assertTrue(nearZero > rows / 2, "the rows cancel: " + nearZero + " of " + rows + " below 2^-30");
  }

  /**
   * Float log-sum-exp of a block, which widens the rows to double and computes its own {@code log1p}: each
   * row exactly as alone, and within the bound of the exact value.
   */
  @Property(tries = 300)
  void floatLogSumExpOfABlock(@ForAll("narrowFloatBatches") Batch b) {
    float[] out = new float[b.rows()];
    Logits.logSumExp(b.floats(), b.cols(), out);
    float[] alone = new float[1];
    for (int r = 0; r < b.rows(); r++) {
      Logits.logSumExp(b.floats(), r * b.cols(), alone, 0, 1, b.cols());
      int at = r;
      String where = "float logSumExp row " + r + " of " + describe(b);
      assertSameBits(alone[0], out[r], where);
      if (!Float.isFinite(alone[0])) {
        continue;
      }
      DD exact = Exact.logSumExp(b.row(r));
      double err = Ops.ulps(b, out[r], exact);
      double bound = Bounds.logSumExp(b, b.row(r), exact.toDouble());
      assertTrue(err <= bound, () -> where + " = " + out[at] + " is " + err + " ulp from " + exact);
    }
  }

  @Provide
  Arbitrary<Batch> narrowFloatBatches() {
    return Combinators.combine(Arbitraries.integers().between(1, 40), Arbitraries.integers().between(1, 17),
        Arbitraries.longs()).as((rows, cols, seed) -> mixed(rows, cols, seed, true));
  }

  @Property(tries = 300)
  void logSoftmaxOfABlockIsTheRowsOwn(@ForAll("narrowBatches") Batch b,
      @ForAll("temperatures") double temperature, @ForAll boolean inPlace) {
    double[] y = inPlace ? b.values().clone() : new double[b.values().length];
    Logits.logSoftmax(inPlace ? y : b.values(), 0, y, 0, b.rows(), b.cols(), temperature);
    double[] alone = new double[b.cols()];
    for (int r = 0; r < b.rows(); r++) {
      Logits.logSoftmax(b.values(), r * b.cols(), alone, 0, 1, b.cols(), temperature);
      DD[] exact = Exact.logSoftmax(b.row(r), temperature);
      double bound = Bounds.logSoftmax(b, b.row(r), temperature);
      for (int j = 0; j < b.cols(); j++) {
        int i = r * b.cols() + j;
        assertSameBits(alone[j], y[i], "logSoftmax entry " + i + " of " + describe(b));
        double finalValue = y[i];
        if (Double.isFinite(exact[j].toDouble()) && Double.isFinite(finalValue)) {
          double err = Ops.ulps(b, finalValue, exact[j]);
          assertTrue(err <= bound, () -> "logSoftmax entry " + i + " is " + err + " ulp off in " + describe(b));
        }
      }
    }
  }

  /**
   * Float log-softmax of a block, whose log of the row's mass comes from the widened double rows and not
   * from the row path's: each row exactly as alone, in place or not, and within the bound.
   */
  @Property(tries = 300)
  void floatLogSoftmaxOfABlockIsTheRowsOwn(@ForAll("narrowFloatBatches") Batch b,
      @ForAll("temperatures") double temperature, @ForAll boolean inPlace) {
    float t = (float) temperature;
    float[] y = inPlace ? b.floats().clone() : new float[b.values().length];
    Logits.logSoftmax(inPlace ? y : b.floats(), 0, y, 0, b.rows(), b.cols(), t);
    float[] alone = new float[b.cols()];
    for (int r = 0; r < b.rows(); r++) {
      Logits.logSoftmax(b.floats(), r * b.cols(), alone, 0, 1, b.cols(), t);
      DD[] exact = Exact.logSoftmax(b.row(r), t);
      double bound = Bounds.logSoftmax(b, b.row(r), t);
      for (int j = 0; j < b.cols(); j++) {
        int i = r * b.cols() + j;
        assertSameBits(alone[j], y[i], "float logSoftmax entry " + i + " of " + describe(b));
        double finalValue = y[i];
        if (Double.isFinite(exact[j].toDouble()) && Double.isFinite(finalValue)) {
          double err = Ops.ulps(b, finalValue, exact[j]);
          assertTrue(err <= bound, () -> "float logSoftmax entry " + i + " is " + err + " ulp off in " + describe(b));
        }
      }
    }
  }

  @Provide
  Arbitrary<Double> temperatures() {
    return Arbitraries.of(1.0, 1.0, 0.3, 2.0, 7.5);
  }

  /** A block whose lanes are a NaN row, a +inf row, an all -inf row and finite rows, 4 columns each. */
  @Example
  void specialRowsInOneBlock() {
    double inf = Double.POSITIVE_INFINITY;
    double[] x = {
        1, Double.NaN, 2, 3,
        1, inf, 2, 3,
        -inf, -inf, -inf, -inf,
        0.5, -inf, 0.25, 0.5,
        1e308, -1e308, 0, 1e308,
        -3, -2, -1, 0,
        700, -700, 0, 1,
        -1e-300, 0, 1e-300, 0,
    };
    double[] out = new double[8];
    Logits.logSumExp(x, 4, out);
    assertTrue(Double.isNaN(out[0]));
    assertEquals(inf, out[1]);
    assertEquals(-inf, out[2]);
    assertEquals(0.5 + Math.log1p(1 + Math.exp(-0.25)), out[3], Math.ulp(out[3]));
    assertEquals(1e308 + Math.log(2), out[4]);
    double[] y = new double[x.length];
    Logits.logSoftmax(x, y, 4);
    for (int j = 0; j < 12; j++) {
      assertTrue(Double.isNaN(y[j]), "entry " + j);
    }
    assertEquals(-inf, y[13]);
    assertEquals(-Math.log(2), y[16], Math.ulp(Math.log(2)));
    assertEquals(-inf, y[17]);
  }

  /** How to rebuild the batch: its rows do not share the one regime the batch's own description names. */
  private static String describe(Batch b) {
    return "RowBlocksTest.mixed(" + b.rows() + ", " + b.cols() + ", " + b.seed() + "L, " + b.isFloat() + ")";
  }

  private static void assertSameBits(double expected, double actual, String what) {
    assertTrue(Double.compare(expected, actual) == 0 || (Double.isNaN(expected) && Double.isNaN(actual)),
        () -> what + ": " + actual + " in the batch, " + expected + " alone");
  }
}
