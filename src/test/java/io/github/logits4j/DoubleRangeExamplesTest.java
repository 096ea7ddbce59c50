package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.oracle.DD;
import io.github.logits4j.oracle.Exact;
import io.github.logits4j.oracle.Ulps;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The double-precision failures found by trying the library on logits no test had generated, each kept as
 * an example: in-place softmax, and rows near the top of the double range. Each failed before its fix.
 */
class DoubleRangeExamplesTest {
  static final double MAX = Double.MAX_VALUE;

  /**
   * In-place double softmax returned garbage for rows spanning two vectors whose width was not a multiple
   * of the lane count: the scalar tail's rounding errors were read from the logits after the tail's
   * exponentials had overwritten them. The ramp fails at 512 bits; random rows at every width.
   */
  @Test
  void inPlaceSoftmaxOfDoubles() {
    double[] x = new double[31];
    for (int j = 0; j < 31; j++) {
      x[j] = 3.0 * j - 45;  // a ramp
    }
    double[] y = new double[31];
    Logits.softmax(x, y, 31);
    double[] inPlace = x.clone();
    Logits.softmax(inPlace, inPlace, 31);
    assertArrayEquals(y, inPlace);
    SplittableRandom rnd = new SplittableRandom(31);
    for (int cols = 1; cols <= 70; cols++) {
      double[] rows = new double[3 * cols];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = rnd.nextGaussian() * 4;
      }
      for (double t : new double[] {1.0, 1.7}) {
        double[] out = new double[rows.length];
        Logits.softmax(rows, out, cols, t);
        double[] same = rows.clone();
        Logits.softmax(same, same, cols, t);
        assertArrayEquals(out, same, cols + " columns, temperature " + t);
      }
    }
  }

  /**
   * With the row maximum at the largest double, Knuth's TwoSum for {@code x - max} overflowed in its
   * intermediate and made log-softmax NaN for an entry whose log-probability is a finite -1.03e308.
   */
  @Test
  void logSoftmaxNextToTheLargestDouble() {
    double[] x = {7.634411000439089E307, MAX, -9.5};
    double[] y = new double[3];
    Logits.logSoftmax(x, y, 3);
    DD[] exact = Exact.logSoftmax(x, 1.0);
    for (int j = 0; j < 3; j++) {
      assertTrue(Ulps.ofDouble(y[j], exact[j]) <= Bounds.LOG_SOFTMAX, "entry " + j + ": " + y[j] + " vs " + exact[j]);
    }
    assertEquals(-1.0342520348184068E308, y[0], Math.ulp(1e308));
  }

  /**
   * {@code x - max} beyond the range while its quotient by a temperature above 1 is not: the result was
   * -inf where the exact log-probability is -3.6e305.
   */
  @Test
  void logSoftmaxWithATemperatureBringsAGapBackIntoRange() {
    double[] x = {MAX, -MAX};
    double[] y = new double[2];
    Logits.logSoftmax(x, y, 2, 1000.0);
    assertEquals(-2 * (MAX / 1000), y[1], Math.ulp(3.6e305) * 2);
    assertEquals(0.0, y[0]);
  }

  /** Label smoothing weighs a gap of twice the largest double back into range: 1.8e307, not +inf. */
  @Test
  void smoothedLossNearTheTopOfTheRange() {
    double[] x = {MAX, -MAX, 0};
    double loss = CrossEntropy.sparse().labelSmoothing(0.1).loss(x, 3, new int[] {0});
    // (eps / 3) ((m - x1) + (m - x2)) plus terms of order log 3
    double expected = 0.1 / 3 * (2 * (MAX / 2) * 2 + MAX);
    assertTrue(Double.isFinite(loss), "loss " + loss);
    assertEquals(expected, loss, expected * 1e-15);
  }

  /** A class weight of 1/4 on a gap of twice the largest double: the loss is MAX/2, not +inf. */
  @Test
  void weightedLossNearTheTopOfTheRange() {
    double[] x = {MAX, -MAX};
    double loss = CrossEntropy.sparse().classWeights(new double[] {1, 0.25}).reduction(Reduction.SUM)
        .loss(x, 2, new int[] {1});
    assertEquals(MAX / 2, loss, Math.ulp(MAX));
  }

  /** A small dense target probability on a huge gap: 2e-3 MAX, finite. */
  @Test
  void denseTargetNearTheTopOfTheRange() {
    double[] x = {MAX, -MAX};
    double[] t = {1 - 1e-3, 1e-3};
    double[] out = new double[1];
    CrossEntropy.dense().rowLosses(x, 2, t, out);
    assertEquals(2e-3 * MAX, out[0], 2e-3 * MAX * 1e-15);
  }

  /** Three row losses of 0.9 MAX overflow their sum, not their mean. */
  @Test
  void meanOfRowLossesWhoseSumOverflows() {
    double[] x = {MAX * 0.45, -MAX * 0.45, MAX * 0.45, -MAX * 0.45, MAX * 0.45, -MAX * 0.45};
    int[] labels = {1, 1, 1};
    assertEquals(Double.POSITIVE_INFINITY, CrossEntropy.sparse().reduction(Reduction.SUM).loss(x, 2, labels));
    assertEquals(0.9 * MAX, CrossEntropy.sparse().loss(x, 2, labels), Math.ulp(MAX));
  }

  /** A row loss beyond the range, 1.9 MAX, beside a small one: their mean is 0.95 MAX. */
  @Test
  void meanWithARowLossBeyondTheRange() {
    double[] x = {MAX * 0.95, -MAX * 0.95, 0, 1};
    double[] out = new double[2];
    CrossEntropy.sparse().rowLosses(x, 2, new int[] {1, 1}, out);
    assertEquals(Double.POSITIVE_INFINITY, out[0], "the row loss itself is beyond the range");
    double mean = CrossEntropy.sparse().loss(x, 2, new int[] {1, 1});
    double expected = 0.95 * MAX + Math.log1p(Math.exp(-1)) / 2;
    assertEquals(expected, mean, Math.ulp(expected));
  }

  /** BCE with a posWeight whose loss, 3 MAX, overflows: +inf, not NaN. */
  @Test
  void bceWithPosWeightBeyondTheRange() {
    double[] x = {-MAX};
    double[] z = {1};
    double[] out = new double[1];
    BinaryCrossEntropy.withLogits().posWeight(new double[] {3}).elementLosses(x, 1, z, out);
    assertEquals(Double.POSITIVE_INFINITY, out[0]);
    assertEquals(Double.POSITIVE_INFINITY, BinaryCrossEntropy.withLogits().posWeight(new double[] {3}).loss(x, 1, z));
    // the mean of losses beyond the range, weighted back into it
    double[] w = {0.25, 0.25};
    double mean = BinaryCrossEntropy.withLogits().weights(w).loss(new double[] {MAX, MAX}, 2, new double[] {0, 0});
    assertEquals(0.25 * MAX, mean, Math.ulp(0.25 * MAX));
  }
}
