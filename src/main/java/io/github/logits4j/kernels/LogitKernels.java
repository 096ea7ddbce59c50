package io.github.logits4j.kernels;

/**
 * Row-wise kernels over a row-major {@code [rows x cols]} batch: the one small interface behind
 * {@link io.github.logits4j.Logits}.
 *
 * <p>There are two implementations: {@link io.github.logits4j.reference.ScalarReference}, plain Java that
 * is both the tests' oracle and the fallback, and {@link PanamaLogitKernels} on the JDK Vector API.
 * {@link KernelProvider} picks one per JVM.
 *
 * <p>Implementations trust their arguments. The public API validates ranges, lengths, {@code k} and the
 * temperature before a kernel runs, so a kernel never throws on bad input and never writes half a result.
 * Every method is stateless and safe to call from many threads at once.
 */
public interface LogitKernels {

  /** A short name for logs and reports, e.g. {@code "panama-512"} or {@code "scalar"}. */
  String name();

  /** Row-wise softmax of {@code x / temperature}; {@code y} may be {@code x} at the same offset. */
  void softmax(float[] x, int xOffset, float[] y, int yOffset, int rows, int cols, float temperature);

  /** Row-wise softmax of {@code x / temperature}; {@code y} may be {@code x} at the same offset. */
  void softmax(double[] x, int xOffset, double[] y, int yOffset, int rows, int cols, double temperature);

  /** Row-wise log-softmax of {@code x / temperature}; {@code y} may be {@code x} at the same offset. */
  void logSoftmax(float[] x, int xOffset, float[] y, int yOffset, int rows, int cols, float temperature);

  /** Row-wise log-softmax of {@code x / temperature}; {@code y} may be {@code x} at the same offset. */
  void logSoftmax(double[] x, int xOffset, double[] y, int yOffset, int rows, int cols, double temperature);

  /** {@code out[outOffset + r] = log(sum_j exp(x[r][j]))}. */
  void logSumExp(float[] x, int xOffset, float[] out, int outOffset, int rows, int cols);

  /** {@code out[outOffset + r] = log(sum_j exp(x[r][j]))}. */
  void logSumExp(double[] x, int xOffset, double[] out, int outOffset, int rows, int cols);

  /**
   * The fast mode of softmax ({@link io.github.logits4j.FastLogits}): {@code x - max} rounded, plain
   * sums. The default is the accurate kernel, which is within the fast mode's bounds too.
   */
  default void softmaxFast(float[] x, int xOffset, float[] y, int yOffset, int rows, int cols) {
    softmax(x, xOffset, y, yOffset, rows, cols, 1f);
  }

  /** The fast mode of softmax, double. */
  default void softmaxFast(double[] x, int xOffset, double[] y, int yOffset, int rows, int cols) {
    softmax(x, xOffset, y, yOffset, rows, cols, 1.0);
  }

  /** The fast mode of log-softmax: {@code x - (max + log(s))}. */
  default void logSoftmaxFast(float[] x, int xOffset, float[] y, int yOffset, int rows, int cols) {
    logSoftmax(x, xOffset, y, yOffset, rows, cols, 1f);
  }

  /** The fast mode of log-softmax, double. */
  default void logSoftmaxFast(double[] x, int xOffset, double[] y, int yOffset, int rows, int cols) {
    logSoftmax(x, xOffset, y, yOffset, rows, cols, 1.0);
  }

  /** The fast mode of log-sum-exp: {@code max + log(s)}. */
  default void logSumExpFast(float[] x, int xOffset, float[] out, int outOffset, int rows, int cols) {
    logSumExp(x, xOffset, out, outOffset, rows, cols);
  }

  /** The fast mode of log-sum-exp, double. */
  default void logSumExpFast(double[] x, int xOffset, double[] out, int outOffset, int rows, int cols) {
    logSumExp(x, xOffset, out, outOffset, rows, cols);
  }

  /** Index of the row maximum; ties go to the lowest index, the first NaN wins. */
  void argmax(float[] x, int xOffset, int[] out, int outOffset, int rows, int cols);

  /** Index of the row maximum; ties go to the lowest index, the first NaN wins. */
  void argmax(double[] x, int xOffset, int[] out, int outOffset, int rows, int cols);

  /** The {@code k} largest entries of each row in descending order, ties to the lower index. */
  void topK(float[] x, int xOffset, int rows, int cols, int k,
      int[] indices, int indicesOffset, float[] values, int valuesOffset);

  /** The {@code k} largest entries of each row in descending order, ties to the lower index. */
  void topK(double[] x, int xOffset, int rows, int cols, int k,
      int[] indices, int indicesOffset, double[] values, int valuesOffset);
}
