package io.github.logits4j.kernels;

import io.github.logits4j.reference.ScalarReference;

/**
 * {@link LogitKernels} on the JDK Vector API: loops over the rows and runs the row kernels of
 * {@link SoftmaxF32}, {@link SoftmaxF64}, {@link Argmax} and {@link TopK} at the width chosen by
 * {@link VectorWidth}.
 *
 * <p>Loaded reflectively by {@link KernelProvider} only once {@code jdk.incubator.vector} is known to be
 * readable, so nothing outside this package links against the Vector API.
 */
public final class PanamaLogitKernels implements LogitKernels {

  /** The single, stateless instance. */
  public static final PanamaLogitKernels INSTANCE = new PanamaLogitKernels();

  /**
   * Temperatures whose reciprocal falls outside {@code [2^-100, 2^100]} go to the scalar reference: the
   * float split of {@code 1/T} would lose precision or overflow there, and such temperatures are far from
   * any practical use.
   */
  private static final double MIN_BETA = 0x1p-100, MAX_BETA = 0x1p100;

  private PanamaLogitKernels() {}

  /** Why the width property was ignored, or {@code null}. */
  public static String configurationProblem() {
    return VectorWidth.PROPERTY_PROBLEM;
  }

  @Override
  public String name() {
    return "panama-" + VectorWidth.SHAPE.vectorBitSize();
  }

  @Override
  public void softmax(float[] x, int xOffset, float[] y, int yOffset, int rows, int cols, float temperature) {
    if (temperature == 1f) {
      SoftmaxF32.softmaxRows(x, xOffset, y, yOffset, rows, cols);
      return;
    }
    double beta = 1.0 / temperature;
    if (!(beta >= MIN_BETA && beta <= MAX_BETA)) {
      ScalarReference.INSTANCE.softmax(x, xOffset, y, yOffset, rows, cols, temperature);
      return;
    }
    float betaHi = (float) beta, betaLo = (float) (beta - betaHi);
    for (int r = 0; r < rows; r++) {
      SoftmaxF32.softmax(x, xOffset + r * cols, y, yOffset + r * cols, cols, beta, betaHi, betaLo);
    }
  }

  @Override
  public void logSoftmax(float[] x, int xOffset, float[] y, int yOffset, int rows, int cols, float temperature) {
    double beta = 1.0 / temperature;
    if (!(beta >= MIN_BETA && beta <= MAX_BETA)) {
      ScalarReference.INSTANCE.logSoftmax(x, xOffset, y, yOffset, rows, cols, temperature);
      return;
    }
    float betaHi = (float) beta, betaLo = (float) (beta - betaHi);
    for (int r = 0; r < rows; r++) {
      SoftmaxF32.logSoftmax(x, xOffset + r * cols, y, yOffset + r * cols, cols, beta, betaHi, betaLo);
    }
  }

  @Override
  public void logSumExp(float[] x, int xOffset, float[] out, int outOffset, int rows, int cols) {
    int r = cols < SoftmaxF64.NARROW ? RowBlocksF64.logSumExp(x, xOffset, out, outOffset, rows, cols) : 0;
    for (; r < rows; r++) {
      out[outOffset + r] = SoftmaxF32.logSumExp(x, xOffset + r * cols, cols);
    }
  }

  @Override
  public void softmax(double[] x, int xOffset, double[] y, int yOffset, int rows, int cols, double temperature) {
    double betaHi = 1.0 / temperature;
    if (!(betaHi >= MIN_BETA && betaHi <= MAX_BETA)) {
      ScalarReference.INSTANCE.softmax(x, xOffset, y, yOffset, rows, cols, temperature);
      return;
    }
    double betaLo = Math.fma(-betaHi, temperature, 1.0) / temperature;
    for (int r = 0; r < rows; r++) {
      SoftmaxF64.softmax(x, xOffset + r * cols, y, yOffset + r * cols, cols, betaHi, betaLo);
    }
  }

  @Override
  public void logSoftmax(double[] x, int xOffset, double[] y, int yOffset, int rows, int cols,
      double temperature) {
    double betaHi = 1.0 / temperature;
    if (!(betaHi >= MIN_BETA && betaHi <= MAX_BETA)) {
      ScalarReference.INSTANCE.logSoftmax(x, xOffset, y, yOffset, rows, cols, temperature);
      return;
    }
    double betaLo = Math.fma(-betaHi, temperature, 1.0) / temperature;
    int r = cols < SoftmaxF64.NARROW ? RowBlocksF64.logSoftmax(x, xOffset, y, yOffset, rows, cols, betaHi, betaLo) : 0;
    for (; r < rows; r++) {
      SoftmaxF64.logSoftmax(x, xOffset + r * cols, y, yOffset + r * cols, cols, betaHi, betaLo);
    }
  }

  @Override
  public void logSumExp(double[] x, int xOffset, double[] out, int outOffset, int rows, int cols) {
    int r = cols < SoftmaxF64.NARROW ? RowBlocksF64.logSumExp(x, xOffset, out, outOffset, rows, cols) : 0;
    for (; r < rows; r++) {
      out[outOffset + r] = SoftmaxF64.logSumExp(x, xOffset + r * cols, cols);
    }
  }

  @Override
  public void softmaxFast(float[] x, int xOffset, float[] y, int yOffset, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      FastSoftmax.softmax(x, xOffset + r * cols, y, yOffset + r * cols, cols);
    }
  }

  @Override
  public void softmaxFast(double[] x, int xOffset, double[] y, int yOffset, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      FastSoftmax.softmax(x, xOffset + r * cols, y, yOffset + r * cols, cols);
    }
  }

  @Override
  public void logSoftmaxFast(float[] x, int xOffset, float[] y, int yOffset, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      FastSoftmax.logSoftmax(x, xOffset + r * cols, y, yOffset + r * cols, cols);
    }
  }

  @Override
  public void logSoftmaxFast(double[] x, int xOffset, double[] y, int yOffset, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      FastSoftmax.logSoftmax(x, xOffset + r * cols, y, yOffset + r * cols, cols);
    }
  }

  @Override
  public void logSumExpFast(float[] x, int xOffset, float[] out, int outOffset, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      out[outOffset + r] = FastSoftmax.logSumExp(x, xOffset + r * cols, cols);
    }
  }

  @Override
  public void logSumExpFast(double[] x, int xOffset, double[] out, int outOffset, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      out[outOffset + r] = FastSoftmax.logSumExp(x, xOffset + r * cols, cols);
    }
  }

  @Override
  public void argmax(float[] x, int xOffset, int[] out, int outOffset, int rows, int cols) {
    if (cols < ArgmaxRowBlocks.FLOAT_NARROW) {
      // rows too narrow for the two vector passes go a block of rows at a time, the rest one by one
      int r = ArgmaxRowBlocks.argmax(x, xOffset, out, outOffset, rows, cols);
      ScalarReference.INSTANCE.argmax(x, xOffset + r * cols, out, outOffset + r, rows - r, cols);
      return;
    }
    for (int r = 0; r < rows; r++) {
      out[outOffset + r] = Argmax.argmax(x, xOffset + r * cols, cols);
    }
  }

  @Override
  public void argmax(double[] x, int xOffset, int[] out, int outOffset, int rows, int cols) {
    if (cols < ArgmaxRowBlocks.DOUBLE_NARROW) {
      int r = ArgmaxRowBlocks.argmax(x, xOffset, out, outOffset, rows, cols);
      ScalarReference.INSTANCE.argmax(x, xOffset + r * cols, out, outOffset + r, rows - r, cols);
      return;
    }
    for (int r = 0; r < rows; r++) {
      out[outOffset + r] = Argmax.argmax(x, xOffset + r * cols, cols);
    }
  }

  @Override
  public void topK(float[] x, int xOffset, int rows, int cols, int k,
      int[] indices, int indicesOffset, float[] values, int valuesOffset) {
    for (int r = 0; r < rows; r++) {
      TopK.topK(x, xOffset + r * cols, cols, k, indices, indicesOffset + r * k, values, valuesOffset + r * k);
    }
  }

  @Override
  public void topK(double[] x, int xOffset, int rows, int cols, int k,
      int[] indices, int indicesOffset, double[] values, int valuesOffset) {
    for (int r = 0; r < rows; r++) {
      TopK.topK(x, xOffset + r * cols, cols, k, indices, indicesOffset + r * k, values, valuesOffset + r * k);
    }
  }
}
