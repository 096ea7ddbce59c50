package io.github.logits4j.internal.reference;

/**
 * The scalar reference's losses: the textbook formulas in double, one row (or element) at a time, for
 * {@link ScalarReference}, the tests' oracle for the loss kernels and the fallback without the vector
 * module.
 *
 * <p>Cross-entropy uses {@code nll(c) = (max - x[c]) + log1p(s)}, with {@code s} the sum of
 * {@code exp(x - max)} over the entries below the maximum plus the surplus of ties, so a confident row's
 * tiny loss keeps its relative accuracy. Binary cross-entropy uses the stable
 * {@code softplus(-x) = log1p(exp(-|x|)) + max(-x, 0)}.
 */
final class ScalarLosses {
  private ScalarLosses() {}

  // ---------------------------------------------------------------------------------- cross-entropy

  /** The maximum of {@code x[0 .. n)}, NaN if one is NaN. */
  private static double rowMax(double[] x, int n) {
    double m = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < n; c++) {
      m = Math.max(m, x[c]);
    }
    return m;
  }

  /** {@code log(sum exp(x - m))} for the finite row maximum {@code m}, as {@code log1p}. */
  private static double logSum(double[] x, int n, double m) {
    double others = 0;
    int ties = 0;
    for (int c = 0; c < n; c++) {
      if (x[c] == m) {
        ties++;
      } else {
        others += Math.exp(x[c] - m);
      }
    }
    return Math.log1p(others + (ties - 1));
  }

  /**
   * The smoothed, weighted loss of the row {@code x[0 .. n)} against its label, and its gradient times
   * {@code gradScale} into {@code grad[0 .. n)} if not null. A row whose maximum is not finite has a NaN
   * loss and a NaN gradient. {@code weight} is room for {@code n} values; {@code w} (class weights) may
   * be null.
   */
  static double sparse(double[] x, int n, int label, double[] w, double eps, double[] grad, double gradScale,
      int shift, double[] weight) {
    double m = rowMax(x, n);
    if (!Double.isFinite(m)) {
      fillNaN(grad, n);
      return Double.NaN;
    }
    double logSum = logSum(x, n, m);
    double wLabel = w == null ? 1 : w[label];
    for (int c = 0; c < n; c++) {
      weight[c] = eps / n * (w == null ? 1 : w[c]) + (c == label ? (1 - eps) * wLabel : 0);
    }
    double loss = weightedNll(x, n, weight, m, logSum, shift);
    if (grad != null) {
      double weightSum = 0;
      for (int c = 0; c < n; c++) {
        weightSum += w == null ? 1 : w[c];
      }
      // scale (A p - B): the scale joins the factors before they meet p, which may lie below the
      // smallest normal, so that a small factor does not round p's product away before a large scale
      double a = gradScale * ((1 - eps) * wLabel + eps / n * weightSum);
      for (int j = 0; j < n; j++) {
        double p = Math.exp((x[j] - m) - logSum);
        double wj = w == null ? 1 : w[j];
        grad[j] = a * p - gradScale * ((j == label ? (1 - eps) * wLabel : 0) + eps / n * wj);
      }
    }
    return loss;
  }

  private static void fillNaN(double[] grad, int n) {
    if (grad != null) {
      java.util.Arrays.fill(grad, 0, n, Double.NaN);
    }
  }

  /**
   * {@code sum_c weight_c ((m - x_c) + logSum)} times {@code 2^-shift}, where a zero weight adds nothing
   * even at a -inf logit. Near the top of the range a gap {@code m - x_c} can exceed it while the weighted
   * sum does not: then, at shift 0, the sum is formed again at the scale 2^-64 and scaled back.
   */
  static double weightedNll(double[] x, int n, double[] weight, double m, double logSum, int shift) {
    if (shift != 0) {
      return weightedNll(x, n, weight, m, logSum, Math.scalb(1.0, -shift));
    }
    double loss = weightedNll(x, n, weight, m, logSum, 1.0);
    return Double.isInfinite(loss) ? Math.scalb(weightedNll(x, n, weight, m, logSum, 0x1p-64), 64) : loss;
  }

  private static double weightedNll(double[] x, int n, double[] weight, double m, double logSum, double scale) {
    double loss = 0;
    for (int c = 0; c < n; c++) {
      if (weight[c] != 0) {
        loss += weight[c] * ((m * scale - x[c] * scale) + logSum * scale);
      }
    }
    return loss;
  }

  /** The dense twin of {@link #sparse}: the row against the probability row {@code t[0 .. n)}. */
  static double dense(double[] x, int n, double[] t, double[] w, double eps, double[] grad, double gradScale,
      int shift, double[] weight) {
    double m = rowMax(x, n);
    if (!Double.isFinite(m)) {
      fillNaN(grad, n);
      return Double.NaN;
    }
    double logSum = logSum(x, n, m);
    double mass = 0;
    for (int c = 0; c < n; c++) {
      double target = (1 - eps) * t[c] + eps / n;
      weight[c] = (w == null ? 1 : w[c]) * target;
      mass += weight[c];
    }
    double loss = weightedNll(x, n, weight, m, logSum, shift);  // a zero target adds nothing, even where x is -inf
    if (grad != null) {
      for (int j = 0; j < n; j++) {
        double p = Math.exp((x[j] - m) - logSum);
        double target = (1 - eps) * t[j] + eps / n;
        grad[j] = (gradScale * mass) * p - gradScale * ((w == null ? 1 : w[j]) * target);
      }
    }
    return loss;
  }

  // ---------------------------------------------------------------------------------- binary cross-entropy

  /**
   * {@code w * [(1-z) x + lw softplus(-x)]}, {@code lw = (1-z) + pw z}, with
   * {@code softplus(-x) = log1p(exp(-|x|)) + max(-x, 0)}. The linear parts are gathered first,
   * {@code (1-z) x} for {@code x >= 0} and {@code -pw z x} below, so that no large terms cancel around a
   * tiny loss. At infinite {@code x} the terms that are 0 times infinity are 0: the loss is 0 when the
   * logit agrees with the target and +inf otherwise.
   */
  static double bce(double x, double z, double pw, double w) {
    double lw = (1 - z) + pw * z;
    if (x == Double.NEGATIVE_INFINITY) {
      return z == 0 ? 0 : Double.POSITIVE_INFINITY;
    }
    if (x == Double.POSITIVE_INFINITY) {
      return z == 1 ? 0 : Double.POSITIVE_INFINITY;
    }
    // the weight multiplies each part before x does, so that a small weight keeps a loss near the top of
    // the range finite
    double factor = x >= 0 ? 1 - z : -pw * z;
    return (w * lw) * Math.log1p(Math.exp(-Math.abs(x))) + (w * factor) * x;
  }

  /** {@code d/dx}: {@code w * [(1-z) - lw * sigmoid(-x)]}. */
  static double bceGradient(double x, double z, double pw, double w) {
    double lw = (1 - z) + pw * z;
    double e = Math.exp(-Math.abs(x));
    double sigmoidNeg = x >= 0 ? e / (1 + e) : 1 / (1 + e);
    return w * ((1 - z) - lw * sigmoidNeg);
  }

  static double sigmoid(double x) {
    double e = Math.exp(-Math.abs(x));
    return x >= 0 ? 1 / (1 + e) : e / (1 + e);
  }

  static double logSigmoid(double x) {
    return -(Math.log1p(Math.exp(-Math.abs(x))) + Math.max(-x, 0));
  }

}
