package io.github.logits4j.internal.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The float rows' exp passes sum at a fixed logical width, whatever the vector width this run has: each
 * pass's sum is the bits of a plain scalar model in which nothing depends on the hardware. Entry {@code j}
 * of the row's first {@code n - n % W} entries goes to logical lane {@code j mod W} ({@code W} = 16 for the
 * float passes, 8 for the double passes over float rows), each lane sums its terms in order (Neumaier's
 * compensation and the terms' rounding errors in float for the float passes, a plain double sum for the
 * double ones), the lanes are folded in the 512-bit vector's order, and the rest of the row is summed in
 * double after them. Run at 512, 256 and 128 bits (the surefire executions), this holds the kernels to the
 * same sums at every width, and with them the outputs built from the sums: float softmax's three-pass path
 * and temperature path, log-softmax, log-sum-exp and the outputs near the subnormal range, and float
 * cross-entropy's weighted gap (label smoothing, dense targets). The fused pass
 * has the same check in {@code SoftmaxF32TwinTest}, against a twin written the same way.
 *
 * <p>The model's exponentials are {@link ExpF32}'s and {@link ExpF64}'s scalar twins, which the lanes
 * match bit for bit by their design (and the passes' own tails use).
 */
class LogicalWidthSumsTest {
  private static final int W = 16, H = W / 2, WD = 8;

  @Property(tries = 300)
  void floatPassesSumAtTheLogicalWidth(@ForAll @IntRange(min = 1, max = 140) int n, @ForAll long seed) {
    check(row(n, seed), n, seed);
  }

  /**
   * The float64 exp passes' fold of their eight logical lanes, spelled out for speed, gives the bits of
   * the loop it replaced (which still serves logical widths above eight): high parts from zero to 2^60
   * apart in magnitude, low parts of either sign up to an ulp of theirs, and zeros.
   */
  @Property(tries = 2000)
  void doubleFoldSpelledOutIsTheLoop(@ForAll long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] t = new double[2 * WD];
    for (int k = 0; k < WD; k++) {
      double hi = rnd.nextInt(8) == 0 ? 0 : Math.scalb(1 + rnd.nextDouble(), rnd.nextInt(-60, 61));
      t[k] = hi;
      t[WD + k] = hi * (rnd.nextDouble() * 2 - 1) * 0x1p-52;
    }
    double[] loop = t.clone();
    double hi = SoftmaxF64.foldLanes(t), loopHi = SoftmaxF64.foldLanesLoop(loop, WD);
    assertEquals(Double.doubleToRawLongBits(loopHi), Double.doubleToRawLongBits(hi), "high part, seed " + seed);
    assertEquals(Double.doubleToRawLongBits(loop[WD]), Double.doubleToRawLongBits(t[WD]), "low part, seed " + seed);
  }

  /** Wide rows, and rows at each logical boundary. */
  @Example
  void wideRowsAndBoundaries() {
    for (int n : new int[] {15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 1000, 4099}) {
      for (long seed = 0; seed < 8; seed++) {
        check(row(n, seed * 31 + n), n, seed);
      }
    }
  }

  private static void check(float[] x, int n, long seed) {
    String where = n + " entries, seed " + seed;
    float m = x[0];
    for (float v : x) {
      m = Math.max(m, v);
    }
    int ties = 0;
    for (float v : x) {
      ties += v == m ? 1 : 0;
    }
    // softmax's and the temperature path's pass (terms stored, every entry, rounding errors tracked) and
    // log-softmax's (the entries below the maximum, no rounding errors), with the kernels' parameters
    for (double beta : new double[] {1.0, 1 / 0.7}) {
      float betaHi = (float) beta, betaLo = (float) (beta - betaHi);
      double zMax = m * beta;
      boolean direct = Math.abs(zMax) <= ExpF32.DIRECT_LIMIT;
      int shift = direct ? ExpF32.shiftFor(zMax) : 0;
      float c = direct ? 0f : m, magic = ExpF32.magic(shift), threshold = (float) (m - ExpF32.CUTOFF / beta);
      float[] y = new float[n];
      double got = SoftmaxF32.expStore(x, 0, y, 0, n, c, betaHi, betaLo, magic, threshold);
      assertEquals(bits(floatModel(x, n, c, betaHi, betaLo, magic, threshold, Float.NaN, true)), bits(got),
          "expStore, beta " + beta + ", " + where);
      // the log-softmax pass returns log1p's argument: its sum over the top term plus the surplus of ties
      double top = SoftmaxF32.top(zMax, direct, shift);
      got = SoftmaxF32.expSumBelow(x, 0, n, c, betaHi, betaLo, magic, threshold, m, top);
      assertEquals(bits(floatModel(x, n, c, betaHi, betaLo, magic, threshold, m, false) / top + (ties - 1)),
          bits(got), "expSumBelow, beta " + beta + ", " + where);
      if (beta == 1.0) {
        // the pass without the product by beta that log-softmax and cross-entropy take: the same model
        got = SoftmaxF32.expSumBelowUnscaled(x, 0, n, c, magic, threshold, m, top);
        assertEquals(bits(floatModel(x, n, c, betaHi, betaLo, magic, threshold, m, false) / top + (ties - 1)),
            bits(got), "expSumBelowUnscaled, " + where);
      }
    }
    boolean direct = Math.abs(m) <= ExpF32.DIRECT_LIMIT;
    int shift = direct ? ExpF32.shiftFor(m) : 0;
    float c = direct ? 0f : m, magic = ExpF32.magic(shift), threshold = m - ExpF32.CUTOFF;
    // log-sum-exp's float pass: below the maximum, rounding errors tracked
    double top = SoftmaxF32.top(m, direct, shift);
    double got = SoftmaxF32.expSumBelowTracked(x, 0, n, c, magic, threshold, m, top);
    assertEquals(bits(floatModel(x, n, c, 1f, 0f, magic, threshold, m, true) / top + (ties - 1)), bits(got),
        "expSumBelowTracked, " + where);
    // the double passes over float rows: log-sum-exp's and the near-subnormal rows'
    assertEquals(bits(doubleModel(x, n, m, 1.0, true)), bits(SoftmaxF32.expSumBelowWide(x, 0, n, m)),
        "expSumBelowWide, " + where);
    for (double beta : new double[] {1.0, 1 / 0.7}) {
      assertEquals(bits(doubleModel(x, n, m, beta, false)),
          bits(SoftmaxF32.expScaledWide(x, 0, null, 0, n, m, beta, 0, false)),
          "expScaledWide, beta " + beta + ", " + where);
    }
  }

  /**
   * Cross-entropy's weighted gap {@code sum w_c t'_c (m - x_c)} (label smoothing and dense targets), a
   * double sum at eight logical lanes, with and without class weights and targets.
   */
  @Property(tries = 200)
  void theWeightedGapSumsAtTheLogicalWidth(@ForAll @IntRange(min = 1, max = 140) int n, @ForAll long seed) {
    float[] x = row(n, seed);
    SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
    float[] w = new float[n], t = new float[n];
    for (int j = 0; j < n; j++) {
      w[j] = rnd.nextInt(5) == 0 ? 0f : (float) rnd.nextDouble(0.1, 3);
      t[j] = (float) rnd.nextDouble();
    }
    float m = x[0];
    for (float v : x) {
      m = Math.max(m, v);
    }
    for (float[] weights : new float[][] {null, w}) {
      for (float[] targets : new float[][] {null, t}) {
        double eps = targets == null ? 0.1 : 0.05;
        double keep = targets != null ? 1 - eps : 1, spread = targets != null ? eps / n : 0;
        double[] sum = new double[WD];
        int end = n - n % WD;
        double tail = 0;
        for (int j = 0; j < n; j++) {
          double wj = weights == null ? 1 : weights[j], tj = targets == null ? 1 : targets[j];
          if (j < end) {
            double weight = wj * Math.fma(tj, keep, spread);
            sum[j % WD] += weight == 0 ? 0 : (m - (double) x[j]) * weight;
          } else {
            double weight = wj;
            if (targets != null) {
              weight *= Math.fma(tj, 1 - eps, eps / n);  // the lanes' target, fused, in the tail too
            }
            tail += weight != 0 ? weight * ((double) m - x[j]) : 0;
          }
        }
        assertEquals(bits(fold(sum) + tail), bits(CrossEntropyF32.weightedGap(x, 0, n, m, weights, targets, 0, eps)),
            "weightedGap, weights " + (weights != null) + ", targets " + (targets != null) + ", " + n + " entries");
      }
    }
  }

  /**
   * The float passes' sum, written for no particular width: {@code leaveOut} is the maximum for the passes
   * below it (NaN for none), {@code track} adds the terms' rounding errors.
   */
  private static double floatModel(float[] x, int n, float c, float betaHi, float betaLo, float magic,
      float threshold, float leaveOut, boolean track) {
    float[] sum = new float[W], comp = new float[W], lost = new float[W];
    int end = n - n % W;
    double tail = 0;
    for (int j = 0; j < n; j++) {
      float v = x[j], e = 0f, error = 0f;
      if (!(v < threshold)) {
        float d = v - c, zHi = d * betaHi, zLo = Math.fma(d, betaLo, Math.fma(d, betaHi, -zHi));
        e = ExpF32.exp(zHi, zLo, magic);
        error = track ? ExpF32.roundingError(zHi, zLo, magic) : 0f;
      }
      if (v == leaveOut) {
        e = 0f;
        error = 0f;
      }
      if (j >= end) {
        tail += (double) e + error;
        continue;
      }
      int l = j % W;
      lost[l] += error;
      float next = sum[l] + e;
      boolean bigger = sum[l] < e;
      comp[l] += ((bigger ? e : sum[l]) - next) + (bigger ? sum[l] : e);
      sum[l] = next;
    }
    double[] d = new double[H];
    for (int k = 0; k < H; k++) {
      d[k] = (double) sum[k] + (double) sum[k + H] + (double) comp[k] + (double) comp[k + H] + (double) lost[k]
          + (double) lost[k + H];
    }
    return fold(d) + tail;
  }

  /**
   * The double passes' sum of {@code exp((x - m) beta)} (biased by 2^BIAS, unbiased at the end), entries
   * more than CUTOFF below as 0, the maximum's left out if {@code below}.
   */
  private static double doubleModel(float[] x, int n, float m, double beta, boolean below) {
    double[] sum = new double[WD];
    int end = n - n % WD;
    double tail = 0, magic = ExpF64.magic(0);
    for (int j = 0; j < n; j++) {
      double z = ((double) x[j] - m) * beta;
      double e = z < -ExpF64.CUTOFF || (below && x[j] == m) ? 0 : ExpF64.exp(z, 0, magic);
      if (j < end) {
        sum[j % WD] += e;
      } else {
        tail += e;
      }
    }
    return Math.scalb(fold(sum) + tail, -ExpF64.BIAS);
  }

  /** Lanes {@code k} and {@code k + h} for halves of 4, 2 and 1: the 512-bit vector fold. */
  private static double fold(double[] d) {
    for (int h = d.length / 2; h >= 1; h /= 2) {
      for (int k = 0; k < h; k++) {
        d[k] = d[k] + d[k + h];
      }
    }
    return d[0];
  }

  /** Logits of several spreads, with ties at the maximum and entries below the cutoff. */
  private static float[] row(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double scale = new double[] {0.3, 3, 30, 300}[rnd.nextInt(4)], level = rnd.nextDouble(-50, 50);
    float[] x = new float[n];
    for (int j = 0; j < n; j++) {
      x[j] = (float) (level + scale * rnd.nextGaussian());
    }
    if (n > 3 && rnd.nextBoolean()) {
      float top = x[0];
      for (float v : x) {
        top = Math.max(top, v);
      }
      x[rnd.nextInt(n)] = top;  // a tie at the maximum
    }
    return x;
  }

  private static long bits(double v) {
    return Double.doubleToRawLongBits(v);
  }
}
