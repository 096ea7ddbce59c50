package io.github.logits4j;

/**
 * The fast mode of softmax, log-softmax and log-sum-exp: the same shapes, special values, argument checks
 * and thread safety as {@link Logits}, without the accuracy work. {@link Logits} is the default and
 * should stay the choice wherever results are compared, ranked, calibrated or summed; this class is for
 * throughput-bound scoring that tolerates the textbook algorithm's errors.
 *
 * <p><b>What it leaves out.</b> {@code x - max} is rounded before exp, the exponentials are summed plainly
 * in the input type, log-softmax is {@code x - (max + log(s))} rather than built on {@code log1p} of the
 * non-maximal mass, and softmax multiplies by one rounded reciprocal. Rows narrower than one vector and
 * rows whose maximum is not finite run the default kernels.
 *
 * <p><b>Bounds</b>, for a row of {@code n} entries with maximum {@code m}, {@code s} the sum of
 * {@code exp(x - m)}, {@code u} the unit roundoff of the type (2^-24 for float, 2^-53 for double), tested
 * against the exact oracle:
 * <ul>
 *   <li>softmax: at most {@code |x_j - m| + n + 4} ulps for an output at or above the smallest normal,
 *       and {@code (|x_j - m| + n + 4)/2 + 1} subnormal ulps below it;</li>
 *   <li>log-softmax: an absolute error of at most
 *       {@code (n + 3) u + ulp(log s)/2 + ulp(m + log s)/2 + ulp(y_j)/2}: near 0, at a confident row's
 *       top entry, that is many ulps of the result;</li>
 *   <li>log-sum-exp: an absolute error of at most {@code (n + 3) u + ulp(log s)/2 + ulp(result)/2}.</li>
 * </ul>
 * Without the vector module, these methods run the scalar reference, which meets the same bounds.
 */
public final class FastLogits {
  private FastLogits() {}

  /**
   * Fast row-wise softmax of float logits; bounds in the class description.
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
    softmax(x, 0, y, 0, Checks.rowsOf(x.length, cols, "x"), cols);
  }

  /**
   * Fast row-wise softmax of {@code rows} rows at the given offsets; bounds in the class description.
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
    Logits.checkRows(x, xOffset, y, yOffset, rows, cols);
    Logits.KERNELS.softmaxFast(x, xOffset, y, yOffset, rows, cols);
  }

  /**
   * Fast row-wise softmax of double logits; bounds in the class description.
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
    softmax(x, 0, y, 0, Checks.rowsOf(x.length, cols, "x"), cols);
  }

  /**
   * Fast row-wise softmax of {@code rows} rows at the given offsets; bounds in the class description.
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
    Logits.checkRows(x, xOffset, y, yOffset, rows, cols);
    Logits.KERNELS.softmaxFast(x, xOffset, y, yOffset, rows, cols);
  }

  /**
   * Fast row-wise log-softmax of float logits; bounds in the class description.
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
    logSoftmax(x, 0, y, 0, Checks.rowsOf(x.length, cols, "x"), cols);
  }

  /**
   * Fast row-wise log-softmax of {@code rows} rows at the given offsets; bounds in the class description.
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
    Logits.checkRows(x, xOffset, y, yOffset, rows, cols);
    Logits.KERNELS.logSoftmaxFast(x, xOffset, y, yOffset, rows, cols);
  }

  /**
   * Fast row-wise log-softmax of double logits; bounds in the class description.
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
    logSoftmax(x, 0, y, 0, Checks.rowsOf(x.length, cols, "x"), cols);
  }

  /**
   * Fast row-wise log-softmax of {@code rows} rows at the given offsets; bounds in the class description.
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
    Logits.checkRows(x, xOffset, y, yOffset, rows, cols);
    Logits.KERNELS.logSoftmaxFast(x, xOffset, y, yOffset, rows, cols);
  }

  /**
   * Fast row-wise log-sum-exp of float logits; bounds in the class description.
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
    logSumExp(x, 0, out, 0, Checks.rowsOf(x.length, cols, "x"), cols);
  }

  /**
   * Fast row-wise log-sum-exp of {@code rows} rows at the given offsets; bounds in the class
   * description.
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
    Logits.checkPerRow(x, xOffset, out, outOffset, rows, cols);
    Logits.KERNELS.logSumExpFast(x, xOffset, out, outOffset, rows, cols);
  }

  /**
   * Fast row-wise log-sum-exp of double logits; bounds in the class description.
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
    logSumExp(x, 0, out, 0, Checks.rowsOf(x.length, cols, "x"), cols);
  }

  /**
   * Fast row-wise log-sum-exp of {@code rows} rows at the given offsets; bounds in the class
   * description.
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
    Logits.checkPerRow(x, xOffset, out, outOffset, rows, cols);
    Logits.KERNELS.logSumExpFast(x, xOffset, out, outOffset, rows, cols);
  }
}
