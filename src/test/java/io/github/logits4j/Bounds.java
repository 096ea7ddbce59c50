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

  /**
   * Softmax outputs below the smallest normal, absolute, in subnormal ulps, both dtypes. For float, a row
   * with an output just below the smallest normal is computed in double (SoftmaxF32.accurateRow): the
   * stored float exponential of the general passes, within 0.569 of its own ulp, would add up to 0.569
   * subnormal ulps there to the final rounding's 0.5.
   */
  static final double SOFTMAX_SUBNORMAL = 1;
  static final double SOFTMAX_SUBNORMAL_DOUBLE = 1;
  /** Softmax outputs at or above the smallest normal, both dtypes. */
  static final double SOFTMAX = 2;
  /** Log-softmax, both dtypes, entries near 0 included. */
  static final double LOG_SOFTMAX = 2;
  /** Log-sum-exp, both dtypes. */
  static final double LOG_SUM_EXP = 1;
  /** Per-row sparse cross-entropy and per-element BCE with logits, both dtypes, tiny losses included. */
  static final double ROW_LOSS = 2;
  /** Reduced (SUM or MEAN) losses, for any row count up to 10^7. */
  static final double REDUCED_LOSS = 2;
  /** Elementwise sigmoid and log-sigmoid, both dtypes. */
  static final double SIGMOID = 1;

  /** The bound for a softmax output below the smallest normal, in subnormal ulps. */
  static double softmaxSubnormal(Batch b, double[] row, int j, double temperature) {
    if (SCALAR && !b.isFloat()) {
      return 2 + roundingOfShift(Math.abs(row[j] - max(row)), temperature);
    }
    return b.isFloat() ? SOFTMAX_SUBNORMAL : SOFTMAX_SUBNORMAL_DOUBLE;
  }

  /** Softmax outputs at or above the smallest normal. */
  static double softmax(Batch b, double[] row, int j, double temperature) {
    if (SCALAR && !b.isFloat()) {
      return 4 + roundingOfShift(Math.abs(row[j] - max(row)), temperature);
    }
    return SOFTMAX;
  }

  /** The largest softmax bound in a row. */
  static double softmax(Batch b, double[] row, double temperature) {
    return SCALAR && !b.isFloat() ? 4 + roundingOfShift(spread(row), temperature) : SOFTMAX;
  }

  /**
   * Log-softmax. The scalar fallback forms {@code log(s)} rather than {@code log1p(s - 1)}: for float
   * output it still computes in double, which keeps it within 3 ulps; its double results lose the low
   * bits of the sum of a confident row and are held to the magnified bound only.
   */
  static double logSoftmax(Batch b, double[] row, double temperature) {
    if (SCALAR) {
      return b.isFloat() ? 3 : 4 + roundingOfShift(spread(row), temperature);
    }
    return LOG_SOFTMAX;
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
   * Log-sum-exp: 1 ulp. The scalar fallback's double {@code max + log(s)} cancels when the maximum is
   * negative and close to {@code -log(s)}, magnifying the error of {@code log(s)} by
   * {@code |log(s) / result|}; the suite holds it to exactly that.
   */
  static double logSumExp(Batch b, double[] row, double exactResult) {
    if (!SCALAR || b.isFloat()) {
      return LOG_SUM_EXP;
    }
    double logS = exactResult - max(row);
    double magnification = logS == 0 ? 0 : Math.abs(logS / exactResult);
    return 1 + (2 + spread(row)) * magnification;
  }

  /**
   * Per-row sparse cross-entropy: 2 ulps. The scalar fallback's double exponentials inherit the
   * rounding of {@code x - max}, as for softmax.
   */
  static double rowLoss(Batch b, double[] row) {
    if (!SCALAR || b.isFloat()) {
      return ROW_LOSS;
    }
    // and a half ulp for each of the row's weighted terms, summed plainly
    return 3 + row.length + roundingOfShift(spread(row), 1.0);
  }

  static double max(double[] row) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : row) {
      m = Math.max(m, v);
    }
    return m;
  }

  /** The largest finite distance below the row maximum; 0 for a row whose maximum is not finite. */
  static double spread(double[] row) {
    double m = max(row), s = 0;
    if (!Double.isFinite(m)) {
      return 0;
    }
    for (double v : row) {
      if (v != Double.NEGATIVE_INFINITY) {
        s = Math.max(s, m - v);
      }
    }
    return Math.min(s, 1e300);
  }

  // ------------------------------------------------------------------------- the rest of the matrix

  /**
   * The fast mode's softmax: {@code |x_j - m| + n + 4} ulps, and half that plus 1 subnormal ulps below
   * the smallest normal (FastLogits' class description).
   */
  static double fastSoftmax(double[] row, int j, boolean subnormal) {
    double distance = row[j] == Double.NEGATIVE_INFINITY ? 0 : Math.min(1e300, max(row) - row[j]);
    double bound = distance + row.length + 4;
    return subnormal ? bound / 2 + 1 : bound;
  }

  /**
   * Sigmoid: 1 ulp; the scalar fallback's double sigmoid, {@code 1/(1 + exp(-x))} in double, 3: the
   * exponential's ulp, the sum's and the quotient's half ulps.
   */
  static double sigmoid(boolean isFloat) {
    return SCALAR && !isFloat ? 3 : SIGMOID;
  }

  /** Log-sigmoid: 1 ulp; the scalar fallback's double {@code -(log1p(exp(-|x|)) + max(-x, 0))}, 3. */
  static double logSigmoid(boolean isFloat) {
    return SCALAR && !isFloat ? 3 : SIGMOID;
  }

  /**
   * A reduced cross-entropy (SUM, MEAN), in ulps of the dtype at the exact result: 2. The scalar
   * fallback's double rows carry their own bounds, and its running sum half an ulp per row.
   */
  static double reducedLoss(Batch b) {
    if (!SCALAR || b.isFloat()) {
      return REDUCED_LOSS;
    }
    double sum = b.rows();
    for (int r = 0; r < b.rows(); r++) {
      sum += rowLoss(b, b.row(r));
    }
    return sum;
  }

  /** A reduced BCE over {@code n} elements: 2 ulps; the scalar fallback's double sum, n half-ulps more. */
  static double reducedBce(Batch b, int n) {
    return SCALAR && !b.isFloat() ? REDUCED_LOSS + 3 * n : REDUCED_LOSS;
  }

  /**
   * A BCE element loss: 2 ulps, tiny losses included. The scalar fallback's double loss,
   * {@code (w lw) log1p(exp(-|x|)) + (w f) x}, rounds each product and the exponential: 4.
   */
  static double bceElement(Batch b, double x, double z, io.github.logits4j.oracle.DD exact) {
    return SCALAR && !b.isFloat() ? 4 : ROW_LOSS;
  }

  /**
   * A cross-entropy gradient entry {@code scale (A p_j - w_j)}: within {@code GRADIENT u} of the sum of
   * the magnitudes of its two terms, {@code u} the unit roundoff of the dtype. The scalar fallback's
   * double probabilities inherit the rounding of {@code x - max}, as its softmax does.
   */
  static double gradient(Batch b, double[] row) {
    if (!SCALAR || b.isFloat()) {
      return GRADIENT;
    }
    // its probabilities exp((x - m) - log s) round the argument once more, with log s up to log n, and its
    // plain sums of n terms (s, the mass of the weights) carry up to n half-ulps
    return GRADIENT + row.length + roundingOfShift(spread(row) + Math.log(row.length), 1.0);
  }

  /** A BCE gradient entry {@code w ((1 - z) - lw sigmoid(-x))}, scaled: as {@link #gradient}. */
  static double bceGradient(Batch b) {
    return GRADIENT;
  }

  /**
   * The absolute part of a gradient entry's bound, in subnormal ulps of the dtype: a probability (or a
   * sigmoid) below the smallest normal carries up to 1 subnormal ulp, which its factor in the gradient
   * ({@code scale A}, or {@code scale w lw}) multiplies; the entry's own rounding adds half more.
   */
  static double gradientSubnormal(double factor) {
    return factor + 1;
  }

  /** Gradient entries, in units of {@code u} times the magnitude of their terms. */
  static final double GRADIENT = 6;
}
