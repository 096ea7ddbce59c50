package io.github.logits4j.kernels;

/**
 * {@link LossKernels} on the JDK Vector API: cross-entropy fused with log-softmax
 * ({@link CrossEntropyF32}, {@link CrossEntropyF64}) and binary cross-entropy, sigmoid and log-sigmoid
 * ({@link BinaryCrossEntropyKernels}). Loaded by {@link KernelProvider} only when the vector module is
 * readable.
 */
public final class PanamaLossKernels implements LossKernels {

  /** The single, stateless instance. */
  public static final PanamaLossKernels INSTANCE = new PanamaLossKernels();

  private PanamaLossKernels() {}

  @Override
  public double sparseRow(float[] x, int xo, int n, int label, float[] weights, double eps, float[] grad, int go,
      double gradScale, int shift) {
    return Math.scalb(CrossEntropyF32.sparseRow(x, xo, n, label, weights, eps, grad, go, gradScale), -shift);
  }

  @Override
  public double sparseRow(double[] x, int xo, int n, int label, double[] weights, double eps, double[] grad, int go,
      double gradScale, int shift) {
    return CrossEntropyF64.sparseRow(x, xo, n, label, weights, eps, grad, go, gradScale, shift);
  }

  @Override
  public double denseRow(float[] x, int xo, int n, float[] t, int to, float[] weights, double eps, float[] grad,
      int go, double gradScale, int shift) {
    return Math.scalb(CrossEntropyF32.denseRow(x, xo, n, t, to, weights, eps, grad, go, gradScale), -shift);
  }

  @Override
  public double denseRow(double[] x, int xo, int n, double[] t, int to, double[] weights, double eps,
      double[] grad, int go, double gradScale, int shift) {
    return CrossEntropyF64.denseRow(x, xo, n, t, to, weights, eps, grad, go, gradScale, shift);
  }

  @Override
  public double bceRows(float[] x, int xo, int rows, int cols, float[] z, int zo, float[] posWeight,
      float[] weights, float[] out, int oo, float[] grad, int go, double gradScale, double divisor) {
    if (posWeight == null) {
      // every element is independent: one pass over the whole batch, whatever the row width
      return BinaryCrossEntropyKernels.bceRow(x, xo, rows * cols, z, zo, null, weights, 0, out, oo, grad, go,
          gradScale) / divisor;
    }
    double total = 0;
    for (int r = 0; r < rows; r++) {
      int at = r * cols;
      total += BinaryCrossEntropyKernels.bceRow(x, xo + at, cols, z, zo + at, posWeight, weights, at, out,
          oo + at, grad, go + at, gradScale);
    }
    return total / divisor;
  }

  @Override
  public double bceRows(double[] x, int xo, int rows, int cols, double[] z, int zo, double[] posWeight,
      double[] weights, double[] out, int oo, double[] grad, int go, double gradScale, double divisor) {
    return LogisticF64.bceRows(x, xo, rows, cols, z, zo, posWeight, weights, out, oo, grad, go, gradScale, divisor);
  }

  @Override
  public void sigmoid(float[] x, int xo, float[] y, int yo, int count) {
    BinaryCrossEntropyKernels.sigmoid(x, xo, y, yo, count);
  }

  @Override
  public void sigmoid(double[] x, int xo, double[] y, int yo, int count) {
    BinaryCrossEntropyKernels.sigmoid(x, xo, y, yo, count);
  }

  @Override
  public void logSigmoid(float[] x, int xo, float[] y, int yo, int count) {
    BinaryCrossEntropyKernels.logSigmoid(x, xo, y, yo, count);
  }

  @Override
  public void logSigmoid(double[] x, int xo, double[] y, int yo, int count) {
    BinaryCrossEntropyKernels.logSigmoid(x, xo, y, yo, count);
  }
}
