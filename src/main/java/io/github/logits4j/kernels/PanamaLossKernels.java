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
      double gradScale) {
    return CrossEntropyF32.sparseRow(x, xo, n, label, weights, eps, grad, go, gradScale);
  }

  @Override
  public double sparseRow(double[] x, int xo, int n, int label, double[] weights, double eps, double[] grad, int go,
      double gradScale) {
    return CrossEntropyF64.sparseRow(x, xo, n, label, weights, eps, grad, go, gradScale);
  }

  @Override
  public double denseRow(float[] x, int xo, int n, float[] t, int to, float[] weights, double eps, float[] grad,
      int go, double gradScale) {
    return CrossEntropyF32.denseRow(x, xo, n, t, to, weights, eps, grad, go, gradScale);
  }

  @Override
  public double denseRow(double[] x, int xo, int n, double[] t, int to, double[] weights, double eps,
      double[] grad, int go, double gradScale) {
    return CrossEntropyF64.denseRow(x, xo, n, t, to, weights, eps, grad, go, gradScale);
  }

  @Override
  public double bceRow(float[] x, int xo, int n, float[] z, int zo, float[] posWeight, float[] weights, int wo,
      float[] out, int oo, float[] grad, int go, double gradScale) {
    return BinaryCrossEntropyKernels.bceRow(x, xo, n, z, zo, posWeight, weights, wo, out, oo, grad, go, gradScale);
  }

  @Override
  public double bceRow(double[] x, int xo, int n, double[] z, int zo, double[] posWeight, double[] weights, int wo,
      double[] out, int oo, double[] grad, int go, double gradScale) {
    return BinaryCrossEntropyKernels.bceRow(x, xo, n, z, zo, posWeight, weights, wo, out, oo, grad, go, gradScale);
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
