package io.github.logits4j;

import io.github.logits4j.gen.Batch;

/**
 * The documented error bounds, in ulps of the output type against the exact result. One place, so the
 * README table, the javadoc and the tests cannot drift apart.
 *
 * <p>The vector kernels meet fixed bounds. The scalar fallback, the textbook reference, meets the float
 * bounds (it computes in double) but not the double ones: it rounds {@code x - max}, and an exponential
 * turns that rounding into a relative error of {@code |x - max|} half-ulps. Its double bounds therefore
 * grow with the spread of the row, and the suite holds it to exactly that.
 */
final class Bounds {
  private Bounds() {}

  static final boolean SCALAR = Logits.implementation().equals("scalar");

  /** Softmax outputs below the smallest normal: two subnormal ulps, absolute. */
  static final double SOFTMAX_SUBNORMAL = 2;

  /** The bound for a softmax output below the smallest normal, in subnormal ulps. */
  static double softmaxSubnormal(Batch b, double[] row, int j, double temperature) {
    if (SCALAR && !b.isFloat()) {
      return SOFTMAX_SUBNORMAL + roundingOfShift(Math.abs(row[j] - max(row)), temperature);
    }
    return SOFTMAX_SUBNORMAL;
  }

  /** Softmax outputs at or above the smallest normal. */
  static double softmax(Batch b, double[] row, int j, double temperature) {
    if (SCALAR && !b.isFloat()) {
      return 4 + roundingOfShift(Math.abs(row[j] - max(row)), temperature);
    }
    return 3;
  }

  /** The largest softmax bound in a row. */
  static double softmax(Batch b, double[] row, double temperature) {
    return SCALAR && !b.isFloat() ? 4 + roundingOfShift(spread(row), temperature) : 3;
  }

  static double logSoftmax(Batch b, double[] row, double temperature) {
    return SCALAR && !b.isFloat() ? 4 + roundingOfShift(spread(row), temperature) : 3;
  }

  /**
   * The reference's {@code (x - max) / T} carries a rounding of half an ulp for the subtraction and half
   * for the division; exp turns an absolute error {@code e} into a relative one, which is up to
   * {@code 2^53 e} ulps of the result: about {@code |x - max| + |x - max| / T} ulps.
   */
  private static double roundingOfShift(double distance, double temperature) {
    return Math.min(1e300, 2 * (distance + distance / temperature));
  }

  /**
   * Log-sum-exp: 1 ulp for float. For double, {@code max + log(s)} cancels when the maximum is negative and
   * close to {@code -log(s)}, magnifying the error of {@code log(s)} by {@code |log(s) / result|}.
   */
  static double logSumExp(Batch b, double[] row, double exactResult) {
    if (b.isFloat()) {
      return 1;
    }
    double logS = exactResult - max(row);
    double magnification = logS == 0 ? 0 : Math.abs(logS / exactResult);
    double logSError = SCALAR ? 2 + spread(row) : 2;
    return 1 + logSError * magnification;
  }

  /**
   * Per-row sparse cross-entropy: 2 ulps for float, 3 for double. The scalar fallback's double
   * exponentials inherit the rounding of {@code x - max}, as for softmax.
   */
  static double rowLoss(Batch b, double[] row) {
    if (b.isFloat()) {
      return 2;
    }
    return SCALAR ? 3 + roundingOfShift(spread(row), 1.0) : 3;
  }

  static double max(double[] row) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : row) {
      m = Math.max(m, v);
    }
    return m;
  }

  /** The largest finite distance below the row maximum. */
  static double spread(double[] row) {
    double m = max(row), s = 0;
    for (double v : row) {
      if (v != Double.NEGATIVE_INFINITY) {
        s = Math.max(s, m - v);
      }
    }
    return Math.min(s, 1e300);
  }
}
