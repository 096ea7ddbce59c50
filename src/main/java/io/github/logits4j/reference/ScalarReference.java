package io.github.logits4j.reference;

import io.github.logits4j.kernels.LogitKernels;

/**
 * The scalar reference: textbook formulas in plain Java, accumulating in {@code double}.
 *
 * <p>It is the oracle the tests compare the vector kernels with, and the runtime fallback when the vector
 * module is not available. It is kept deliberately plain: subtract the row maximum, exponentiate with
 * {@link Math#exp}, sum in {@code double}, divide. It is never tuned to agree with a kernel.
 *
 * <p>For {@code float} rows every intermediate is a {@code double}, so results are the double-precision
 * answer rounded once: within 1 ulp of the exact result except for log-softmax entries that are tiny
 * compared with {@code log(sum)}. For {@code double} rows the same formulas run in {@code double} and
 * inherit the usual rounding of {@code x - max} and of the running sum.
 *
 * <p>Special values follow PyTorch: a row holding NaN or +inf, or only -inf, gives NaN from softmax and
 * log-softmax; log-sum-exp is NaN with a NaN, +inf with a +inf, and -inf for an all -inf row.
 */
public final class ScalarReference implements LogitKernels {

  /** The single, stateless instance. */
  public static final ScalarReference INSTANCE = new ScalarReference();

  private ScalarReference() {}

  @Override
  public String name() {
    return "scalar";
  }

  // ---------------------------------------------------------------- softmax family, float

  @Override
  public void softmax(float[] x, int xOffset, float[] y, int yOffset, int rows, int cols, float temperature) {
    for (int r = 0; r < rows; r++) {
      int xo = xOffset + r * cols, yo = yOffset + r * cols;
      double m = max(x, xo, cols);
      if (!Double.isFinite(m)) {
        fill(y, yo, cols, Float.NaN);
        continue;
      }
      Sum sum = new Sum();
      for (int j = 0; j < cols; j++) {
        sum.add(Math.exp((x[xo + j] - m) / temperature));
      }
      double total = sum.value();
      for (int j = 0; j < cols; j++) {
        y[yo + j] = (float) (Math.exp((x[xo + j] - m) / temperature) / total);
      }
    }
  }

  @Override
  public void logSoftmax(float[] x, int xOffset, float[] y, int yOffset, int rows, int cols, float temperature) {
    for (int r = 0; r < rows; r++) {
      int xo = xOffset + r * cols, yo = yOffset + r * cols;
      double m = max(x, xo, cols);
      if (!Double.isFinite(m)) {
        fill(y, yo, cols, Float.NaN);
        continue;
      }
      double logSum = logSumShifted(x, xo, cols, m, temperature);
      for (int j = 0; j < cols; j++) {
        y[yo + j] = (float) ((x[xo + j] - m) / temperature - logSum);
      }
    }
  }

  @Override
  public void logSumExp(float[] x, int xOffset, float[] out, int outOffset, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int xo = xOffset + r * cols;
      double m = max(x, xo, cols);
      if (!Double.isFinite(m)) {
        out[outOffset + r] = (float) m;
        continue;
      }
      out[outOffset + r] = (float) (m + logSumShifted(x, xo, cols, m, 1.0));
    }
  }

  // ---------------------------------------------------------------- softmax family, double

  @Override
  public void softmax(double[] x, int xOffset, double[] y, int yOffset, int rows, int cols, double temperature) {
    for (int r = 0; r < rows; r++) {
      int xo = xOffset + r * cols, yo = yOffset + r * cols;
      double m = max(x, xo, cols);
      if (!Double.isFinite(m)) {
        fill(y, yo, cols, Double.NaN);
        continue;
      }
      Sum sum = new Sum();
      for (int j = 0; j < cols; j++) {
        sum.add(Math.exp((x[xo + j] - m) / temperature));
      }
      double total = sum.value();
      for (int j = 0; j < cols; j++) {
        y[yo + j] = Math.exp((x[xo + j] - m) / temperature) / total;
      }
    }
  }

  @Override
  public void logSoftmax(double[] x, int xOffset, double[] y, int yOffset, int rows, int cols,
      double temperature) {
    for (int r = 0; r < rows; r++) {
      int xo = xOffset + r * cols, yo = yOffset + r * cols;
      double m = max(x, xo, cols);
      if (!Double.isFinite(m)) {
        fill(y, yo, cols, Double.NaN);
        continue;
      }
      double logSum = logSumShifted(x, xo, cols, m, temperature);
      for (int j = 0; j < cols; j++) {
        y[yo + j] = shifted(x[xo + j], m, temperature) - logSum;
      }
    }
  }

  /**
   * {@code (x - m) / T}. Near the top of the range {@code x - m} alone can exceed it while the quotient by
   * a temperature above 1 does not; there it is formed from the halves, {@code (x/2 - m/2) / T * 2}.
   */
  private static double shifted(double x, double m, double temperature) {
    double d = x - m;
    if (Double.isInfinite(d) && Double.isFinite(x)) {
      return (x / 2 - m / 2) / temperature * 2;
    }
    return d / temperature;
  }

  /**
   * The fallback of {@code FastLogits.logSoftmax} for doubles: {@code x - (m + log(s))}, one subtraction
   * per entry, the form whose bound that class states. The textbook {@code (x - m) - log(s)} above rounds
   * {@code x - m} as well, which can cost half an ulp of {@code x - m} more than that bound allows.
   */
  @Override
  public void logSoftmaxFast(double[] x, int xOffset, double[] y, int yOffset, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int xo = xOffset + r * cols, yo = yOffset + r * cols;
      double m = max(x, xo, cols);
      if (!Double.isFinite(m)) {
        fill(y, yo, cols, Double.NaN);
        continue;
      }
      double shift = m + logSumShifted(x, xo, cols, m, 1.0);
      for (int j = 0; j < cols; j++) {
        y[yo + j] = x[xo + j] - shift;
      }
    }
  }

  @Override
  public void logSumExp(double[] x, int xOffset, double[] out, int outOffset, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int xo = xOffset + r * cols;
      double m = max(x, xo, cols);
      if (!Double.isFinite(m)) {
        out[outOffset + r] = m;
        continue;
      }
      out[outOffset + r] = m + logSumShifted(x, xo, cols, m, 1.0);
    }
  }

  // ---------------------------------------------------------------- argmax and top-k

  @Override
  public void argmax(float[] x, int xOffset, int[] out, int outOffset, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int xo = xOffset + r * cols;
      int best = 0;
      for (int j = 0; j < cols; j++) {
        float v = x[xo + j];
        if (v != v) {
          best = j;
          break;
        }
        if (v > x[xo + best]) {
          best = j;
        }
      }
      out[outOffset + r] = best;
    }
  }

  @Override
  public void argmax(double[] x, int xOffset, int[] out, int outOffset, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int xo = xOffset + r * cols;
      int best = 0;
      for (int j = 0; j < cols; j++) {
        double v = x[xo + j];
        if (v != v) {
          best = j;
          break;
        }
        if (v > x[xo + best]) {
          best = j;
        }
      }
      out[outOffset + r] = best;
    }
  }

  @Override
  public void topK(float[] x, int xOffset, int rows, int cols, int k,
      int[] indices, int indicesOffset, float[] values, int valuesOffset) {
    for (int r = 0; r < rows; r++) {
      int xo = xOffset + r * cols, io = indicesOffset + r * k, vo = valuesOffset + r * k;
      int count = 0;
      for (int j = 0; j < cols; j++) {
        float v = x[xo + j];
        if (count == k && !ranksBefore(v, values[vo + k - 1])) {
          continue;
        }
        // Insertion sort into the row's slice; an equal rank stays behind the earlier index.
        int pos = Math.min(count, k - 1);
        while (pos > 0 && ranksBefore(v, values[vo + pos - 1])) {
          values[vo + pos] = values[vo + pos - 1];
          indices[io + pos] = indices[io + pos - 1];
          pos--;
        }
        values[vo + pos] = v;
        indices[io + pos] = j;
        if (count < k) {
          count++;
        }
      }
    }
  }

  @Override
  public void topK(double[] x, int xOffset, int rows, int cols, int k,
      int[] indices, int indicesOffset, double[] values, int valuesOffset) {
    for (int r = 0; r < rows; r++) {
      int xo = xOffset + r * cols, io = indicesOffset + r * k, vo = valuesOffset + r * k;
      int count = 0;
      for (int j = 0; j < cols; j++) {
        double v = x[xo + j];
        if (count == k && !ranksBefore(v, values[vo + k - 1])) {
          continue;
        }
        int pos = Math.min(count, k - 1);
        while (pos > 0 && ranksBefore(v, values[vo + pos - 1])) {
          values[vo + pos] = values[vo + pos - 1];
          indices[io + pos] = indices[io + pos - 1];
          pos--;
        }
        values[vo + pos] = v;
        indices[io + pos] = j;
        if (count < k) {
          count++;
        }
      }
    }
  }

  /** NaN ranks above every number; numbers rank by value, so +0.0 and -0.0 tie. */
  private static boolean ranksBefore(float a, float b) {
    return a != a ? b == b : a > b;
  }

  private static boolean ranksBefore(double a, double b) {
    return a != a ? b == b : a > b;
  }

  // ---------------------------------------------------------------- helpers

  /**
   * {@code log(sum_j exp((x_j - m) / T))} as {@code log1p(s)}: {@code s} sums the terms of the entries below
   * the maximum, plus one for each further entry equal to it. Adding the small terms to the maximum's 1
   * first would round them away in a confident row, where the result is close to 0.
   */
  private static double logSumShifted(float[] x, int xo, int cols, double m, double temperature) {
    Sum others = new Sum();
    for (int j = 0; j < cols; j++) {
      double v = x[xo + j];
      others.add(v == m ? 1 : Math.exp((v - m) / temperature));
    }
    return Math.log1p(others.valueMinus(1));
  }

  private static double logSumShifted(double[] x, int xo, int cols, double m, double temperature) {
    Sum others = new Sum();
    for (int j = 0; j < cols; j++) {
      double v = x[xo + j];
      others.add(v == m ? 1 : Math.exp((v - m) / temperature));
    }
    return Math.log1p(others.valueMinus(1));
  }

  /**
   * Neumaier's compensated sum: the running error of every addition is kept and added back at the end,
   * so a long row's sum does not drift with its length.
   */
  private static final class Sum {
    private double sum, compensation;

    void add(double v) {
      double t = sum + v;
      compensation += Math.abs(sum) >= Math.abs(v) ? (sum - t) + v : (v - t) + sum;
      sum = t;
    }

    double value() {
      return sum + compensation;
    }

    /** {@code value() - c} without first rounding the small terms into the large ones. */
    double valueMinus(double c) {
      return (sum - c) + compensation;
    }
  }

  /** Row maximum with {@link Math#max} semantics: NaN if the row holds a NaN. */
  private static double max(float[] x, int offset, int n) {
    double m = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      m = Math.max(m, x[offset + j]);
    }
    return m;
  }

  private static double max(double[] x, int offset, int n) {
    double m = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      m = Math.max(m, x[offset + j]);
    }
    return m;
  }

  private static void fill(float[] a, int offset, int n, float v) {
    java.util.Arrays.fill(a, offset, offset + n, v);
  }

  private static void fill(double[] a, int offset, int n, double v) {
    java.util.Arrays.fill(a, offset, offset + n, v);
  }
}
