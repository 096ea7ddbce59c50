package io.github.logits4j.kernels;

import java.util.Arrays;

/**
 * Cross-entropy from double logits, one row at a time: {@code nll(c) = (max - x[c]) + log1p(s)} with the
 * vector log-softmax pieces of {@link SoftmaxF64}, and, with a gradient, the row's probabilities from its
 * exponential pass turned into {@code scale * (A p - B)}.
 */
final class CrossEntropyF64 {
  private CrossEntropyF64() {}

  static double sparseRow(double[] x, int xo, int n, int label, double[] w, double eps, double[] grad, int go,
      double scale) {
    double m = RowMax.max(x, xo, n);
    if (!Double.isFinite(m)) {
      if (grad != null) {
        Arrays.fill(grad, go, go + n, Double.NaN);
      }
      return Double.NaN;
    }
    double wLabel = w == null ? 1 : w[label];
    double weightSum = 0;
    for (int c = 0; c < n; c++) {
      weightSum += w == null ? 1 : w[c];
    }
    double lambda = SoftmaxF64.log1pOthers(x, xo, n, m, 1.0, 0.0);
    if (grad != null) {
      SoftmaxF64.expStoreNormalize(x, xo, grad, go, n, m, 1.0, 0.0, m - ExpF64.CUTOFF);
      double a = scale * ((1 - eps) * wLabel + eps / n * weightSum), b = scale * eps / n;
      for (int c = 0; c < n; c++) {
        grad[go + c] = Math.fma(grad[go + c], a, -b * (w == null ? 1 : w[c]));
      }
      grad[go + label] -= scale * (1 - eps) * wLabel;
    }
    double loss = (1 - eps) * wLabel * ((m - x[xo + label]) + lambda);
    if (eps > 0) {
      double gap = 0;
      for (int c = 0; c < n; c++) {
        gap += (w == null ? 1 : w[c]) * (m - x[xo + c]);
      }
      loss += eps / n * (gap + weightSum * lambda);
    }
    return loss;
  }

  static double denseRow(double[] x, int xo, int n, double[] t, int to, double[] w, double eps, double[] grad,
      int go, double scale) {
    double m = RowMax.max(x, xo, n);
    if (!Double.isFinite(m)) {
      if (grad != null) {
        Arrays.fill(grad, go, go + n, Double.NaN);
      }
      return Double.NaN;
    }
    double mass = 0, gap = 0;
    for (int c = 0; c < n; c++) {
      double weight = (w == null ? 1 : w[c]) * ((1 - eps) * t[to + c] + eps / n);
      mass += weight;
      if (weight != 0) {
        gap += weight * (m - x[xo + c]);  // a zero target adds nothing, even where x is -inf
      }
    }
    double lambda = SoftmaxF64.log1pOthers(x, xo, n, m, 1.0, 0.0);
    if (grad != null) {
      SoftmaxF64.expStoreNormalize(x, xo, grad, go, n, m, 1.0, 0.0, m - ExpF64.CUTOFF);
      for (int c = 0; c < n; c++) {
        double target = (1 - eps) * t[to + c] + eps / n;
        grad[go + c] = scale * Math.fma(grad[go + c], mass, -(w == null ? 1 : w[c]) * target);
      }
    }
    return gap + mass * lambda;
  }
}
