package io.github.logits4j.kernels;

/**
 * Row-wise losses from logits and their gradients: the second small interface, with the scalar reference
 * ({@link io.github.logits4j.reference.ScalarLosses}) and the Vector API kernels
 * ({@link PanamaLossKernels}) beside it. Arguments are validated by {@link io.github.logits4j.CrossEntropy}
 * and {@link io.github.logits4j.BinaryCrossEntropy} before a kernel runs; weights arrays may be
 * {@code null}, meaning all ones.
 *
 * <p>Row kernels return the row's loss as a double. When {@code grad} is not null they also write
 * {@code gradScale} times the gradient of that loss with respect to the row's logits.
 */
public interface LossKernels {

  /**
   * Sparse cross-entropy of one row with label smoothing {@code eps}:
   * {@code (1-eps) * w[label] * nll(label) + (eps/n) * sum_c w[c] * nll(c)}, {@code nll(c) = -log softmax(x)[c]},
   * times {@code 2^-shift}. A shift of 0 is the loss itself; 64 serves a mean whose sum of row losses, or
   * one of them, is beyond the double range (then {@code grad} is null).
   */
  double sparseRow(float[] x, int xo, int n, int label, float[] weights, double eps, float[] grad, int go,
      double gradScale, int shift);

  /** Double-precision {@link #sparseRow(float[], int, int, int, float[], double, float[], int, double, int)}. */
  double sparseRow(double[] x, int xo, int n, int label, double[] weights, double eps, double[] grad, int go,
      double gradScale, int shift);

  /**
   * Dense cross-entropy of one row against the probability row {@code t}, smoothed to
   * {@code (1-eps) t + eps/n}: {@code sum_c w[c] * t'[c] * nll(c)}, where a zero target contributes nothing;
   * times {@code 2^-shift} as for the sparse row.
   */
  double denseRow(float[] x, int xo, int n, float[] t, int to, float[] weights, double eps, float[] grad, int go,
      double gradScale, int shift);

  /** Double-precision {@link #denseRow(float[], int, int, float[], int, float[], double, float[], int, double, int)}. */
  double denseRow(double[] x, int xo, int n, double[] t, int to, double[] weights, double eps, double[] grad,
      int go, double gradScale, int shift);

  /**
   * Binary cross-entropy with logits over {@code rows x cols} elements:
   * {@code w * [(1-z) x + (1 + (pw-1) z) * softplus(-x)]}. {@code posWeight} is indexed by column,
   * {@code weights} by element (from 0). Writes each element's loss to {@code out} when not null, and
   * {@code gradScale} times each element's gradient to {@code grad}. Returns the sum over all elements
   * divided by {@code divisor}: the whole reduction in one call, so that a double sum is rounded once.
   */
  double bceRows(float[] x, int xo, int rows, int cols, float[] z, int zo, float[] posWeight, float[] weights,
      float[] out, int oo, float[] grad, int go, double gradScale, double divisor);

  /** Double-precision {@link #bceRows(float[], int, int, int, float[], int, float[], float[], float[], int, float[], int, double, double)}. */
  double bceRows(double[] x, int xo, int rows, int cols, double[] z, int zo, double[] posWeight, double[] weights,
      double[] out, int oo, double[] grad, int go, double gradScale, double divisor);

  /** {@code y = 1 / (1 + exp(-x))}, elementwise. */
  void sigmoid(float[] x, int xo, float[] y, int yo, int count);

  /** {@code y = 1 / (1 + exp(-x))}, elementwise. */
  void sigmoid(double[] x, int xo, double[] y, int yo, int count);

  /** {@code y = log(sigmoid(x)) = -softplus(-x)}, elementwise. */
  void logSigmoid(float[] x, int xo, float[] y, int yo, int count);

  /** {@code y = log(sigmoid(x)) = -softplus(-x)}, elementwise. */
  void logSigmoid(double[] x, int xo, double[] y, int yo, int count);
}
