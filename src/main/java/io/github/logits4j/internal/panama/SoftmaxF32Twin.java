package io.github.logits4j.internal.panama;

/**
 * The float softmax of {@link SoftmaxF32#softmaxRows} (temperature 1) in plain scalar code, with the same
 * bits: what runs while the vector kernels are not yet compiled ({@link ColdStart}).
 *
 * <p>Why scalar code can give the vector kernel's bits: the kernel's fused pass ({@link
 * SoftmaxF32#expStoreFused}) keeps, for each of the {@code L = SUM_LANES_FLOAT} (16) logical lanes of its
 * sums, whatever the hardware's width, a Neumaier sum, its compensation and the sum of the terms' rounding
 * errors, all in float, and logical lane {@code l} sees the entries {@code l, l + L, l + 2L, ...} of the
 * row's vector part in order. This class computes the same {@code 3L} floats a lane at a time, from the
 * same entries in the same order, operation for operation (the exponential of {@link ExpF32#finish} with
 * the scale applied by multiplication, as the fused pass does); the lane values are then widened and added
 * in the order of {@link LaneSums#floatLogicalTotal},
 * and the row's tail, the acceptance test, the normalisation and the shift guess carried from row to row
 * are the kernel's own scalar code or its operations. Every step is an IEEE operation on the same operands
 * in the same order, so the sums, and with them every output, are the same bits. A row the shift guess
 * does not fit runs the fused pass again with its own maximum's guess, as the kernel does; only rows that
 * fit no guess go to the kernel's own three-pass path (vector code). The scalar parts come from
 * {@link FusedPassF32} and {@link ShortRows}, and the lane count from {@link VectorBits}: nothing on this
 * class's usual path creates a vector species, so a cold JVM's first calls load no vector classes
 * ({@code ModulePathTest} checks it). Narrow rows, which the kernel runs as blocks of rows
 * ({@link SoftmaxRowBlocks}, the bits of the row path by its design), run here row by row.
 *
 * <p>{@code SoftmaxF32TwinTest} holds the two to the same bits on batches that reach every branch, at
 * every width the tests run.
 */
final class SoftmaxF32Twin {
  private static final int LANES = VectorBits.SUM_LANES_FLOAT;

  private SoftmaxF32Twin() {}

  /** {@link SoftmaxF32#softmaxRows}, the same bits. */
  static void softmaxRows(float[] x, int xOffset, float[] y, int yOffset, int rows, int n) {
    if (rows == 0) {
      return;
    }
    boolean inPlace = x == y;
    ThreadScratch scratch = ThreadScratch.get();
    int shift = FusedPassF32.firstGuess(x[xOffset]);
    for (int r = 0; r < rows; r++) {
      int xo = xOffset + r * n, yo = yOffset + r * n;
      double sum = -1;
      long maxAndMin = 0;
      // the kernel reads the row's extremes with RowMax.maxAndMin: the same maximum and minimum up to the
      // sign of a zero, which gives the same magic sums, so the same decisions
      if (!inPlace) {
        sum = expStoreFused(x, xo, y, yo, n, shift, scratch);
      } else if (FusedPassF32.fusedAcceptsExtremes(maxAndMin = ShortRows.maxAndMin(x, xo, n), n, shift)) {
        sum = expStoreFused(x, xo, y, yo, n, shift, scratch);
      }
      if (sum > 0) {
        normalize(y, yo, n, sum);
        shift = FusedPassF32.nextGuess(shift, sum);
      } else {
        shift = rejectedRow(x, xo, y, yo, n, inPlace ? maxAndMin : ShortRows.maxAndMin(x, xo, n), scratch);
      }
    }
  }

  /**
   * {@link SoftmaxF32#rejectedRow}: the fused pass with the row maximum's guess where it fits, which a row
   * whose first guess was only off takes without the vector classes; rows that fit no guess (special
   * values, huge logits, outputs near the subnormal range) run the kernel's own three passes.
   */
  private static int rejectedRow(float[] x, int xo, float[] y, int yo, int n, long maxAndMin, ThreadScratch scratch) {
    int shift = FusedPassF32.firstGuess(Float.intBitsToFloat((int) (maxAndMin >>> 32)));
    if (FusedPassF32.fusedAcceptsExtremes(maxAndMin, n, shift)) {
      double sum = expStoreFused(x, xo, y, yo, n, shift, scratch);
      if (sum > 0) {
        normalize(y, yo, n, sum);
        return FusedPassF32.nextGuess(shift, sum);
      }
    }
    return SoftmaxF32.softmax(x, xo, y, yo, n);
  }

  /** {@link SoftmaxF32#expStoreFused}, lane by lane in scalar code: the same stores and the same sum. */
  static double expStoreFused(float[] x, int xo, float[] y, int yo, int n, int shift, ThreadScratch scratch) {
    final float magic = ExpF32.magic(shift);
    final float[] lane = scratch.fusedFloats;  // sums at [0, L), compensations at [L, 2L), lost at [2L, 3L)
    int tMax = Integer.MIN_VALUE, tMin = Integer.MAX_VALUE;
    final int vectorPart = n - n % LANES;
    if (vectorPart == 0) {
      // a row shorter than a vector: every lane's sums are +0, and +0 + tail is tail (tail >= 0 or the -1
      // of a rejected row); the empty lanes would cost a narrow row as much as its entries
      return FusedPassF32.fusedTail(x, xo, y, yo, n, 0, magic, shift, tMax, tMin);
    }
    // Lane by lane: a lane's sums see its entries in the kernel's order, and the lanes are independent, so
    // one lane's whole column at a time gives the same values with the state in locals, a loop that is
    // fast sooner in a cold JVM than one updating arrays of lanes.
    for (int l = 0; l < LANES; l++) {
      float sum = 0f, compensation = 0f, lost = 0f;
      for (int i = xo + l, o = yo + l, end = xo + vectorPart; i < end; i += LANES, o += LANES) {
        float z = x[i];
        float t = Math.fma(z, ExpF32.LOG2E_16, magic);
        float kf = t - magic;
        float red = Math.fma(kf, -ExpF32.LN2_16_LO, Math.fma(kf, -ExpF32.LN2_16_HI, z));
        float q = Math.fma(red * red, Math.fma(red, ExpF32.C3, ExpF32.C2), red);
        int tb = Float.floatToRawIntBits(t);
        float th = Float.intBitsToFloat(ExpF32.TABLE_HI[tb & 15]);
        float u = Math.fma(th, q, Float.intBitsToFloat(ExpF32.TABLE_LO[tb & 15]));
        float e0 = th + u;
        float scale = Float.intBitsToFloat(((tb >> 4) << 23) + ExpF32.ONE_BITS);
        float e = e0 * scale;
        y[o] = e;
        lost = Math.fma(u - (e0 - th), scale, lost);
        tMax = Math.max(tMax, tb);
        tMin = Math.min(tMin, tb);
        float next = sum + e;
        boolean termIsBigger = sum < e;
        compensation += ((termIsBigger ? e : sum) - next) + (termIsBigger ? sum : e);
        sum = next;
      }
      lane[l] = sum;
      lane[LANES + l] = compensation;
      lane[2 * LANES + l] = lost;
    }
    double tail = FusedPassF32.fusedTail(x, xo, y, yo, n, vectorPart, magic, shift, tMax, tMin);
    if (tail < 0) {
      return -1;
    }
    return laneTotal(lane, scratch.logicalLanes) + tail;
  }

  /**
   * {@link LaneSums#floatLogicalTotal}: each double lane {@code k < L/2} adds the widened float lanes
   * {@code k} and {@code k + L/2} of the sums, then of the compensations, then of the rounding errors; the
   * double lanes are then added in pairs (lane {@code i} and {@code i + h} for halves {@code h} of 4, 2
   * and 1).
   */
  private static double laneTotal(float[] lane, double[] d) {
    int half = LANES / 2;
    for (int k = 0; k < half; k++) {
      d[k] = (double) lane[k] + (double) lane[k + half] + (double) lane[LANES + k] + (double) lane[LANES + k + half]
          + (double) lane[2 * LANES + k] + (double) lane[2 * LANES + k + half];
    }
    for (int h = half / 2; h >= 1; h /= 2) {
      for (int k = 0; k < h; k++) {
        d[k] = d[k] + d[k + h];
      }
    }
    return d[0];
  }

  /** {@link SoftmaxF32#normalize(float[], int, int, double)}: the same reciprocal pair and fused multiply-add. */
  private static void normalize(float[] y, int yo, int n, double sum) {
    double inverse = 1.0 / sum;
    float hi = (float) inverse, lo = (float) (inverse - hi);
    for (int i = 0; i < n; i++) {
      float e = y[yo + i];
      y[yo + i] = Math.fma(e, hi, e * lo);
    }
  }
}
