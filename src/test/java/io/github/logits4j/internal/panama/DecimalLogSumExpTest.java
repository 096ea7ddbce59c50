package io.github.logits4j.internal.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.Logits;
import io.github.logits4j.oracle.Decimal;
import java.math.BigDecimal;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The decimal last resort of a log-sum-exp near 0 ({@link DecimalLogSumExp}) rounds to nearest, in both
 * dtypes, against the decimal oracle (which computes its exponential and {@code log1p} by other means):
 * rows of every kind it may be given (entries at -inf, ties of the maximum, entries far below it, rows
 * shifted to cancel), and long rows near 0 through the public method, whose row path reaches it.
 */
class DecimalLogSumExpTest {

  @Property(tries = 150)
  void roundsToNearestInBothDtypes(@ForAll @IntRange(min = 1, max = 40) int n, @ForAll long seed) {
    double[] row = row(n, new SplittableRandom(seed));
    double m = max(row);
    double expected = Decimal.logSumExp(row).doubleValue();
    assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(DecimalLogSumExp.of(row, 0, n, m)),
        () -> "double row " + java.util.Arrays.toString(row));
    float[] f = new float[n];
    double[] widened = new double[n];
    for (int j = 0; j < n; j++) {
      f[j] = (float) row[j];
      widened[j] = f[j];
    }
    float expectedF = Decimal.logSumExp(widened).floatValue();
    assertEquals(Float.floatToIntBits(expectedF), Float.floatToIntBits(DecimalLogSumExp.of(f, 0, n, (float) max(widened))),
        () -> "float row " + java.util.Arrays.toString(f));
  }

  /**
   * Rows of 30 to 600 entries, each shifted by its own log-sum-exp (to within about 2^-40), through
   * {@link Logits#logSumExp}: the row path's exact sum and, nearer 0, the decimal last resort; within 1 ulp
   * of the decimal oracle, as the method's javadoc states.
   */
  @Property(tries = 12)
  void longRowsNearZeroWithinOneUlp(@ForAll @IntRange(min = 30, max = 600) int n, @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int r = 0; r < 3; r++) {
      double[] row = new double[n];
      double scale = new double[] {0.1, 1, 8}[random.nextInt(3)];
      for (int j = 0; j < n; j++) {
        row[j] = scale * random.nextGaussian();
      }
      double shift = Decimal.logSumExp(row).doubleValue() + (r == 0 ? 0 : random.nextDouble() * 0x1p-40);
      for (int j = 0; j < n; j++) {
        row[j] -= shift;
      }
      double[] out = new double[1];
      Logits.logSumExp(row, n, out);
      BigDecimal exact = Decimal.logSumExp(row);
      double err = new BigDecimal(out[0]).subtract(exact).abs().doubleValue() / Math.ulp(exact.doubleValue());
      String what = n + " entries, seed " + seed + ", row " + r + ": " + out[0] + " against " + exact.doubleValue();
      assertTrue(err <= 1, () -> what + ", " + err + " ulp");
    }
  }

  /** A row drawn from a few kinds: ordinary, shifted to cancel, with -inf entries, ties, far entries. */
  private static double[] row(int n, SplittableRandom random) {
    double[] row = new double[n];
    double scale = new double[] {0.01, 1, 30}[random.nextInt(3)];
    for (int j = 0; j < n; j++) {
      row[j] = scale * random.nextGaussian();
    }
    if (random.nextBoolean()) {
      double shift = Decimal.logSumExp(row).doubleValue();
      for (int j = 0; j < n; j++) {
        row[j] -= shift;  // a log-sum-exp near 0
      }
    }
    for (int j = 0; j < n; j++) {
      int kind = random.nextInt(12);
      if (kind == 0) {
        row[j] = Double.NEGATIVE_INFINITY;
      } else if (kind == 1) {
        row[j] -= 900;  // below e^-800 of the maximum, or close to it
      }
    }
    if (n > 1 && random.nextInt(4) == 0) {
      row[random.nextInt(n)] = max(row);  // a tie of the maximum
    }
    if (!Double.isFinite(max(row))) {
      row[0] = 0;
    }
    return row;
  }

  private static double max(double[] row) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : row) {
      m = Math.max(m, v);
    }
    return m;
  }
}
