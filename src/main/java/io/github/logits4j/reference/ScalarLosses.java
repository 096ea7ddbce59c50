package io.github.logits4j.reference;

import io.github.logits4j.kernels.LossKernels;

/**
 * The scalar reference for the losses: the textbook formulas in double, row by row. It is the tests'
 * oracle for the loss kernels and the fallback without the vector module.
 *
 * <p>Cross-entropy uses {@code nll(c) = (max - x[c]) + log1p(s)}, with {@code s} the sum of
 * {@code exp(x - max)} over the entries below the maximum plus the surplus of ties, so a confident row's
 * tiny loss keeps its relative accuracy. Binary cross-entropy uses the stable
 * {@code softplus(-x) = log1p(exp(-|x|)) + max(-x, 0)}.
 */
public final class ScalarLosses implements LossKernels {

  /** The single, stateless instance. */
  public static final ScalarLosses INSTANCE = new ScalarLosses();

  private ScalarLosses() {}

  // ---------------------------------------------------------------------------------- cross-entropy

  @Override
  public double sparseRow(float[] x, int xo, int n, int label, float[] weights, double eps, float[] grad, int go,
      double gradScale) {
    double[] row = new double[n];
    for (int j = 0; j < n; j++) {
      row[j] = x[xo + j];
    }
    double[] w = weights == null ? null : widen(weights);
    double[] g = grad == null ? null : new double[n];
    double loss = sparse(row, label, w, eps, g, gradScale);
    if (grad != null) {
      for (int j = 0; j < n; j++) {
        grad[go + j] = (float) g[j];
      }
    }
    return loss;
  }

  @Override
  public double sparseRow(double[] x, int xo, int n, int label, double[] weights, double eps, double[] grad, int go,
      double gradScale) {
    double[] row = java.util.Arrays.copyOfRange(x, xo, xo + n);
    double[] g = grad == null ? null : new double[n];
    double loss = sparse(row, label, weights, eps, g, gradScale);
    if (grad != null) {
      System.arraycopy(g, 0, grad, go, n);
    }
    return loss;
  }

  @Override
  public double denseRow(float[] x, int xo, int n, float[] t, int to, float[] weights, double eps, float[] grad,
      int go, double gradScale) {
    double[] row = new double[n], target = new double[n];
    for (int j = 0; j < n; j++) {
      row[j] = x[xo + j];
      target[j] = t[to + j];
    }
    double[] g = grad == null ? null : new double[n];
    double loss = dense(row, target, weights == null ? null : widen(weights), eps, g, gradScale);
    if (grad != null) {
      for (int j = 0; j < n; j++) {
        grad[go + j] = (float) g[j];
      }
    }
    return loss;
  }

  @Override
  public double denseRow(double[] x, int xo, int n, double[] t, int to, double[] weights, double eps,
      double[] grad, int go, double gradScale) {
    double[] row = java.util.Arrays.copyOfRange(x, xo, xo + n);
    double[] target = java.util.Arrays.copyOfRange(t, to, to + n);
    double[] g = grad == null ? null : new double[n];
    double loss = dense(row, target, weights, eps, g, gradScale);
    if (grad != null) {
      System.arraycopy(g, 0, grad, go, n);
    }
    return loss;
  }

  /** Row maximum (NaN with a NaN) and {@code log(sum exp(x - max))} as {@code log1p}. */
  private static double[] maxAndLogSum(double[] x) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      m = Math.max(m, v);
    }
    if (!Double.isFinite(m)) {
      return new double[] {m, Double.NaN};
    }
    double others = 0;
    int ties = 0;
    for (double v : x) {
      if (v == m) {
        ties++;
      } else {
        others += Math.exp(v - m);
      }
    }
    return new double[] {m, Math.log1p(others + (ties - 1))};
  }

  private static double sparse(double[] x, int label, double[] w, double eps, double[] grad, double gradScale) {
    int n = x.length;
    double[] ml = maxAndLogSum(x);
    double m = ml[0], logSum = ml[1];
    if (Double.isNaN(logSum)) {
      if (grad != null) {
        java.util.Arrays.fill(grad, Double.NaN);
      }
      return Double.NaN;
    }
    double wLabel = w == null ? 1 : w[label];
    double loss = (1 - eps) * wLabel * ((m - x[label]) + logSum);
    if (eps > 0) {
      double smooth = 0;
      for (int c = 0; c < n; c++) {
        smooth += (w == null ? 1 : w[c]) * ((m - x[c]) + logSum);
      }
      loss += eps / n * smooth;
    }
    if (grad != null) {
      double weightSum = 0;
      for (int c = 0; c < n; c++) {
        weightSum += w == null ? 1 : w[c];
      }
      for (int j = 0; j < n; j++) {
        double p = Math.exp((x[j] - m) - logSum);
        double wj = w == null ? 1 : w[j];
        double g = (1 - eps) * wLabel * (p - (j == label ? 1 : 0)) + eps / n * (weightSum * p - wj);
        grad[j] = gradScale * g;
      }
    }
    return loss;
  }

  private static double dense(double[] x, double[] t, double[] w, double eps, double[] grad, double gradScale) {
    int n = x.length;
    double[] ml = maxAndLogSum(x);
    double m = ml[0], logSum = ml[1];
    if (Double.isNaN(logSum)) {
      if (grad != null) {
        java.util.Arrays.fill(grad, Double.NaN);
      }
      return Double.NaN;
    }
    double loss = 0, mass = 0;
    for (int c = 0; c < n; c++) {
      double target = (1 - eps) * t[c] + eps / n;
      double wt = (w == null ? 1 : w[c]) * target;
      mass += wt;
      if (wt != 0) {
        loss += wt * ((m - x[c]) + logSum);  // a zero target adds nothing, even where x is -inf
      }
    }
    if (grad != null) {
      for (int j = 0; j < n; j++) {
        double p = Math.exp((x[j] - m) - logSum);
        double target = (1 - eps) * t[j] + eps / n;
        grad[j] = gradScale * (mass * p - (w == null ? 1 : w[j]) * target);
      }
    }
    return loss;
  }

  // ---------------------------------------------------------------------------------- binary cross-entropy

  @Override
  public double bceRows(float[] x, int xo, int rows, int cols, float[] z, int zo, float[] posWeight,
      float[] weights, float[] out, int oo, float[] grad, int go, double gradScale, double divisor) {
    double sum = 0;
    for (int i = 0; i < rows * cols; i++) {
      double pw = posWeight == null ? 1 : posWeight[i % cols];
      double w = weights == null ? 1 : weights[i];
      double l = bce(x[xo + i], z[zo + i], pw, w);
      sum += l;
      if (out != null) {
        out[oo + i] = (float) l;
      }
      if (grad != null) {
        grad[go + i] = (float) (gradScale * bceGradient(x[xo + i], z[zo + i], pw, w));
      }
    }
    return sum / divisor;
  }

  @Override
  public double bceRows(double[] x, int xo, int rows, int cols, double[] z, int zo, double[] posWeight,
      double[] weights, double[] out, int oo, double[] grad, int go, double gradScale, double divisor) {
    double sum = 0;
    for (int i = 0; i < rows * cols; i++) {
      double pw = posWeight == null ? 1 : posWeight[i % cols];
      double w = weights == null ? 1 : weights[i];
      double l = bce(x[xo + i], z[zo + i], pw, w);
      sum += l;
      if (out != null) {
        out[oo + i] = l;
      }
      if (grad != null) {
        grad[go + i] = gradScale * bceGradient(x[xo + i], z[zo + i], pw, w);
      }
    }
    return sum / divisor;
  }

  /**
   * {@code w * [(1-z) x + lw softplus(-x)]}, {@code lw = 1 + (pw-1) z}, with
   * {@code softplus(-x) = log1p(exp(-|x|)) + max(-x, 0)}. The linear parts are gathered first,
   * {@code (1-z) x} for {@code x >= 0} and {@code -pw z x} below, so that no large terms cancel around a
   * tiny loss. At infinite {@code x} the terms that are 0 times infinity are 0: the loss is 0 when the
   * logit agrees with the target and +inf otherwise.
   */
  static double bce(double x, double z, double pw, double w) {
    double lw = 1 + (pw - 1) * z;
    if (x == Double.NEGATIVE_INFINITY) {
      return z == 0 ? 0 : Double.POSITIVE_INFINITY;
    }
    if (x == Double.POSITIVE_INFINITY) {
      return z == 1 ? 0 : Double.POSITIVE_INFINITY;
    }
    double linear = x >= 0 ? (1 - z) * x : -pw * z * x;
    return w * (lw * Math.log1p(Math.exp(-Math.abs(x))) + linear);
  }

  /** {@code d/dx}: {@code w * [(1-z) - lw * sigmoid(-x)]}. */
  static double bceGradient(double x, double z, double pw, double w) {
    double lw = 1 + (pw - 1) * z;
    double e = Math.exp(-Math.abs(x));
    double sigmoidNeg = x >= 0 ? e / (1 + e) : 1 / (1 + e);
    return w * ((1 - z) - lw * sigmoidNeg);
  }

  @Override
  public void sigmoid(float[] x, int xo, float[] y, int yo, int count) {
    for (int j = 0; j < count; j++) {
      y[yo + j] = (float) sigmoid(x[xo + j]);
    }
  }

  @Override
  public void sigmoid(double[] x, int xo, double[] y, int yo, int count) {
    for (int j = 0; j < count; j++) {
      y[yo + j] = sigmoid(x[xo + j]);
    }
  }

  @Override
  public void logSigmoid(float[] x, int xo, float[] y, int yo, int count) {
    for (int j = 0; j < count; j++) {
      y[yo + j] = (float) logSigmoid(x[xo + j]);
    }
  }

  @Override
  public void logSigmoid(double[] x, int xo, double[] y, int yo, int count) {
    for (int j = 0; j < count; j++) {
      y[yo + j] = logSigmoid(x[xo + j]);
    }
  }

  static double sigmoid(double x) {
    double e = Math.exp(-Math.abs(x));
    return x >= 0 ? 1 / (1 + e) : e / (1 + e);
  }

  static double logSigmoid(double x) {
    return -(Math.log1p(Math.exp(-Math.abs(x))) + Math.max(-x, 0));
  }

  private static double[] widen(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
