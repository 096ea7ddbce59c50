package io.github.logits4j;

import io.github.logits4j.kernels.KernelProvider;
import io.github.logits4j.kernels.LogitKernels;
import io.github.logits4j.kernels.LossKernels;

/**
 * Row-wise activations of logit matrices: softmax, log-softmax, log-sum-exp, argmax and top-k, and the
 * elementwise sigmoid and log-sigmoid. Losses are in {@link CrossEntropy} and {@link BinaryCrossEntropy}.
 *
 * <p>A batch is a row-major {@code [rows x cols]} matrix in a {@code float[]} or {@code double[]}; every
 * operation works row by row. Each operation has a short form over whole arrays ({@code rows} is
 * {@code x.length / cols}) and a form with offsets and an explicit row count.
 *
 * <p><b>Numerics.</b> Softmax and its relatives never overflow for finite input, logits of
 * {@code +-3e38} included: the row maximum is factored out through the exponent of the exponential
 * rather than by forming {@code x - max}, sums are compensated, and log-softmax and log-sum-exp use
 * {@code log1p} of the sum of the non-maximal terms. Error bounds, in ulps of the output type against the
 * exact result for the given inputs (below the smallest normal, in subnormal ulps), are stated on each
 * method and in the README, and are enforced by the test suite on every finite input up to the largest
 * finite value; a result beyond the range is the infinity of its sign. In place and out of place give
 * the same bits, and so do the offset forms and the plain ones.
 *
 * <p><b>Special values</b> follow PyTorch. A row holding NaN or +inf, or only -inf, gives a NaN row from
 * softmax and log-softmax. Log-sum-exp is NaN for a row with NaN, +inf for a row with +inf and no NaN,
 * and -inf for an all -inf row. In a row whose maximum is finite, -inf entries get probability exactly 0
 * and log-probability -inf (masking).
 *
 * <p><b>Arguments.</b> Bad arguments throw {@link IllegalArgumentException} ({@link NullPointerException}
 * for null) naming the argument and its value, before anything is written: {@code cols <= 0}, negative or
 * out-of-range offsets or row counts, a length that is not a multiple of {@code cols}, an output that is
 * too short, {@code k} outside {@code 1..cols}, a temperature that is not finite and {@code > 0}. An
 * output may be the input array at the same offset (in place); a different, overlapping offset is
 * rejected.
 *
 * <p><b>Threads and memory.</b> All methods are static and stateless, safe to call concurrently, and
 * allocate nothing.
 *
 * <p><b>Vector API.</b> The kernels use {@code jdk.incubator.vector}; start the JVM with
 * {@code --add-modules jdk.incubator.vector}. Without it every method still works, after one logged
 * warning, on the scalar reference: its float results meet the bounds stated here, its double results
 * are textbook double arithmetic, whose error grows with the spread and the length of a row (README).
 */
public final class Logits {
  static final LogitKernels KERNELS = KernelProvider.kernels();
  private static final LossKernels LOSSES = KernelProvider.losses();

  private Logits() {}

  /**
   * The kernels in use in this JVM, e.g. {@code "panama-512"} for 512-bit Vector API kernels or
   * {@code "scalar"} for the fallback.
   *
   * @return the implementation name
   */
  public static String implementation() {
    return KERNELS.name();
  }

  // =============================================================================================== softmax

  /**
   * Row-wise softmax: {@code y[r][j] = exp(x[r][j]) / sum_k exp(x[r][k])}. Every output is in
   * {@code [0, 1]}. Error: at most 2 ulp for each output at or above the smallest normal, and 1 subnormal
   * ulp below it (a row with outputs just under the smallest normal, where the stored float exponential's
   * own error would show, is computed in double and each output rounded once).
   *
   * @param x logits, {@code rows*cols} values with {@code rows = x.length / cols}
   * @param y output, at least {@code x.length} long; may be {@code x} itself
   * @param cols row length, {@code > 0}, dividing {@code x.length}
   * @throws IllegalArgumentException for a bad shape or a short output
   * @throws NullPointerException if an array is null
   */
  public static void softmax(float[] x, float[] y, int cols) {
    Checks.notNull(x, "x");
    Checks.notNull(y, "y");
    int rows = Checks.rowsOf(x.length, cols, "x");
    softmax(x, 0, y, 0, rows, cols);
  }

  /**
   * Row-wise softmax over {@code rows} rows starting at the given offsets. Bounds as in
   * {@link #softmax(float[], float[], int)}.
   *
   * @param x logits
   * @param xOffset index of the first logit
   * @param y output; may be {@code x} at the same offset
   * @param yOffset index of the first output
   * @param rows number of rows, {@code >= 0}
   * @param cols row length, {@code > 0}
   * @throws IllegalArgumentException for a bad offset, row count or column count, or a short array
   * @throws NullPointerException if an array is null
   */
  public static void softmax(float[] x, int xOffset, float[] y, int yOffset, int rows, int cols) {
    checkRows(x, xOffset, y, yOffset, rows, cols);
    KERNELS.softmax(x, xOffset, y, yOffset, rows, cols, 1f);
  }

  /**
   * Row-wise softmax of {@code x / temperature}, fused into the same passes. Bounds as in
   * {@link #softmax(float[], float[], int)}.
   *
   * @param x logits
   * @param y output, at least {@code x.length} long; may be {@code x}
   * @param cols row length, {@code > 0}, dividing {@code x.length}
   * @param temperature finite and {@code > 0}; 1 is plain softmax
   * @throws IllegalArgumentException for a bad shape, a short output or a bad temperature
   * @throws NullPointerException if an array is null
   */
  public static void softmax(float[] x, float[] y, int cols, float temperature) {
    Checks.notNull(x, "x");
    Checks.notNull(y, "y");
    int rows = Checks.rowsOf(x.length, cols, "x");
    softmax(x, 0, y, 0, rows, cols, temperature);
  }

  /**
   * Row-wise softmax of {@code x / temperature} over {@code rows} rows at the given offsets. Bounds as in
   * {@link #softmax(float[], float[], int)}.
   *
   * @param x logits
   * @param xOffset index of the first logit
   * @param y output; may be {@code x} at the same offset
   * @param yOffset index of the first output
   * @param rows number of rows, {@code >= 0}
   * @param cols row length, {@code > 0}
   * @param temperature finite and {@code > 0}
   * @throws IllegalArgumentException for bad offsets, counts, a short array or a bad temperature
   * @throws NullPointerException if an array is null
   */
  public static void softmax(float[] x, int xOffset, float[] y, int yOffset, int rows, int cols,
      float temperature) {
    checkRows(x, xOffset, y, yOffset, rows, cols);
    Checks.temperature(temperature);
    KERNELS.softmax(x, xOffset, y, yOffset, rows, cols, temperature);
  }

  /**
   * Row-wise softmax of double logits: {@code y[r][j] = exp(x[r][j]) / sum_k exp(x[r][k])}. Error: at most
   * 2 ulp for each output at or above the smallest normal, and 1 subnormal ulp below it.
   *
   * @param x logits, {@code rows*cols} values with {@code rows = x.length / cols}
   * @param y output, at least {@code x.length} long; may be {@code x} itself
   * @param cols row length, {@code > 0}, dividing {@code x.length}
   * @throws IllegalArgumentException for a bad shape or a short output
   * @throws NullPointerException if an array is null
   */
  public static void softmax(double[] x, double[] y, int cols) {
    Checks.notNull(x, "x");
    Checks.notNull(y, "y");
    int rows = Checks.rowsOf(x.length, cols, "x");
    softmax(x, 0, y, 0, rows, cols);
  }

  /**
   * Row-wise softmax of double logits over {@code rows} rows at the given offsets. Bounds as in
   * {@link #softmax(double[], double[], int)}.
   *
   * @param x logits
   * @param xOffset index of the first logit
   * @param y output; may be {@code x} at the same offset
   * @param yOffset index of the first output
   * @param rows number of rows, {@code >= 0}
   * @param cols row length, {@code > 0}
   * @throws IllegalArgumentException for a bad offset, row count or column count, or a short array
   * @throws NullPointerException if an array is null
   */
  public static void softmax(double[] x, int xOffset, double[] y, int yOffset, int rows, int cols) {
    checkRows(x, xOffset, y, yOffset, rows, cols);
    KERNELS.softmax(x, xOffset, y, yOffset, rows, cols, 1.0);
  }

  /**
   * Row-wise softmax of {@code x / temperature} for double logits. Bounds as in
   * {@link #softmax(double[], double[], int)}.
   *
   * @param x logits
   * @param y output, at least {@code x.length} long; may be {@code x}
   * @param cols row length, {@code > 0}, dividing {@code x.length}
   * @param temperature finite and {@code > 0}
   * @throws IllegalArgumentException for a bad shape, a short output or a bad temperature
   * @throws NullPointerException if an array is null
   */
  public static void softmax(double[] x, double[] y, int cols, double temperature) {
    Checks.notNull(x, "x");
    Checks.notNull(y, "y");
    int rows = Checks.rowsOf(x.length, cols, "x");
    softmax(x, 0, y, 0, rows, cols, temperature);
  }

  /**
   * Row-wise softmax of {@code x / temperature} for double logits at the given offsets. Bounds as in
   * {@link #softmax(double[], double[], int)}.
   *
   * @param x logits
   * @param xOffset index of the first logit
   * @param y output; may be {@code x} at the same offset
   * @param yOffset index of the first output
   * @param rows number of rows, {@code >= 0}
   * @param cols row length, {@code > 0}
   * @param temperature finite and {@code > 0}
   * @throws IllegalArgumentException for bad offsets, counts, a short array or a bad temperature
   * @throws NullPointerException if an array is null
   */
  public static void softmax(double[] x, int xOffset, double[] y, int yOffset, int rows, int cols,
      double temperature) {
    checkRows(x, xOffset, y, yOffset, rows, cols);
    Checks.temperature(temperature);
    KERNELS.softmax(x, xOffset, y, yOffset, rows, cols, temperature);
  }

  // =========================================================================================== log-softmax

  /**
   * Row-wise log-softmax: {@code y[r][j] = x[r][j] - log(sum_k exp(x[r][k]))}. Error: at most 2 ulp, including
   * entries near 0 such as the maximum of a confident row.
   *
   * @param x logits, {@code rows*cols} values with {@code rows = x.length / cols}
   * @param y output, at least {@code x.length} long; may be {@code x} itself
   * @param cols row length, {@code > 0}, dividing {@code x.length}
   * @throws IllegalArgumentException for a bad shape or a short output
   * @throws NullPointerException if an array is null
   */
  public static void logSoftmax(float[] x, float[] y, int cols) {
    Checks.notNull(x, "x");
    Checks.notNull(y, "y");
    int rows = Checks.rowsOf(x.length, cols, "x");
    logSoftmax(x, 0, y, 0, rows, cols);
  }

  /**
   * Row-wise log-softmax over {@code rows} rows at the given offsets. Bounds as in
   * {@link #logSoftmax(float[], float[], int)}.
   *
   * @param x logits
   * @param xOffset index of the first logit
   * @param y output; may be {@code x} at the same offset
   * @param yOffset index of the first output
   * @param rows number of rows, {@code >= 0}
   * @param cols row length, {@code > 0}
   * @throws IllegalArgumentException for a bad offset, row count or column count, or a short array
   * @throws NullPointerException if an array is null
   */
  public static void logSoftmax(float[] x, int xOffset, float[] y, int yOffset, int rows, int cols) {
    checkRows(x, xOffset, y, yOffset, rows, cols);
    KERNELS.logSoftmax(x, xOffset, y, yOffset, rows, cols, 1f);
  }

  /**
   * Row-wise log-softmax of {@code x / temperature}, fused into the same passes. Bounds as in
   * {@link #logSoftmax(float[], float[], int)}.
   *
   * @param x logits
   * @param y output, at least {@code x.length} long; may be {@code x}
   * @param cols row length, {@code > 0}, dividing {@code x.length}
   * @param temperature finite and {@code > 0}
   * @throws IllegalArgumentException for a bad shape, a short output or a bad temperature
   * @throws NullPointerException if an array is null
   */
  public static void logSoftmax(float[] x, float[] y, int cols, float temperature) {
    Checks.notNull(x, "x");
    Checks.notNull(y, "y");
    int rows = Checks.rowsOf(x.length, cols, "x");
    logSoftmax(x, 0, y, 0, rows, cols, temperature);
  }

  /**
   * Row-wise log-softmax of {@code x / temperature} at the given offsets. Bounds as in
   * {@link #logSoftmax(float[], float[], int)}.
   *
   * @param x logits
   * @param xOffset index of the first logit
   * @param y output; may be {@code x} at the same offset
   * @param yOffset index of the first output
   * @param rows number of rows, {@code >= 0}
   * @param cols row length, {@code > 0}
   * @param temperature finite and {@code > 0}
   * @throws IllegalArgumentException for bad offsets, counts, a short array or a bad temperature
   * @throws NullPointerException if an array is null
   */
  public static void logSoftmax(float[] x, int xOffset, float[] y, int yOffset, int rows, int cols,
      float temperature) {
    checkRows(x, xOffset, y, yOffset, rows, cols);
    Checks.temperature(temperature);
    KERNELS.logSoftmax(x, xOffset, y, yOffset, rows, cols, temperature);
  }

  /**
   * Row-wise log-softmax of double logits. Error: at most 2 ulp, including entries near 0 such as the
   * maximum of a confident row.
   *
   * @param x logits, {@code rows*cols} values with {@code rows = x.length / cols}
   * @param y output, at least {@code x.length} long; may be {@code x} itself
   * @param cols row length, {@code > 0}, dividing {@code x.length}
   * @throws IllegalArgumentException for a bad shape or a short output
   * @throws NullPointerException if an array is null
   */
  public static void logSoftmax(double[] x, double[] y, int cols) {
    Checks.notNull(x, "x");
    Checks.notNull(y, "y");
    int rows = Checks.rowsOf(x.length, cols, "x");
    logSoftmax(x, 0, y, 0, rows, cols);
  }

  /**
   * Row-wise log-softmax of double logits at the given offsets. Bounds as in
   * {@link #logSoftmax(double[], double[], int)}.
   *
   * @param x logits
   * @param xOffset index of the first logit
   * @param y output; may be {@code x} at the same offset
   * @param yOffset index of the first output
   * @param rows number of rows, {@code >= 0}
   * @param cols row length, {@code > 0}
   * @throws IllegalArgumentException for a bad offset, row count or column count, or a short array
   * @throws NullPointerException if an array is null
   */
  public static void logSoftmax(double[] x, int xOffset, double[] y, int yOffset, int rows, int cols) {
    checkRows(x, xOffset, y, yOffset, rows, cols);
    KERNELS.logSoftmax(x, xOffset, y, yOffset, rows, cols, 1.0);
  }

  /**
   * Row-wise log-softmax of {@code x / temperature} for double logits. Bounds as in
   * {@link #logSoftmax(double[], double[], int)}.
   *
   * @param x logits
   * @param y output, at least {@code x.length} long; may be {@code x}
   * @param cols row length, {@code > 0}, dividing {@code x.length}
   * @param temperature finite and {@code > 0}
   * @throws IllegalArgumentException for a bad shape, a short output or a bad temperature
   * @throws NullPointerException if an array is null
   */
  public static void logSoftmax(double[] x, double[] y, int cols, double temperature) {
    Checks.notNull(x, "x");
    Checks.notNull(y, "y");
    int rows = Checks.rowsOf(x.length, cols, "x");
    logSoftmax(x, 0, y, 0, rows, cols, temperature);
  }

  /**
   * Row-wise log-softmax of {@code x / temperature} for double logits at the given offsets. Bounds as in
   * {@link #logSoftmax(double[], double[], int)}.
   *
   * @param x logits
   * @param xOffset index of the first logit
   * @param y output; may be {@code x} at the same offset
   * @param yOffset index of the first output
   * @param rows number of rows, {@code >= 0}
   * @param cols row length, {@code > 0}
   * @param temperature finite and {@code > 0}
   * @throws IllegalArgumentException for bad offsets, counts, a short array or a bad temperature
   * @throws NullPointerException if an array is null
   */
  public static void logSoftmax(double[] x, int xOffset, double[] y, int yOffset, int rows, int cols,
      double temperature) {
    checkRows(x, xOffset, y, yOffset, rows, cols);
    Checks.temperature(temperature);
    KERNELS.logSoftmax(x, xOffset, y, yOffset, rows, cols, temperature);
  }

  // =========================================================================================== log-sum-exp

  /**
   * Row-wise log-sum-exp: {@code out[r] = log(sum_j exp(x[r][j]))}. Error: at most 1 ulp.
   *
   * @param x logits, {@code rows*cols} values with {@code rows = x.length / cols}
   * @param cols row length, {@code > 0}, dividing {@code x.length}
   * @param out one value per row, at least {@code rows} long
   * @throws IllegalArgumentException for a bad shape or a short output
   * @throws NullPointerException if an array is null
   */
  public static void logSumExp(float[] x, int cols, float[] out) {
    Checks.notNull(x, "x");
    Checks.notNull(out, "out");
    int rows = Checks.rowsOf(x.length, cols, "x");
    logSumExp(x, 0, out, 0, rows, cols);
  }

  /**
   * Row-wise log-sum-exp of {@code rows} rows at the given offsets. Bounds as in
   * {@link #logSumExp(float[], int, float[])}.
   *
   * @param x logits
   * @param xOffset index of the first logit
   * @param out one value per row
   * @param outOffset index of the first output
   * @param rows number of rows, {@code >= 0}
   * @param cols row length, {@code > 0}
   * @throws IllegalArgumentException for a bad offset, row count or column count, or a short array
   * @throws NullPointerException if an array is null
   */
  public static void logSumExp(float[] x, int xOffset, float[] out, int outOffset, int rows, int cols) {
    checkPerRow(x, xOffset, out, outOffset, rows, cols);
    KERNELS.logSumExp(x, xOffset, out, outOffset, rows, cols);
  }

  /**
   * Row-wise log-sum-exp of double logits. Error: at most 1 ulp.
   *
   * @param x logits, {@code rows*cols} values with {@code rows = x.length / cols}
   * @param cols row length, {@code > 0}, dividing {@code x.length}
   * @param out one value per row, at least {@code rows} long
   * @throws IllegalArgumentException for a bad shape or a short output
   * @throws NullPointerException if an array is null
   */
  public static void logSumExp(double[] x, int cols, double[] out) {
    Checks.notNull(x, "x");
    Checks.notNull(out, "out");
    int rows = Checks.rowsOf(x.length, cols, "x");
    logSumExp(x, 0, out, 0, rows, cols);
  }

  /**
   * Row-wise log-sum-exp of double logits at the given offsets. Bounds as in
   * {@link #logSumExp(double[], int, double[])}.
   *
   * @param x logits
   * @param xOffset index of the first logit
   * @param out one value per row
   * @param outOffset index of the first output
   * @param rows number of rows, {@code >= 0}
   * @param cols row length, {@code > 0}
   * @throws IllegalArgumentException for a bad offset, row count or column count, or a short array
   * @throws NullPointerException if an array is null
   */
  public static void logSumExp(double[] x, int xOffset, double[] out, int outOffset, int rows, int cols) {
    checkPerRow(x, xOffset, out, outOffset, rows, cols);
    KERNELS.logSumExp(x, xOffset, out, outOffset, rows, cols);
  }

  // ================================================================================================ argmax

  /**
   * Row-wise argmax, the predicted class: no softmax is needed, since softmax is monotonic. Ties go to
   * the lowest index; values compare numerically, so +0.0 and -0.0 tie; NaN counts as the maximum and the
   * first NaN wins, as in {@code numpy.argmax}. Exact: no value is computed, only compared.
   *
   * @param x logits, {@code rows*cols} values with {@code rows = x.length / cols}
   * @param cols row length, {@code > 0}, dividing {@code x.length}
   * @param out one index per row, at least {@code rows} long
   * @throws IllegalArgumentException for a bad shape or a short output
   * @throws NullPointerException if an array is null
   */
  public static void argmax(float[] x, int cols, int[] out) {
    Checks.notNull(x, "x");
    Checks.notNull(out, "out");
    int rows = Checks.rowsOf(x.length, cols, "x");
    argmax(x, 0, out, 0, rows, cols);
  }

  /**
   * Row-wise argmax at the given offsets; semantics as in {@link #argmax(float[], int, int[])}.
   *
   * @param x logits
   * @param xOffset index of the first logit
   * @param out one index per row
   * @param outOffset index of the first output
   * @param rows number of rows, {@code >= 0}
   * @param cols row length, {@code > 0}
   * @throws IllegalArgumentException for a bad offset, row count or column count, or a short array
   * @throws NullPointerException if an array is null
   */
  public static void argmax(float[] x, int xOffset, int[] out, int outOffset, int rows, int cols) {
    checkPerRow(x, xOffset, out, outOffset, rows, cols);
    KERNELS.argmax(x, xOffset, out, outOffset, rows, cols);
  }

  /**
   * Row-wise argmax of double logits; semantics as in {@link #argmax(float[], int, int[])}.
   *
   * @param x logits, {@code rows*cols} values with {@code rows = x.length / cols}
   * @param cols row length, {@code > 0}, dividing {@code x.length}
   * @param out one index per row, at least {@code rows} long
   * @throws IllegalArgumentException for a bad shape or a short output
   * @throws NullPointerException if an array is null
   */
  public static void argmax(double[] x, int cols, int[] out) {
    Checks.notNull(x, "x");
    Checks.notNull(out, "out");
    int rows = Checks.rowsOf(x.length, cols, "x");
    argmax(x, 0, out, 0, rows, cols);
  }

  /**
   * Row-wise argmax of double logits at the given offsets; semantics as in
   * {@link #argmax(float[], int, int[])}.
   *
   * @param x logits
   * @param xOffset index of the first logit
   * @param out one index per row
   * @param outOffset index of the first output
   * @param rows number of rows, {@code >= 0}
   * @param cols row length, {@code > 0}
   * @throws IllegalArgumentException for a bad offset, row count or column count, or a short array
   * @throws NullPointerException if an array is null
   */
  public static void argmax(double[] x, int xOffset, int[] out, int outOffset, int rows, int cols) {
    checkPerRow(x, xOffset, out, outOffset, rows, cols);
    KERNELS.argmax(x, xOffset, out, outOffset, rows, cols);
  }

  // ================================================================================================= top-k

  /**
   * Row-wise top-k: the {@code k} largest entries of each row, in descending order, written row by row
   * ({@code k} per row) to {@code indices} and {@code values}. Ties go to the lower index first; values
   * compare numerically; NaN ranks above every number, earlier NaNs first. Exact: {@code values[i]} is
   * {@code x} at {@code indices[i]}, bit for bit.
   *
   * @param x logits, {@code rows*cols} values with {@code rows = x.length / cols}
   * @param cols row length, {@code > 0}, dividing {@code x.length}
   * @param k entries per row, in {@code 1..cols}
   * @param indices column indices, at least {@code rows*k} long
   * @param values the selected logits, at least {@code rows*k} long
   * @throws IllegalArgumentException for a bad shape, a bad {@code k} or a short output
   * @throws NullPointerException if an array is null
   */
  public static void topK(float[] x, int cols, int k, int[] indices, float[] values) {
    Checks.notNull(x, "x");
    int rows = Checks.rowsOf(x.length, cols, "x");
    topK(x, 0, rows, cols, k, indices, 0, values, 0);
  }

  /**
   * Row-wise top-k at the given offsets; semantics as in {@link #topK(float[], int, int, int[], float[])}.
   *
   * @param x logits
   * @param xOffset index of the first logit
   * @param rows number of rows, {@code >= 0}
   * @param cols row length, {@code > 0}
   * @param k entries per row, in {@code 1..cols}
   * @param indices column indices, {@code rows*k} from {@code indicesOffset}
   * @param indicesOffset index of the first column index
   * @param values the selected logits, {@code rows*k} from {@code valuesOffset}
   * @param valuesOffset index of the first value
   * @throws IllegalArgumentException for bad offsets, counts, a bad {@code k} or a short array
   * @throws NullPointerException if an array is null
   */
  public static void topK(float[] x, int xOffset, int rows, int cols, int k,
      int[] indices, int indicesOffset, float[] values, int valuesOffset) {
    Checks.notNull(x, "x");
    Checks.notNull(indices, "indices");
    Checks.notNull(values, "values");
    Checks.batch(x.length, xOffset, rows, cols, "x", "xOffset");
    Checks.k(k, cols);
    Checks.range(indices.length, indicesOffset, (long) rows * k, "indices", "indicesOffset");
    Checks.range(values.length, valuesOffset, (long) rows * k, "values", "valuesOffset");
    KERNELS.topK(x, xOffset, rows, cols, k, indices, indicesOffset, values, valuesOffset);
  }

  /**
   * Row-wise top-k of double logits; semantics as in {@link #topK(float[], int, int, int[], float[])}.
   *
   * @param x logits, {@code rows*cols} values with {@code rows = x.length / cols}
   * @param cols row length, {@code > 0}, dividing {@code x.length}
   * @param k entries per row, in {@code 1..cols}
   * @param indices column indices, at least {@code rows*k} long
   * @param values the selected logits, at least {@code rows*k} long
   * @throws IllegalArgumentException for a bad shape, a bad {@code k} or a short output
   * @throws NullPointerException if an array is null
   */
  public static void topK(double[] x, int cols, int k, int[] indices, double[] values) {
    Checks.notNull(x, "x");
    int rows = Checks.rowsOf(x.length, cols, "x");
    topK(x, 0, rows, cols, k, indices, 0, values, 0);
  }

  /**
   * Row-wise top-k of double logits at the given offsets; semantics as in
   * {@link #topK(float[], int, int, int[], float[])}.
   *
   * @param x logits
   * @param xOffset index of the first logit
   * @param rows number of rows, {@code >= 0}
   * @param cols row length, {@code > 0}
   * @param k entries per row, in {@code 1..cols}
   * @param indices column indices, {@code rows*k} from {@code indicesOffset}
   * @param indicesOffset index of the first column index
   * @param values the selected logits, {@code rows*k} from {@code valuesOffset}
   * @param valuesOffset index of the first value
   * @throws IllegalArgumentException for bad offsets, counts, a bad {@code k} or a short array
   * @throws NullPointerException if an array is null
   */
  public static void topK(double[] x, int xOffset, int rows, int cols, int k,
      int[] indices, int indicesOffset, double[] values, int valuesOffset) {
    Checks.notNull(x, "x");
    Checks.notNull(indices, "indices");
    Checks.notNull(values, "values");
    Checks.batch(x.length, xOffset, rows, cols, "x", "xOffset");
    Checks.k(k, cols);
    Checks.range(indices.length, indicesOffset, (long) rows * k, "indices", "indicesOffset");
    Checks.range(values.length, valuesOffset, (long) rows * k, "values", "valuesOffset");
    KERNELS.topK(x, xOffset, rows, cols, k, indices, indicesOffset, values, valuesOffset);
  }

  // ====================================================================================== sigmoid family

  /**
   * Elementwise sigmoid {@code y = 1 / (1 + exp(-x))}, stable for every {@code x}. Error: at most 1 ulp,
   * computed in double and rounded once, so below -88.7 the float result is the subnormal it should be
   * rather than 0.
   *
   * @param x inputs
   * @param y outputs, at least {@code x.length} long; may be {@code x}
   * @throws IllegalArgumentException if {@code y} is too short
   * @throws NullPointerException if an array is null
   */
  public static void sigmoid(float[] x, float[] y) {
    Checks.notNull(x, "x");
    sigmoid(x, 0, y, 0, x.length);
  }

  /**
   * Elementwise sigmoid of {@code count} values at the given offsets. Bounds as in
   * {@link #sigmoid(float[], float[])}.
   *
   * @param x inputs
   * @param xOffset index of the first input
   * @param y outputs; may be {@code x} at the same offset
   * @param yOffset index of the first output
   * @param count number of values, {@code >= 0}
   * @throws IllegalArgumentException for bad offsets or counts
   * @throws NullPointerException if an array is null
   */
  public static void sigmoid(float[] x, int xOffset, float[] y, int yOffset, int count) {
    checkElementwise(x, xOffset, y, yOffset, count);
    LOSSES.sigmoid(x, xOffset, y, yOffset, count);
  }

  /**
   * Elementwise sigmoid of doubles. Error: at most 1 ulp.
   *
   * @param x inputs
   * @param y outputs, at least {@code x.length} long; may be {@code x}
   * @throws IllegalArgumentException if {@code y} is too short
   * @throws NullPointerException if an array is null
   */
  public static void sigmoid(double[] x, double[] y) {
    Checks.notNull(x, "x");
    sigmoid(x, 0, y, 0, x.length);
  }

  /**
   * Elementwise sigmoid of doubles at the given offsets. Bounds as in {@link #sigmoid(double[], double[])}.
   *
   * @param x inputs
   * @param xOffset index of the first input
   * @param y outputs; may be {@code x} at the same offset
   * @param yOffset index of the first output
   * @param count number of values, {@code >= 0}
   * @throws IllegalArgumentException for bad offsets or counts
   * @throws NullPointerException if an array is null
   */
  public static void sigmoid(double[] x, int xOffset, double[] y, int yOffset, int count) {
    checkElementwise(x, xOffset, y, yOffset, count);
    LOSSES.sigmoid(x, xOffset, y, yOffset, count);
  }

  /**
   * Elementwise log-sigmoid {@code y = log(sigmoid(x)) = -softplus(-x)}, stable for every {@code x}: about
   * {@code x} for very negative {@code x}, about {@code -exp(-x)} for large {@code x}. Error: at most 1 ulp.
   *
   * @param x inputs
   * @param y outputs, at least {@code x.length} long; may be {@code x}
   * @throws IllegalArgumentException if {@code y} is too short
   * @throws NullPointerException if an array is null
   */
  public static void logSigmoid(float[] x, float[] y) {
    Checks.notNull(x, "x");
    logSigmoid(x, 0, y, 0, x.length);
  }

  /**
   * Elementwise log-sigmoid at the given offsets. Bounds as in {@link #logSigmoid(float[], float[])}.
   *
   * @param x inputs
   * @param xOffset index of the first input
   * @param y outputs; may be {@code x} at the same offset
   * @param yOffset index of the first output
   * @param count number of values, {@code >= 0}
   * @throws IllegalArgumentException for bad offsets or counts
   * @throws NullPointerException if an array is null
   */
  public static void logSigmoid(float[] x, int xOffset, float[] y, int yOffset, int count) {
    checkElementwise(x, xOffset, y, yOffset, count);
    LOSSES.logSigmoid(x, xOffset, y, yOffset, count);
  }

  /**
   * Elementwise log-sigmoid of doubles. Error: at most 1 ulp.
   *
   * @param x inputs
   * @param y outputs, at least {@code x.length} long; may be {@code x}
   * @throws IllegalArgumentException if {@code y} is too short
   * @throws NullPointerException if an array is null
   */
  public static void logSigmoid(double[] x, double[] y) {
    Checks.notNull(x, "x");
    logSigmoid(x, 0, y, 0, x.length);
  }

  /**
   * Elementwise log-sigmoid of doubles at the given offsets. Bounds as in
   * {@link #logSigmoid(double[], double[])}.
   *
   * @param x inputs
   * @param xOffset index of the first input
   * @param y outputs; may be {@code x} at the same offset
   * @param yOffset index of the first output
   * @param count number of values, {@code >= 0}
   * @throws IllegalArgumentException for bad offsets or counts
   * @throws NullPointerException if an array is null
   */
  public static void logSigmoid(double[] x, int xOffset, double[] y, int yOffset, int count) {
    checkElementwise(x, xOffset, y, yOffset, count);
    LOSSES.logSigmoid(x, xOffset, y, yOffset, count);
  }

  // ============================================================================================= checks

  private static void checkElementwise(Object x, int xOffset, Object y, int yOffset, int count) {
    Checks.notNull(x, "x");
    Checks.notNull(y, "y");
    Checks.nonNegative(count, "count");
    Checks.range(java.lang.reflect.Array.getLength(x), xOffset, count, "x", "xOffset");
    Checks.range(java.lang.reflect.Array.getLength(y), yOffset, count, "y", "yOffset");
    Checks.noPartialOverlap(x, xOffset, y, yOffset, count);
  }

  /** A batch in, a batch of the same shape out, possibly in place. */
  static void checkRows(Object x, int xOffset, Object y, int yOffset, int rows, int cols) {
    Checks.notNull(x, "x");
    Checks.notNull(y, "y");
    Checks.batch(java.lang.reflect.Array.getLength(x), xOffset, rows, cols, "x", "xOffset");
    Checks.range(java.lang.reflect.Array.getLength(y), yOffset, (long) rows * cols, "y", "yOffset");
    Checks.noPartialOverlap(x, xOffset, y, yOffset, (long) rows * cols);
  }

  /** A batch in, one value per row out. */
  static void checkPerRow(Object x, int xOffset, Object out, int outOffset, int rows, int cols) {
    Checks.notNull(x, "x");
    Checks.notNull(out, "out");
    Checks.batch(java.lang.reflect.Array.getLength(x), xOffset, rows, cols, "x", "xOffset");
    Checks.range(java.lang.reflect.Array.getLength(out), outOffset, rows, "out", "outOffset");
  }
}
