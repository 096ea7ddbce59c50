package io.github.logits4j.kernels;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.F2D;
import static jdk.incubator.vector.VectorOperators.D2F;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.MAX;
import static jdk.incubator.vector.VectorOperators.MIN;
import static jdk.incubator.vector.VectorOperators.UMAX;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax, log-softmax and log-sum-exp of one float row on the Vector API.
 *
 * <p>Each op is a few passes over the row: {@link RowMax} finds the maximum, an exp pass sums the biased
 * exponentials (see {@link ExpF32}) with Kahan compensation per lane, and an output pass writes the
 * result. The exp passes keep every constant in a local vector and finish with one masked iteration, so
 * rows narrower than a vector never touch scalar code.
 *
 * <p>Error bounds, for finite rows, against the exact result:
 * <ul>
 *   <li>softmax: each exponential is rounded once (0.5 ulp, plus 0.05 ulp of polynomial error); the sum is
 *       compensated, its error is of order {@code n * 2^-48}; the normalisation multiplies by a
 *       double-float reciprocal in one fused multiply-add (0.5 ulp). Total below 2 ulp;</li>
 *   <li>log-softmax: {@code (x - max)/T - log1p(s)} in double, where {@code s} is the compensated sum of
 *       the exponentials other than the maximum's, so entries near 0 of a confident row keep their
 *       relative accuracy. Below 2 ulp;</li>
 *   <li>log-sum-exp: {@code max + log1p(s)} in double, rounded once. Below 1 ulp in practice.</li>
 * </ul>
 */
final class SoftmaxF32 {
  private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
  private static final VectorSpecies<Float> FH = VectorWidth.FLOAT_HALF;
  private static final VectorSpecies<Double> D = VectorWidth.DOUBLE;
  private static final VectorSpecies<Integer> I = VectorWidth.INT;
  private static final double LN2_HI = 0x1.62e42fefa39efp-1;
  private static final double LN2_LO = 0x1.abc9e3b39803fp-56;

  private SoftmaxF32() {}

  // ------------------------------------------------------------------------------------ row entry points

  /**
   * Softmax of {@code rows} rows of {@code n}. Each row first tries the fused pass of
   * {@link #expStoreFused}, which finds the row's maximum while it exponentiates, with the exponent shift
   * guessed from the previous row's sum (or, for the first row, from its first entry); a row the guess does
   * not fit, or that holds special values, falls back to the three passes of {@link #softmax(float[], int,
   * float[], int, int)}.
   *
   * <p>In place, a row that falls back must still hold its input, so there the row's maximum is read first
   * and the fused pass only runs when it will be accepted. The decisions, and so the results, are the same
   * bits in place and out of place.
   */
  static void softmaxRows(float[] x, int xOffset, float[] y, int yOffset, int rows, int n) {
    boolean inPlace = x == y;
    int shift = firstGuess(x[xOffset]);
    for (int r = 0; r < rows; r++) {
      int xo = xOffset + r * n, yo = yOffset + r * n;
      double sum = -1;
      if (!inPlace) {
        sum = expStoreFused(x, xo, y, yo, n, shift);
      } else {
        long maxAndMin = RowMax.maxAndMin(x, xo, n);
        if (fusedAccepts(Float.intBitsToFloat((int) (maxAndMin >>> 32)), Float.intBitsToFloat((int) maxAndMin),
            n, shift)) {
          sum = expStoreFused(x, xo, y, yo, n, shift);
        }
      }
      if (sum > 0) {
        normalize(y, yo, n, sum);
        // log2(sum) - BIAS is the row maximum's exponent above the shift, plus log2 of the row's mass.
        shift += Math.getExponent(sum) - ExpF32.BIAS - GUESS_MARGIN;
      } else {
        shift = softmax(x, xo, y, yo, n);
      }
    }
  }

  /** A shift guess from one entry of the row, which the row's maximum can only exceed. */
  private static int firstGuess(float v) {
    return Float.isFinite(v) && Math.abs(v) <= ExpF32.DIRECT_LIMIT ? ExpF32.shiftFor(v) - GUESS_MARGIN : 0;
  }

  /**
   * Whether the fused pass with this shift is exact for a row with this maximum and minimum: the row is
   * finite and within the direct limit, no entry is negligible or masked, and the largest term
   * {@code 2^(BIAS + above)} leaves the sum of {@code n} terms below 2^100, where the low half of its
   * reciprocal is still a normal float; the smallest term that matters stays normal when
   * {@code above >= -8}.
   */
  static boolean fusedAccepts(float m, float min, int n, int shift) {
    if (!(Math.abs(m) <= ExpF32.DIRECT_LIMIT) || !(min >= m - ExpF32.CUTOFF)) {
      return false;
    }
    double above = m * 1.4426950408889634 - shift;
    return above >= -8 && above <= 100 - ExpF32.BIAS - 2 - (32 - Integer.numberOfLeadingZeros(n));
  }

  /**
   * How far below the expected maximum the shift guess is set, in powers of two: the accepted range is
   * from 8 below the maximum to 34 - log2(n) above it.
   */
  private static final int GUESS_MARGIN = 8;

  /**
   * Softmax of {@code x[xo .. xo+n)} into {@code y[yo .. yo+n)}, temperature 1: the three-pass path. Returns
   * a shift guess for a following row, derived like the fused path's.
   */
  static int softmax(float[] x, int xo, float[] y, int yo, int n) {
    long maxAndMin = RowMax.maxAndMin(x, xo, n);
    float m = Float.intBitsToFloat((int) (maxAndMin >>> 32));
    float min = Float.intBitsToFloat((int) maxAndMin);
    if (!Float.isFinite(m)) {
      Arrays.fill(y, yo, yo + n, Float.NaN);
      return 0;
    }
    boolean direct = Math.abs(m) <= ExpF32.DIRECT_LIMIT;
    int shift = direct ? ExpF32.shiftFor(m) : 0;
    double sum;
    if (direct && min >= m - ExpF32.CUTOFF) {
      // The common case: nothing masked, nothing negligible, no shift to subtract.
      sum = expStoreDense(x, xo, y, yo, n, ExpF32.magic(shift));
    } else {
      sum = expStore(x, xo, y, yo, n, direct ? 0f : m, ExpF32.magic(shift), m - ExpF32.CUTOFF);
    }
    normalize(y, yo, n, sum);
    return direct ? shift + Math.getExponent(sum) - ExpF32.BIAS - GUESS_MARGIN : 0;
  }

  /** Softmax of {@code x / T}, with {@code beta = 1/T} and its float split {@code betaHi + betaLo}. */
  static void softmax(float[] x, int xo, float[] y, int yo, int n, double beta, float betaHi, float betaLo) {
    float m = RowMax.max(x, xo, n);
    if (!Float.isFinite(m)) {
      Arrays.fill(y, yo, yo + n, Float.NaN);
      return;
    }
    double zMax = m * beta;
    boolean direct = Math.abs(zMax) <= ExpF32.DIRECT_LIMIT;
    int shift = direct ? ExpF32.shiftFor(zMax) : 0;
    float threshold = (float) (m - ExpF32.CUTOFF / beta);
    double sum = expStoreScaled(x, xo, y, yo, n, direct ? 0f : m, betaHi, betaLo, ExpF32.magic(shift),
        threshold);
    normalize(y, yo, n, sum);
  }

  /** Log-softmax of {@code x / T} ({@code beta = 1/T}; {@code beta == 1} takes the unscaled kernels). */
  static void logSoftmax(float[] x, int xo, float[] y, int yo, int n, double beta, float betaHi, float betaLo) {
    float m = RowMax.max(x, xo, n);
    if (!Float.isFinite(m)) {
      Arrays.fill(y, yo, yo + n, Float.NaN);
      return;
    }
    double lambda = log1pOthers(x, xo, n, m, beta, betaHi, betaLo);
    logSoftmaxOutput(x, xo, y, yo, n, m, beta, lambda);
  }

  /**
   * {@code log(sum exp(x))} of one row, with PyTorch's special values. The result {@code max + log1p(s)}
   * cancels when the maximum is negative and close to {@code -log1p(s)}, which would magnify any error in
   * {@code s}; so here the exponentials are evaluated in double (see {@link #expSumBelowWide}) and the
   * float result is rounded once from a value accurate to about 2^-50 relative to {@code log1p(s)}.
   */
  static float logSumExp(float[] x, int xo, int n) {
    float m = RowMax.max(x, xo, n);
    if (!Float.isFinite(m)) {
      return m;  // NaN, +inf, or -inf for an all -inf row
    }
    double others = expSumBelowWide(x, xo, n, m);
    int ties = RowMax.countEqual(x, xo, n, m);
    return (float) (m + Math.log1p(others + (ties - 1)));
  }

  /**
   * {@code sum exp(x - m)} over the entries strictly below the maximum {@code m}, in double precision:
   * half-width float loads widen to double lanes, where {@code x - m} is exact, and go through the double
   * exponential of {@link ExpF64}, biased by 2^64 and summed with Kahan compensation.
   */
  static double expSumBelowWide(float[] x, int xo, int n, float m) {
    final int lanes = D.length();
    final DoubleVector vm = DoubleVector.broadcast(D, m), vMagic = DoubleVector.broadcast(D, ExpF64.magic(0)),
        vThreshold = DoubleVector.broadcast(D, m - ExpF64.CUTOFF),
        log2e = DoubleVector.broadcast(D, ExpF64.LOG2E), zero = DoubleVector.zero(D),
        negLn2Hi = DoubleVector.broadcast(D, -ExpF64.LN2_HI), negLn2Lo = DoubleVector.broadcast(D, -ExpF64.LN2_LO);
    DoubleVector sum = zero, compensation = zero;
    int i = 0;
    for (; i < n; i += lanes) {
      VectorMask<Float> tail = FH.indexInRange(i, n);
      FloatVector xf = tail.allTrue() ? FloatVector.fromArray(FH, x, xo + i) : FloatVector.fromArray(FH, x, xo + i, tail);
      DoubleVector xv = (DoubleVector) xf.convertShape(F2D, D, 0);
      DoubleVector d = xv.sub(vm);
      DoubleVector t = d.fma(log2e, vMagic);
      DoubleVector k = t.sub(vMagic);
      DoubleVector e = ExpF64.finish(t, k.fma(negLn2Hi, d), k.mul(negLn2Lo))
          .blend(0.0, xv.compare(LT, vThreshold).or(xv.eq(vm)).or(tail.cast(D).not()));
      DoubleVector addend = e.sub(compensation);
      DoubleVector next = sum.add(addend);
      compensation = next.sub(sum).sub(addend);
      sum = next;
    }
    return Math.scalb(sum.reduceLanes(ADD) - compensation.reduceLanes(ADD), -ExpF64.BIAS);
  }

  /**
   * {@code log(sum_j exp((x_j - m) * beta))} for a finite row maximum {@code m}, written as
   * {@code log1p(s)} with {@code s} the sum over the entries below the maximum plus the surplus of ties, so
   * that a confident row, where {@code s} is tiny, keeps full relative accuracy.
   */
  static double log1pOthers(float[] x, int xo, int n, float m, double beta, float betaHi, float betaLo) {
    double zMax = m * beta;
    boolean direct = Math.abs(zMax) <= ExpF32.DIRECT_LIMIT;
    int shift = direct ? ExpF32.shiftFor(zMax) : 0;
    float c = direct ? 0f : m;
    float magic = ExpF32.magic(shift);
    double others;
    if (beta == 1.0) {
      others = expSumBelow(x, xo, n, c, magic, m - ExpF32.CUTOFF, m);
    } else {
      others = expSumBelowScaled(x, xo, n, c, betaHi, betaLo, magic, (float) (m - ExpF32.CUTOFF / beta), m);
    }
    int ties = RowMax.countEqual(x, xo, n, m);
    return Math.log1p(others / top(zMax, direct, shift) + (ties - 1));
  }

  /**
   * The maximum's own biased exponential as the kernels scale it, {@code exp(zMax - shift*ln2) * 2^BIAS}
   * (exactly {@code 2^BIAS} when the row was shifted by its maximum), to double precision.
   */
  static double top(double zMax, boolean direct, int shift) {
    return direct
        ? Math.scalb(Math.exp(Math.fma(-shift, LN2_LO, Math.fma(-shift, LN2_HI, zMax))), ExpF32.BIAS)
        : Math.scalb(1.0, ExpF32.BIAS);
  }

  // ------------------------------------------------------------------------------------ exp passes

  /**
   * Stores {@code exp(x - c) * 2^(BIAS - shift)} (0 below {@code threshold}) into {@code y} and returns
   * the compensated sum.
   */
  static double expStore(float[] x, int xo, float[] y, int yo, int n, float c, float magic, float threshold) {
    final int lanes = F.length();
    final FloatVector vc = FloatVector.broadcast(F, c), vMagic = FloatVector.broadcast(F, magic),
        vThreshold = FloatVector.broadcast(F, threshold);
    final float[] k = ExpF32.TABLE;
    final FloatVector log2e = FloatVector.broadcast(F, k[ExpF32.T_LOG2E]),
        negLn2Hi = FloatVector.broadcast(F, k[ExpF32.T_NEG_LN2_HI]),
        negLn2Lo = FloatVector.broadcast(F, k[ExpF32.T_NEG_LN2_LO]),
        c2 = FloatVector.broadcast(F, k[ExpF32.T_C2]), c3 = FloatVector.broadcast(F, k[ExpF32.T_C3]),
        c4 = FloatVector.broadcast(F, k[ExpF32.T_C4]), c5 = FloatVector.broadcast(F, k[ExpF32.T_C5]),
        c6 = FloatVector.broadcast(F, k[ExpF32.T_C6]);
    FloatVector sum = FloatVector.zero(F), compensation = sum;
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      FloatVector xv = FloatVector.fromArray(F, x, xo + i);
      FloatVector z = xv.sub(vc);
      FloatVector t = z.fma(log2e, vMagic);
      FloatVector kf = t.sub(vMagic);
      FloatVector e = ExpF32.finish(t, kf.fma(negLn2Hi, z), kf.mul(negLn2Lo), c2, c3, c4, c5, c6).blend(0f, xv.compare(LT, vThreshold));
      e.intoArray(y, yo + i);
      FloatVector addend = e.sub(compensation);
      FloatVector next = sum.add(addend);
      compensation = next.sub(sum).sub(addend);
      sum = next;
    }
    double tailSum = 0;
    for (; i < n; i++) {
      float e = x[xo + i] < threshold ? 0f : ExpF32.exp(x[xo + i] - c, magic);
      y[yo + i] = e;
      tailSum += e;
    }
    return total(sum, compensation) + tailSum;
  }

  /**
   * The fused pass: stores {@code exp(x) * 2^(BIAS - shift)} into {@code y} and returns the compensated sum,
   * while it reduces the row's maximum and minimum with the integer trick of {@link RowMax}. The maximum
   * does not need to be known in advance because the shift is an exact power of two: any shift that keeps
   * the terms in range (see {@link #fusedAccepts}) gives the same softmax. At the end the pass checks the
   * row against {@link #fusedAccepts}; if it fails it returns -1 and the caller runs the general passes. The maximum's memory pass, which is bound by bandwidth, so hides
   * behind the exponentials, which are bound by arithmetic.
   */
  static double expStoreFused(float[] x, int xo, float[] y, int yo, int n, int shift) {
    final int lanes = F.length();
    final FloatVector vMagic = FloatVector.broadcast(F, ExpF32.magic(shift));
    final float[] k = ExpF32.TABLE;
    final FloatVector log2e = FloatVector.broadcast(F, k[ExpF32.T_LOG2E]),
        negLn2Hi = FloatVector.broadcast(F, k[ExpF32.T_NEG_LN2_HI]),
        negLn2Lo = FloatVector.broadcast(F, k[ExpF32.T_NEG_LN2_LO]),
        c2 = FloatVector.broadcast(F, k[ExpF32.T_C2]), c3 = FloatVector.broadcast(F, k[ExpF32.T_C3]),
        c4 = FloatVector.broadcast(F, k[ExpF32.T_C4]), c5 = FloatVector.broadcast(F, k[ExpF32.T_C5]),
        c6 = FloatVector.broadcast(F, k[ExpF32.T_C6]);
    IntVector smax = IntVector.broadcast(I, Integer.MIN_VALUE), smin = IntVector.broadcast(I, Integer.MAX_VALUE);
    IntVector umax = IntVector.zero(I);
    FloatVector sum = FloatVector.zero(F), compensation = sum;
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      FloatVector z = FloatVector.fromArray(F, x, xo + i);
      IntVector bits = z.reinterpretAsInts();
      smax = smax.max(bits);
      smin = smin.min(bits);
      umax = umax.lanewise(UMAX, bits);
      FloatVector t = z.fma(log2e, vMagic);
      FloatVector kf = t.sub(vMagic);
      FloatVector e = ExpF32.finish(t, kf.fma(negLn2Hi, z), kf.mul(negLn2Lo), c2, c3, c4, c5, c6);
      e.intoArray(y, yo + i);
      FloatVector addend = e.sub(compensation);
      FloatVector next = sum.add(addend);
      compensation = next.sub(sum).sub(addend);
      sum = next;
    }
    int hi = smax.reduceLanes(MAX), lo = smin.reduceLanes(MIN), unsignedHi = umax.reduceLanes(UMAX);
    double tailSum = 0;
    float magic = ExpF32.magic(shift);
    for (; i < n; i++) {
      float v = x[xo + i];
      int b = Float.floatToRawIntBits(v);
      hi = Math.max(hi, b);
      lo = Math.min(lo, b);
      unsignedHi = Integer.compareUnsigned(unsignedHi, b) >= 0 ? unsignedHi : b;
      float e = ExpF32.exp(v, magic);
      y[yo + i] = e;
      tailSum += e;
    }
    long maxAndMin = RowMax.decode(hi, lo, unsignedHi);
    float m = Float.intBitsToFloat((int) (maxAndMin >>> 32));
    float min = Float.intBitsToFloat((int) maxAndMin);
    if (!fusedAccepts(m, min, n, shift)) {
      return -1;  // special values, entries to mask, or a maximum the guessed shift does not fit
    }
    return total(sum, compensation) + tailSum;
  }

  /**
   * {@link #expStore} whose returned sum leaves out the entries equal to the row maximum {@code m}: the
   * stored exponentials feed a gradient, the sum feeds {@code log1p} for the loss.
   */
  static double expStoreBelow(float[] x, int xo, float[] y, int yo, int n, float c, float magic, float threshold,
      float m) {
    final int lanes = F.length();
    final FloatVector vc = FloatVector.broadcast(F, c), vMagic = FloatVector.broadcast(F, magic),
        vThreshold = FloatVector.broadcast(F, threshold), vMax = FloatVector.broadcast(F, m);
    final float[] k = ExpF32.TABLE;
    final FloatVector log2e = FloatVector.broadcast(F, k[ExpF32.T_LOG2E]),
        negLn2Hi = FloatVector.broadcast(F, k[ExpF32.T_NEG_LN2_HI]),
        negLn2Lo = FloatVector.broadcast(F, k[ExpF32.T_NEG_LN2_LO]),
        c2 = FloatVector.broadcast(F, k[ExpF32.T_C2]), c3 = FloatVector.broadcast(F, k[ExpF32.T_C3]),
        c4 = FloatVector.broadcast(F, k[ExpF32.T_C4]), c5 = FloatVector.broadcast(F, k[ExpF32.T_C5]),
        c6 = FloatVector.broadcast(F, k[ExpF32.T_C6]);
    FloatVector sum = FloatVector.zero(F), compensation = sum;
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      FloatVector xv = FloatVector.fromArray(F, x, xo + i);
      FloatVector z = xv.sub(vc);
      FloatVector t = z.fma(log2e, vMagic);
      FloatVector kf = t.sub(vMagic);
      FloatVector e = ExpF32.finish(t, kf.fma(negLn2Hi, z), kf.mul(negLn2Lo), c2, c3, c4, c5, c6)
          .blend(0f, xv.compare(LT, vThreshold));
      e.intoArray(y, yo + i);
      FloatVector addend = e.blend(0f, xv.eq(vMax)).sub(compensation);
      FloatVector next = sum.add(addend);
      compensation = next.sub(sum).sub(addend);
      sum = next;
    }
    double tailSum = 0;
    for (; i < n; i++) {
      float v = x[xo + i];
      float e = v < threshold ? 0f : ExpF32.exp(v - c, magic);
      y[yo + i] = e;
      tailSum += v == m ? 0 : e;
    }
    return total(sum, compensation) + tailSum;
  }

  /**
   * {@link #expStore} for a row whose entries all lie within {@code CUTOFF} of its maximum and whose
   * maximum is within the direct limit: {@code exp(x) * 2^(BIAS - shift)}, with no subtraction and no
   * masking of negligible entries.
   */
  static double expStoreDense(float[] x, int xo, float[] y, int yo, int n, float magic) {
    final int lanes = F.length();
    final FloatVector vMagic = FloatVector.broadcast(F, magic);
    final float[] k = ExpF32.TABLE;
    final FloatVector log2e = FloatVector.broadcast(F, k[ExpF32.T_LOG2E]),
        negLn2Hi = FloatVector.broadcast(F, k[ExpF32.T_NEG_LN2_HI]),
        negLn2Lo = FloatVector.broadcast(F, k[ExpF32.T_NEG_LN2_LO]),
        c2 = FloatVector.broadcast(F, k[ExpF32.T_C2]), c3 = FloatVector.broadcast(F, k[ExpF32.T_C3]),
        c4 = FloatVector.broadcast(F, k[ExpF32.T_C4]), c5 = FloatVector.broadcast(F, k[ExpF32.T_C5]),
        c6 = FloatVector.broadcast(F, k[ExpF32.T_C6]);
    FloatVector sum = FloatVector.zero(F), compensation = sum;
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      FloatVector z = FloatVector.fromArray(F, x, xo + i);
      FloatVector t = z.fma(log2e, vMagic);
      FloatVector kf = t.sub(vMagic);
      FloatVector e = ExpF32.finish(t, kf.fma(negLn2Hi, z), kf.mul(negLn2Lo), c2, c3, c4, c5, c6);
      e.intoArray(y, yo + i);
      FloatVector addend = e.sub(compensation);
      FloatVector next = sum.add(addend);
      compensation = next.sub(sum).sub(addend);
      sum = next;
    }
    double tailSum = 0;
    for (; i < n; i++) {
      float e = ExpF32.exp(x[xo + i], magic);
      y[yo + i] = e;
      tailSum += e;
    }
    return total(sum, compensation) + tailSum;
  }

  /** {@link #expStore} for {@code exp((x - c) * beta)}, with {@code beta = betaHi + betaLo}. */
  static double expStoreScaled(float[] x, int xo, float[] y, int yo, int n, float c, float betaHi, float betaLo,
      float magic, float threshold) {
    final int lanes = F.length();
    final FloatVector vc = FloatVector.broadcast(F, c), vMagic = FloatVector.broadcast(F, magic),
        vBetaHi = FloatVector.broadcast(F, betaHi), vBetaLo = FloatVector.broadcast(F, betaLo),
        vThreshold = FloatVector.broadcast(F, threshold);
    final float[] k = ExpF32.TABLE;
    final FloatVector log2e = FloatVector.broadcast(F, k[ExpF32.T_LOG2E]),
        negLn2Hi = FloatVector.broadcast(F, k[ExpF32.T_NEG_LN2_HI]),
        negLn2Lo = FloatVector.broadcast(F, k[ExpF32.T_NEG_LN2_LO]),
        c2 = FloatVector.broadcast(F, k[ExpF32.T_C2]), c3 = FloatVector.broadcast(F, k[ExpF32.T_C3]),
        c4 = FloatVector.broadcast(F, k[ExpF32.T_C4]), c5 = FloatVector.broadcast(F, k[ExpF32.T_C5]),
        c6 = FloatVector.broadcast(F, k[ExpF32.T_C6]);
    FloatVector sum = FloatVector.zero(F), compensation = sum;
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      FloatVector xv = FloatVector.fromArray(F, x, xo + i);
      FloatVector d = xv.sub(vc);
      FloatVector zHi = d.mul(vBetaHi);
      FloatVector zLo = d.fma(vBetaLo, d.fma(vBetaHi, zHi.neg()));
      FloatVector t = zHi.fma(log2e, vMagic);
      FloatVector kf = t.sub(vMagic);
      FloatVector e = ExpF32.finish(t, kf.fma(negLn2Hi, zHi), kf.fma(negLn2Lo, zLo), c2, c3, c4, c5, c6).blend(0f, xv.compare(LT, vThreshold));
      e.intoArray(y, yo + i);
      FloatVector addend = e.sub(compensation);
      FloatVector next = sum.add(addend);
      compensation = next.sub(sum).sub(addend);
      sum = next;
    }
    double tailSum = 0;
    for (; i < n; i++) {
      float e = x[xo + i] < threshold ? 0f : ExpF32.exp(x[xo + i], c, betaHi, betaLo, magic);
      y[yo + i] = e;
      tailSum += e;
    }
    return total(sum, compensation) + tailSum;
  }

  /**
   * The compensated sum of {@code exp(x - c) * 2^(BIAS - shift)} over the entries strictly below the row
   * maximum {@code m} and not below {@code threshold}.
   */
  static double expSumBelow(float[] x, int xo, int n, float c, float magic, float threshold, float m) {
    final int lanes = F.length();
    final FloatVector vc = FloatVector.broadcast(F, c), vMagic = FloatVector.broadcast(F, magic),
        vThreshold = FloatVector.broadcast(F, threshold), vMax = FloatVector.broadcast(F, m);
    final float[] k = ExpF32.TABLE;
    final FloatVector log2e = FloatVector.broadcast(F, k[ExpF32.T_LOG2E]),
        negLn2Hi = FloatVector.broadcast(F, k[ExpF32.T_NEG_LN2_HI]),
        negLn2Lo = FloatVector.broadcast(F, k[ExpF32.T_NEG_LN2_LO]),
        c2 = FloatVector.broadcast(F, k[ExpF32.T_C2]), c3 = FloatVector.broadcast(F, k[ExpF32.T_C3]),
        c4 = FloatVector.broadcast(F, k[ExpF32.T_C4]), c5 = FloatVector.broadcast(F, k[ExpF32.T_C5]),
        c6 = FloatVector.broadcast(F, k[ExpF32.T_C6]);
    FloatVector sum = FloatVector.zero(F), compensation = sum;
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      FloatVector xv = FloatVector.fromArray(F, x, xo + i);
      FloatVector z = xv.sub(vc);
      FloatVector t = z.fma(log2e, vMagic);
      FloatVector kf = t.sub(vMagic);
      FloatVector e = ExpF32.finish(t, kf.fma(negLn2Hi, z), kf.mul(negLn2Lo), c2, c3, c4, c5, c6)
          .blend(0f, xv.compare(LT, vThreshold).or(xv.eq(vMax)));
      FloatVector addend = e.sub(compensation);
      FloatVector next = sum.add(addend);
      compensation = next.sub(sum).sub(addend);
      sum = next;
    }
    double tailSum = 0;
    for (; i < n; i++) {
      float v = x[xo + i];
      tailSum += v < threshold || v == m ? 0f : ExpF32.exp(v - c, magic);
    }
    return total(sum, compensation) + tailSum;
  }

  /** {@link #expSumBelow} for {@code exp((x - c) * beta)}, with {@code beta = betaHi + betaLo}. */
  static double expSumBelowScaled(float[] x, int xo, int n, float c, float betaHi, float betaLo, float magic,
      float threshold, float m) {
    final int lanes = F.length();
    final FloatVector vc = FloatVector.broadcast(F, c), vMagic = FloatVector.broadcast(F, magic),
        vBetaHi = FloatVector.broadcast(F, betaHi), vBetaLo = FloatVector.broadcast(F, betaLo),
        vThreshold = FloatVector.broadcast(F, threshold), vMax = FloatVector.broadcast(F, m);
    final float[] k = ExpF32.TABLE;
    final FloatVector log2e = FloatVector.broadcast(F, k[ExpF32.T_LOG2E]),
        negLn2Hi = FloatVector.broadcast(F, k[ExpF32.T_NEG_LN2_HI]),
        negLn2Lo = FloatVector.broadcast(F, k[ExpF32.T_NEG_LN2_LO]),
        c2 = FloatVector.broadcast(F, k[ExpF32.T_C2]), c3 = FloatVector.broadcast(F, k[ExpF32.T_C3]),
        c4 = FloatVector.broadcast(F, k[ExpF32.T_C4]), c5 = FloatVector.broadcast(F, k[ExpF32.T_C5]),
        c6 = FloatVector.broadcast(F, k[ExpF32.T_C6]);
    FloatVector sum = FloatVector.zero(F), compensation = sum;
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      FloatVector xv = FloatVector.fromArray(F, x, xo + i);
      FloatVector d = xv.sub(vc);
      FloatVector zHi = d.mul(vBetaHi);
      FloatVector zLo = d.fma(vBetaLo, d.fma(vBetaHi, zHi.neg()));
      FloatVector t = zHi.fma(log2e, vMagic);
      FloatVector kf = t.sub(vMagic);
      FloatVector e = ExpF32.finish(t, kf.fma(negLn2Hi, zHi), kf.fma(negLn2Lo, zLo), c2, c3, c4, c5, c6)
          .blend(0f, xv.compare(LT, vThreshold).or(xv.eq(vMax)));
      FloatVector addend = e.sub(compensation);
      FloatVector next = sum.add(addend);
      compensation = next.sub(sum).sub(addend);
      sum = next;
    }
    double tailSum = 0;
    for (; i < n; i++) {
      float v = x[xo + i];
      tailSum += v < threshold || v == m ? 0f : ExpF32.exp(v, c, betaHi, betaLo, magic);
    }
    return total(sum, compensation) + tailSum;
  }

  /** {@code sum - compensation} over all lanes, in double. */
  private static double total(FloatVector sum, FloatVector compensation) {
    DoubleVector s = ((DoubleVector) sum.convertShape(F2D, D, 0)).add(sum.convertShape(F2D, D, 1));
    DoubleVector c = ((DoubleVector) compensation.convertShape(F2D, D, 0)).add(compensation.convertShape(F2D, D, 1));
    return s.reduceLanes(ADD) - c.reduceLanes(ADD);
  }

  // ------------------------------------------------------------------------------------ output passes

  /**
   * {@code y *= 1/sum} with the reciprocal split into two floats and applied in one fused multiply-add, so
   * each output is rounded once.
   */
  static void normalize(float[] y, int yo, int n, double sum) {
    double inverse = 1.0 / sum;
    float hi = (float) inverse;
    float lo = (float) (inverse - hi);
    final int lanes = F.length();
    final FloatVector vHi = FloatVector.broadcast(F, hi), vLo = FloatVector.broadcast(F, lo);
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      FloatVector e = FloatVector.fromArray(F, y, yo + i);
      e.fma(vHi, e.mul(vLo)).intoArray(y, yo + i);
    }
    if (i < n) {
      VectorMask<Float> tail = F.indexInRange(i, n);
      FloatVector e = FloatVector.fromArray(F, y, yo + i, tail);
      e.fma(vHi, e.mul(vLo)).intoArray(y, yo + i, tail);
    }
  }

  /**
   * {@code y = (x - m) * beta - lambda}, evaluated in double: {@code x - m} is exact there, so each output is
   * rounded once, at the conversion back to float.
   */
  static void logSoftmaxOutput(float[] x, int xo, float[] y, int yo, int n, float m, double beta,
      double lambda) {
    final int lanes = D.length();
    final DoubleVector vm = DoubleVector.broadcast(D, m), vBeta = DoubleVector.broadcast(D, beta),
        vLambda = DoubleVector.broadcast(D, lambda);
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      DoubleVector xd = (DoubleVector) FloatVector.fromArray(FH, x, xo + i).convertShape(F2D, D, 0);
      DoubleVector out = xd.sub(vm).mul(vBeta).sub(vLambda);
      ((FloatVector) out.convertShape(D2F, FH, 0)).intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      y[yo + i] = (float) (((double) x[xo + i] - m) * beta - lambda);
    }
  }
}
