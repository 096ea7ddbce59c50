package io.github.logits4j.internal.panama;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.F2D;
import static jdk.incubator.vector.VectorOperators.D2F;
import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.LE;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.MAX;
import static jdk.incubator.vector.VectorOperators.MIN;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax, log-softmax and log-sum-exp of one float row on the Vector API.
 *
 * <p>Each op is a few passes over the row: {@link RowMax} finds the maximum, an exp pass sums the biased
 * exponentials of {@link ExpF32} with Kahan compensation per lane, and an output pass writes the result.
 * Softmax usually skips the maximum's pass: see {@link #softmaxRows}. The exp passes keep every constant
 * in a local vector and finish a row's last partial vector with the scalar twin of the exponential, which
 * gives the same bits.
 *
 * <p>Error bounds, for finite rows, against the exact result:
 * <ul>
 *   <li>softmax: each stored exponential is within {@code E} ulp (about 0.55, measured exhaustively); the
 *       sum is compensated, its relative error of order {@code n * 2^-48}; the normalisation multiplies by
 *       a double-float reciprocal in one fused multiply-add (0.5 ulp). A stored term rounded at the bottom
 *       of its binade can land at the top of the output's, which doubles its error in output ulps: at most
 *       {@code 2E + 0.5}, below 2 ulp;</li>
 *   <li>log-softmax: {@code (x - max)/T - log1p(s)} in double, where {@code s} is the compensated sum of
 *       the exponentials other than the maximum's, so entries near 0 of a confident row keep their
 *       relative accuracy; rounded once to float. Below 2 ulp;</li>
 *   <li>log-sum-exp: {@code max + log1p(s)} from double exponentials, rounded once. Below 1 ulp.</li>
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
   * {@link #expStoreFused}, which exponentiates without knowing the row's maximum, with the exponent shift
   * guessed from the previous row's sum (or, for the first row, from its first entry), and checks the
   * guess afterwards; a row the guess does not fit, or that holds special values, falls back to the three
   * passes of {@link #softmax(float[], int, float[], int, int)}.
   *
   * <p>In place, a row that falls back must still hold its input, so there the row's extremes are read
   * first and the fused pass only runs when it will be accepted. The decisions, and so the results, are
   * the same bits in place and out of place.
   */
  static void softmaxRows(float[] x, int xOffset, float[] y, int yOffset, int rows, int n) {
    if (rows == 0) {
      return;
    }
    boolean inPlace = x == y;
    int shift = firstGuess(x[xOffset]);
    for (int r = 0; r < rows; r++) {
      int xo = xOffset + r * n, yo = yOffset + r * n;
      double sum = -1;
      if (!inPlace) {
        sum = expStoreFused(x, xo, y, yo, n, shift);
      } else {
        long maxAndMin = RowMax.maxAndMin(x, xo, n);
        float magic = ExpF32.magic(shift);
        int tMax = Float.floatToRawIntBits(
            Math.fma(Float.intBitsToFloat((int) (maxAndMin >>> 32)), ExpF32.LOG2E_16, magic));
        int tMin = Float.floatToRawIntBits(Math.fma(Float.intBitsToFloat((int) maxAndMin), ExpF32.LOG2E_16, magic));
        if (fusedAccepts(tMax, tMin, n, shift)) {
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
   * How far below the expected maximum the shift guess is set, in powers of two. The fused pass accepts a
   * row whose largest term lands up to {@code 34 - log2(n)} powers of two above the guess and whose
   * smallest term stays normal.
   */
  private static final int GUESS_MARGIN = 8;

  /** {@code |kf|} for {@code |z| = DIRECT_LIMIT}: the fused pass's logits stay within the direct limit. */
  private static final int KF_LIMIT = (int) (ExpF32.DIRECT_LIMIT * ExpF32.LOG2E_16);

  /**
   * Whether the fused pass with this shift is exact for a row whose magic sums {@code t} range over these
   * raw bits: every {@code t} is a rounded integer in {@code [2^23, 2^24)} (NaN, infinities and huge
   * logits fall outside), every logit is within the direct limit, every term {@code 2^K * (1 + q)} is a
   * normal float ({@code K >= -124}), the sum of {@code n} terms stays below 2^100, where the low half
   * of its reciprocal is still a normal float, and no output can fall below the smallest normal float.
   */
  static boolean fusedAccepts(int tMax, int tMin, int n, int shift) {
    if (tMin < 0x4B000000 || tMax >= 0x4B800000) {
      return false;
    }
    int offset = 0x4B400000 + 16 * (ExpF32.BIAS - shift);
    if (tMax - offset > KF_LIMIT || tMin - offset < -KF_LIMIT) {
      return false;
    }
    int bits = 32 - Integer.numberOfLeadingZeros(n);
    int kMin = ExpF32.exponentOf(tMin), kMax = ExpF32.exponentOf(tMax);
    // The last condition keeps every output normal: the smallest term is at least 0.97 * 2^kMin and the
    // sum at most n * 2.01 * 2^kMax, so every output is at least 2^(kMin - kMax - 2 - bits) >= 2^-126.
    // Rows with outputs below that go to softmax(), which gives them the care of accurateRow.
    return kMin >= -124 && kMax <= 98 - bits && kMin - kMax >= -124 + bits;
  }

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
    if (nearSubnormal(x, xo, n, m, min, 1.0)) {
      double sigma = accurateRow(x, xo, y, yo, n, m, 1.0);
      return direct ? shift + Math.getExponent(sigma) - GUESS_MARGIN : 0;
    }
    float threshold = min >= m - ExpF32.CUTOFF ? Float.NEGATIVE_INFINITY : m - ExpF32.CUTOFF;
    double sum = expStore(x, xo, y, yo, n, direct ? 0f : m, 1f, 0f, ExpF32.magic(shift), threshold);
    normalize(y, yo, n, sum);
    return direct ? shift + Math.getExponent(sum) - ExpF32.BIAS - GUESS_MARGIN : 0;
  }

  /** Softmax of {@code x / T}, with {@code beta = 1/T} and its float split {@code betaHi + betaLo}. */
  static void softmax(float[] x, int xo, float[] y, int yo, int n, double beta, float betaHi, float betaLo) {
    long maxAndMin = RowMax.maxAndMin(x, xo, n);
    float m = Float.intBitsToFloat((int) (maxAndMin >>> 32));
    float min = Float.intBitsToFloat((int) maxAndMin);
    if (!Float.isFinite(m)) {
      Arrays.fill(y, yo, yo + n, Float.NaN);
      return;
    }
    if (nearSubnormal(x, xo, n, m, min, beta)) {
      accurateRow(x, xo, y, yo, n, m, beta);
      return;
    }
    double zMax = m * beta;
    boolean direct = Math.abs(zMax) <= ExpF32.DIRECT_LIMIT;
    int shift = direct ? ExpF32.shiftFor(zMax) : 0;
    float threshold = (float) (m - ExpF32.CUTOFF / beta);
    double sum = expStore(x, xo, y, yo, n, direct ? 0f : m, betaHi, betaLo, ExpF32.magic(shift), threshold);
    normalize(y, yo, n, sum);
  }

  /** Log-softmax of {@code x / T} ({@code beta = 1/T}). */
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
   * cancels when the maximum is negative and close to {@code -log1p(s)}, which magnifies any error in
   * {@code s}; so the exponentials are evaluated in double ({@link #expSumBelowWide}), which leaves an
   * error below {@code 2^-50 log1p(s)}, and a row whose result that could push across a float rounding
   * boundary is recomputed from exact exponentials ({@link DoubleDouble.ExpSum}).
   */
  static float logSumExp(float[] x, int xo, int n) {
    float m = RowMax.max(x, xo, n);
    if (!Float.isFinite(m)) {
      return m;  // NaN, +inf, or -inf for an all -inf row
    }
    boolean narrow = n < F.length();
    double lambda = narrow
        ? ShortRows.log1pOthers(x, xo, n, m, 1.0)
        : Math.log1p(expSumBelowWide(x, xo, n, m) + (RowMax.countEqual(x, xo, n, m) - 1));
    double result = m + lambda;
    // the narrow path's scalar exponentials and log are looser: allow it 2^-48 relative
    if ((narrow ? 0x1p-48 : 0x1p-50) * lambda <= Math.ulp((float) result) / 8) {
      return (float) result;
    }
    DoubleDouble.ExpSum sum = new DoubleDouble.ExpSum();
    for (int i = 0; i < n; i++) {
      float v = x[xo + i];
      if (v < m) {
        sum.addExp((double) v - m, 0, 0);  // exact in double
      }
    }
    int ties = RowMax.countEqual(x, xo, n, m);
    double s = sum.hi + (ties - 1);
    return (float) DoubleDouble.log1pPlusExact(s, DoubleDouble.twoSumError(sum.hi, ties - 1, s) + sum.lo, m, 0);
  }

  /**
   * {@code sum exp(x - m)} over the entries strictly below the maximum {@code m}, in double precision, by
   * {@link #expScaledWide}: each term within 0.51 ulp of double and the sum plain, which leaves the total
   * within {@code n 2^-53} relative.
   */
  static double expSumBelowWide(float[] x, int xo, int n, float m) {
    return expScaledWide(x, xo, null, 0, n, m, 1.0, 0, true);
  }

  /**
   * {@code log(sum_j exp((x_j - m) * beta))} for a finite row maximum {@code m}, written as
   * {@code log1p(s)} with {@code s} the sum over the entries below the maximum plus the surplus of ties, so
   * that a confident row, where {@code s} is tiny, keeps full relative accuracy.
   */
  static double log1pOthers(float[] x, int xo, int n, float m, double beta, float betaHi, float betaLo) {
    if (n < F.length()) {
      return ShortRows.log1pOthers(x, xo, n, m, beta);
    }
    double zMax = m * beta;
    boolean direct = Math.abs(zMax) <= ExpF32.DIRECT_LIMIT;
    int shift = direct ? ExpF32.shiftFor(zMax) : 0;
    float threshold = (float) (m - ExpF32.CUTOFF / beta);
    double others = expSumBelow(x, xo, n, direct ? 0f : m, betaHi, betaLo, ExpF32.magic(shift), threshold, m);
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

  // ------------------------------------------------------------------ outputs near the subnormal range

  /**
   * Whether some output of the row could land just below the smallest normal float, where the general
   * passes are not accurate enough. There an output {@code p} is rounded to the subnormal grid, whose
   * spacing is as large as a float ulp of 2^-126, so the stored exponential's own error (up to 0.569 of its
   * ulp) adds up to 0.569 subnormal ulps to the final rounding's 0.5: more than the 1 subnormal ulp the
   * outputs below the smallest normal are held to, when {@code p} is above {@code 0.85 * 2^-126}. Such
   * outputs have {@code (x - m) * beta} in {@code [ln(0.85 * 2^-126), ln(2^-126) + ln(n)]}, which this
   * checks with a margin (the sum of the row, relative to its top term, is between 1 and n).
   */
  static boolean nearSubnormal(float[] x, int xo, int n, float m, float min, double beta) {
    double top = m - (87.33 - Math.log(n)) / beta, bottom = m - 87.6 / beta;
    if (min > top) {
      return false;
    }
    float hi = (float) top, lo = (float) bottom;
    hi = hi < top ? Math.nextUp(hi) : hi;
    lo = lo > bottom ? Math.nextDown(lo) : lo;
    final int lanes = F.length();
    final FloatVector vHi = FloatVector.broadcast(F, hi), vLo = FloatVector.broadcast(F, lo);
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      FloatVector v = FloatVector.fromArray(F, x, xo + i);
      if (v.compare(LE, vHi).and(v.compare(GE, vLo)).anyTrue()) {
        return true;
      }
    }
    for (; i < n; i++) {
      float v = x[xo + i];
      if (v <= hi && v >= lo) {
        return true;
      }
    }
    return false;
  }

  /**
   * Softmax of {@code x / T} computed in double, for the rows {@link #nearSubnormal} picks out: a sum pass
   * and an output pass, each exponentiating {@code (x - m) beta} in double with {@link ExpF64}, and each
   * output rounded to float once. Every output, normal or not, is then within 0.5 ulp (or subnormal ulp)
   * plus about 2^-45 relative. Both passes read {@code x} before writing the same entry of {@code y}, so
   * the row may be in place. Returns the row's sum relative to its top term.
   */
  static double accurateRow(float[] x, int xo, float[] y, int yo, int n, float m, double beta) {
    double sigma = expScaledWide(x, xo, null, 0, n, m, beta, 0, false);
    expScaledWide(x, xo, y, yo, n, m, beta, 1 / sigma, false);
    return sigma;
  }

  /**
   * {@code sum_j exp((x_j - m) beta)} in double over one row, leaving out the entries equal to {@code m} if
   * {@code belowMax}; if {@code y} is not null, also stores each {@code exp((x_j - m) beta) * scale},
   * rounded to float once. Half-width float loads widen to double lanes, where {@code x - m} is exact;
   * each exponential is within 0.51 ulp of double, and entries more than {@code CUTOFF} below the maximum
   * count as 0.
   */
  static double expScaledWide(float[] x, int xo, float[] y, int yo, int n, float m, double beta, double scale,
      boolean belowMax) {
    final int lanes = D.length();
    final double magic = ExpF64.magic(0);
    final boolean store = y != null;
    final double unbiasedScale = Math.scalb(scale, -ExpF64.BIAS);  // the terms carry 2^BIAS
    final DoubleVector vm = DoubleVector.broadcast(D, m), vMagic = DoubleVector.broadcast(D, magic),
        vBeta = DoubleVector.broadcast(D, beta), vScale = DoubleVector.broadcast(D, unbiasedScale),
        vFloor = DoubleVector.broadcast(D, -ExpF64.CUTOFF),
        log2e = DoubleVector.broadcast(D, ExpF64.LOG2E_8), negLn2Hi = DoubleVector.broadcast(D, -ExpF64.LN2_8_HI),
        negLn2Lo = DoubleVector.broadcast(D, -ExpF64.LN2_8_LO);
    final LongVector h0 = ExpF64.hiPart(0), h1 = ExpF64.hiPart(1), h2 = ExpF64.hiPart(2), h3 = ExpF64.hiPart(3),
        l0 = ExpF64.loPart(0), l1 = ExpF64.loPart(1), l2 = ExpF64.loPart(2), l3 = ExpF64.loPart(3);
    DoubleVector sum = DoubleVector.zero(D);
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      DoubleVector xv = (DoubleVector) FloatVector.fromArray(FH, x, xo + i).convertShape(F2D, D, 0);
      DoubleVector z = xv.sub(vm);
      if (beta != 1.0) {
        z = z.mul(vBeta);
      }
      DoubleVector t = z.fma(log2e, vMagic);
      DoubleVector kf = t.sub(vMagic);
      DoubleVector rHi = kf.fma(negLn2Hi, z);
      DoubleVector small = ExpF64.smallTerms(rHi, kf.mul(negLn2Lo));
      LongVector tb = t.reinterpretAsLongs();
      DoubleVector th = ExpF64.lookup(tb, h0, h1, h2, h3), tl = ExpF64.lookup(tb, l0, l1, l2, l3);
      DoubleVector p = th.mul(rHi);
      DoubleVector sp = th.add(p);
      DoubleVector e0 = sp.add(p.sub(sp.sub(th)).add(th.fma(rHi, p.neg())).add(th.fma(small, tl.fma(rHi, tl))));
      VectorMask<Double> dropped = z.compare(LT, vFloor);
      if (belowMax) {
        dropped = dropped.or(xv.eq(vm));
      }
      DoubleVector e = e0.reinterpretAsLongs().add(tb.lanewise(ASHR, 3).lanewise(LSHL, 52)).reinterpretAsDoubles()
          .blend(0.0, dropped);
      sum = sum.add(e);
      if (store) {
        ((FloatVector) e.mul(vScale).convertShape(D2F, FH, 0)).intoArray(y, yo + i);
      }
    }
    double tail = 0;
    for (; i < n; i++) {
      double z = ((double) x[xo + i] - m) * beta;
      double e = z < -ExpF64.CUTOFF || (belowMax && x[xo + i] == m) ? 0 : ExpF64.exp(z, 0, magic);
      tail += e;
      if (store) {
        y[yo + i] = (float) (e * unbiasedScale);
      }
    }
    return Math.scalb(LaneSums.sum(sum) + tail, -ExpF64.BIAS);
  }

  // ------------------------------------------------------------------------------------ exp passes

  /**
   * The fused pass: stores {@code exp(x) * 2^(BIAS - shift)} into {@code y} and returns the sum of the
   * exact terms, while it tracks the extremes of the magic sums {@code t}, which bound every term's
   * exponent. The row's maximum need not be known in advance because the shift is an exact power of two:
   * any shift that keeps the terms in range (see {@link #fusedAccepts}) gives the same softmax. At the end
   * the pass checks the row against {@link #fusedAccepts}; if it fails it returns -1 and the caller runs
   * the general passes.
   *
   * <p>The sum is of the exponentials before their final rounding: Kahan summation of the stored floats,
   * plus the sum of their rounding errors, each exact by Fast2Sum. Summing the rounded floats alone would
   * give the sum the rounding error of its largest terms, which the normalisation would pass on to every
   * output. The floats themselves are summed with Neumaier's compensation, which, unlike Kahan's, stays
   * exact when a term exceeds the running sum; on non-negative floats the larger and smaller of two is an
   * integer max and min of their bits.
   */
  static double expStoreFused(float[] x, int xo, float[] y, int yo, int n, int shift) {
    final int lanes = F.length();
    final float magic = ExpF32.magic(shift);
    final FloatVector vMagic = FloatVector.broadcast(F, magic);
    final float[] k = ExpF32.CONSTANTS;
    final FloatVector log2e = FloatVector.broadcast(F, k[ExpF32.K_LOG2E]),
        negLn2Hi = FloatVector.broadcast(F, k[ExpF32.K_NEG_LN2_HI]),
        negLn2Lo = FloatVector.broadcast(F, k[ExpF32.K_NEG_LN2_LO]),
        c2 = FloatVector.broadcast(F, k[ExpF32.K_C2]), c3 = FloatVector.broadcast(F, k[ExpF32.K_C3]);
    final IntVector h0 = ExpF32.hiPart(0), h1 = ExpF32.hiPart(1), h2 = ExpF32.hiPart(2), h3 = ExpF32.hiPart(3),
        l0 = ExpF32.loPart(0), l1 = ExpF32.loPart(1), l2 = ExpF32.loPart(2), l3 = ExpF32.loPart(3),
        one = IntVector.broadcast(I, ExpF32.ONE_BITS);
    IntVector tMax = IntVector.broadcast(I, Integer.MIN_VALUE), tMin = IntVector.broadcast(I, Integer.MAX_VALUE);
    // The running sum is carried as bits, so that the integer max and min need no reinterpretation of a
    // loop variable, which C2 would otherwise box on every iteration.
    IntVector sumBits = IntVector.zero(I);
    FloatVector compensation = FloatVector.zero(F), lost = compensation;
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      FloatVector z = FloatVector.fromArray(F, x, xo + i);
      FloatVector t = z.fma(log2e, vMagic);
      FloatVector kf = t.sub(vMagic);
      FloatVector q = ExpF32.polynomial(kf.fma(negLn2Lo, kf.fma(negLn2Hi, z)), c2, c3);
      IntVector tb = t.reinterpretAsInts();
      FloatVector th = ExpF32.tableHi(tb, h0, h1, h2, h3);
      FloatVector u = th.fma(q, ExpF32.tableLo(tb, l0, l1, l2, l3));
      FloatVector e0 = th.add(u);
      IntVector exponent = ExpF32.exponentBits(tb);
      IntVector eBits = e0.reinterpretAsInts().add(exponent);
      eBits.reinterpretAsFloats().intoArray(y, yo + i);
      lost = u.sub(e0.sub(th)).fma(exponent.add(one).reinterpretAsFloats(), lost);
      tMax = tMax.max(tb);
      tMin = tMin.min(tb);
      FloatVector next = sumBits.reinterpretAsFloats().add(eBits.reinterpretAsFloats());
      compensation = compensation.add(sumBits.max(eBits).reinterpretAsFloats().sub(next)
          .add(sumBits.min(eBits).reinterpretAsFloats()));
      sumBits = next.reinterpretAsInts();
    }
    // the row is accepted or not as a whole, tail included: the spread condition does not split
    double tail = fusedTail(x, xo, y, yo, n, i, magic, shift, tMax.reduceLanes(MAX), tMin.reduceLanes(MIN));
    if (tail < 0) {
      return -1;  // special values, entries to mask, or a row the guessed shift does not fit
    }
    FloatVector sum = sumBits.reinterpretAsFloats();
    DoubleVector laneSums = ((DoubleVector) sum.convertShape(F2D, D, 0))
        .add(sum.rearrange(VectorWidth.UPPER_HALF).convertShape(F2D, D, 0))
        .add(compensation.convertShape(F2D, D, 0))
        .add(compensation.rearrange(VectorWidth.UPPER_HALF).convertShape(F2D, D, 0))
        .add(lost.convertShape(F2D, D, 0))
        .add(lost.rearrange(VectorWidth.UPPER_HALF).convertShape(F2D, D, 0));
    return LaneSums.sum(laneSums) + tail;
  }

  /**
   * The scalar end of {@link #expStoreFused} from index {@code from}, in its own method so that the vector
   * pass stays within C2's inlining budget: the sum of the exact terms, or -1 if the whole row, whose
   * vector part's magic sums range over {@code [tLo, tHi]}, fails {@link #fusedAccepts}.
   */
  private static double fusedTail(float[] x, int xo, float[] y, int yo, int n, int from, float magic, int shift,
      int tHi, int tLo) {
    double sum = 0;
    for (int i = from; i < n; i++) {
      float v = x[xo + i];
      int tb = Float.floatToRawIntBits(Math.fma(v, ExpF32.LOG2E_16, magic));
      tHi = Math.max(tHi, tb);
      tLo = Math.min(tLo, tb);
      float e = ExpF32.exp(v, magic);
      y[yo + i] = e;
      sum += (double) e + ExpF32.roundingError(v, magic);
    }
    return fusedAccepts(tHi, tLo, n, shift) ? sum : -1;
  }

  /**
   * Stores {@code exp((x - c) * beta) * 2^(BIAS - shift)} (0 below {@code threshold}) into {@code y} and
   * returns the compensated sum; {@code beta = betaHi + betaLo}, with {@code 1, 0} for no temperature.
   * {@code x - c} is exact by the choice of {@code c} (see {@link ExpF32}), and its product with beta is
   * carried as a float pair whose small part joins the reduced argument.
   */
  static double expStore(float[] x, int xo, float[] y, int yo, int n, float c, float betaHi, float betaLo,
      float magic, float threshold) {
    final int lanes = F.length();
    final FloatVector vc = FloatVector.broadcast(F, c), vMagic = FloatVector.broadcast(F, magic),
        vBetaHi = FloatVector.broadcast(F, betaHi), vBetaLo = FloatVector.broadcast(F, betaLo),
        vThreshold = FloatVector.broadcast(F, threshold);
    final float[] k = ExpF32.CONSTANTS;
    final FloatVector log2e = FloatVector.broadcast(F, k[ExpF32.K_LOG2E]),
        negLn2Hi = FloatVector.broadcast(F, k[ExpF32.K_NEG_LN2_HI]),
        negLn2Lo = FloatVector.broadcast(F, k[ExpF32.K_NEG_LN2_LO]),
        c2 = FloatVector.broadcast(F, k[ExpF32.K_C2]), c3 = FloatVector.broadcast(F, k[ExpF32.K_C3]);
    final IntVector h0 = ExpF32.hiPart(0), h1 = ExpF32.hiPart(1), h2 = ExpF32.hiPart(2), h3 = ExpF32.hiPart(3),
        l0 = ExpF32.loPart(0), l1 = ExpF32.loPart(1), l2 = ExpF32.loPart(2), l3 = ExpF32.loPart(3),
        one = IntVector.broadcast(I, ExpF32.ONE_BITS);
    FloatVector sum = FloatVector.zero(F), compensation = sum, lost = sum;
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      FloatVector xv = FloatVector.fromArray(F, x, xo + i);
      FloatVector d = xv.sub(vc);
      FloatVector zHi = d.mul(vBetaHi);
      FloatVector zLo = d.fma(vBetaLo, d.fma(vBetaHi, zHi.neg()));
      FloatVector t = zHi.fma(log2e, vMagic);
      FloatVector kf = t.sub(vMagic);
      FloatVector q = ExpF32.polynomial(kf.fma(negLn2Lo, kf.fma(negLn2Hi, zHi)).add(zLo), c2, c3);
      IntVector tb = t.reinterpretAsInts();
      FloatVector th = ExpF32.tableHi(tb, h0, h1, h2, h3);
      FloatVector u = th.fma(q, ExpF32.tableLo(tb, l0, l1, l2, l3));
      FloatVector e0 = th.add(u);
      IntVector exponent = ExpF32.exponentBits(tb);
      VectorMask<Float> negligible = xv.compare(LT, vThreshold);
      FloatVector e = e0.reinterpretAsInts().add(exponent).reinterpretAsFloats().blend(0f, negligible);
      e.intoArray(y, yo + i);
      lost = lost.add(u.sub(e0.sub(th)).mul(exponent.add(one).reinterpretAsFloats()).blend(0f, negligible));
      FloatVector next = sum.add(e);
      VectorMask<Float> termIsBigger = sum.lt(e);
      compensation = compensation.add(sum.blend(e, termIsBigger).sub(next).add(e.blend(sum, termIsBigger)));
      sum = next;
    }
    double tailSum = 0;
    for (; i < n; i++) {
      float v = x[xo + i];
      float e = 0f, error = 0f;
      if (!(v < threshold)) {
        float dv = v - c;
        float zHi = dv * betaHi;
        float zLo = Math.fma(dv, betaLo, Math.fma(dv, betaHi, -zHi));
        e = ExpF32.exp(zHi, zLo, magic);
        error = ExpF32.roundingError(zHi, zLo, magic);
      }
      y[yo + i] = e;
      tailSum += (double) e + error;
    }
    DoubleVector laneSums = ((DoubleVector) sum.convertShape(F2D, D, 0))
        .add(sum.rearrange(VectorWidth.UPPER_HALF).convertShape(F2D, D, 0))
        .add(compensation.convertShape(F2D, D, 0))
        .add(compensation.rearrange(VectorWidth.UPPER_HALF).convertShape(F2D, D, 0))
        .add(lost.convertShape(F2D, D, 0))
        .add(lost.rearrange(VectorWidth.UPPER_HALF).convertShape(F2D, D, 0));
    return LaneSums.sum(laneSums) + tailSum;
  }

  /** The scalar twin of one lane of {@link #expStore}'s exponential. */
  static float scaledExp(float v, float c, float betaHi, float betaLo, float magic) {
    float d = v - c;
    float zHi = d * betaHi;
    float zLo = Math.fma(d, betaLo, Math.fma(d, betaHi, -zHi));
    return ExpF32.exp(zHi, zLo, magic);
  }

  /**
   * {@link #expStore} at temperature 1 whose returned sum leaves out the entries equal to the row maximum
   * {@code m}: the stored exponentials feed a gradient, the sum feeds {@code log1p} for the loss.
   */
  static double expStoreBelow(float[] x, int xo, float[] y, int yo, int n, float c, float magic, float threshold,
      float m) {
    final int lanes = F.length();
    final FloatVector vc = FloatVector.broadcast(F, c), vMagic = FloatVector.broadcast(F, magic),
        vThreshold = FloatVector.broadcast(F, threshold), vMax = FloatVector.broadcast(F, m);
    final float[] k = ExpF32.CONSTANTS;
    final FloatVector log2e = FloatVector.broadcast(F, k[ExpF32.K_LOG2E]),
        negLn2Hi = FloatVector.broadcast(F, k[ExpF32.K_NEG_LN2_HI]),
        negLn2Lo = FloatVector.broadcast(F, k[ExpF32.K_NEG_LN2_LO]),
        c2 = FloatVector.broadcast(F, k[ExpF32.K_C2]), c3 = FloatVector.broadcast(F, k[ExpF32.K_C3]);
    final IntVector h0 = ExpF32.hiPart(0), h1 = ExpF32.hiPart(1), h2 = ExpF32.hiPart(2), h3 = ExpF32.hiPart(3),
        l0 = ExpF32.loPart(0), l1 = ExpF32.loPart(1), l2 = ExpF32.loPart(2), l3 = ExpF32.loPart(3);
    FloatVector sum = FloatVector.zero(F), compensation = sum;
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      FloatVector xv = FloatVector.fromArray(F, x, xo + i);
      FloatVector z = xv.sub(vc);
      FloatVector t = z.fma(log2e, vMagic);
      FloatVector kf = t.sub(vMagic);
      FloatVector r = kf.fma(negLn2Lo, kf.fma(negLn2Hi, z));
      FloatVector e = ExpF32.finish(t, r, c2, c3, h0, h1, h2, h3, l0, l1, l2, l3)
          .blend(0f, xv.compare(LT, vThreshold));
      e.intoArray(y, yo + i);
      FloatVector below = e.blend(0f, xv.eq(vMax));
      FloatVector next = sum.add(below);
      VectorMask<Float> termIsBigger = sum.lt(below);
      compensation = compensation.add(sum.blend(below, termIsBigger).sub(next).add(below.blend(sum, termIsBigger)));
      sum = next;
    }
    double tailSum = 0;
    for (; i < n; i++) {
      float v = x[xo + i];
      float e = v < threshold ? 0f : ExpF32.exp(v - c, magic);
      y[yo + i] = e;
      tailSum += v == m ? 0 : e;
    }
    DoubleVector laneSums = ((DoubleVector) sum.convertShape(F2D, D, 0))
        .add(sum.rearrange(VectorWidth.UPPER_HALF).convertShape(F2D, D, 0))
        .add(compensation.convertShape(F2D, D, 0))
        .add(compensation.rearrange(VectorWidth.UPPER_HALF).convertShape(F2D, D, 0));
    return LaneSums.sum(laneSums) + tailSum;
  }

  /**
   * The compensated sum of {@code exp((x - c) * beta) * 2^(BIAS - shift)} over the entries strictly below
   * the row maximum {@code m} and not below {@code threshold}.
   */
  static double expSumBelow(float[] x, int xo, int n, float c, float betaHi, float betaLo, float magic,
      float threshold, float m) {
    final int lanes = F.length();
    final FloatVector vc = FloatVector.broadcast(F, c), vMagic = FloatVector.broadcast(F, magic),
        vBetaHi = FloatVector.broadcast(F, betaHi), vBetaLo = FloatVector.broadcast(F, betaLo),
        vThreshold = FloatVector.broadcast(F, threshold), vMax = FloatVector.broadcast(F, m);
    final float[] k = ExpF32.CONSTANTS;
    final FloatVector log2e = FloatVector.broadcast(F, k[ExpF32.K_LOG2E]),
        negLn2Hi = FloatVector.broadcast(F, k[ExpF32.K_NEG_LN2_HI]),
        negLn2Lo = FloatVector.broadcast(F, k[ExpF32.K_NEG_LN2_LO]),
        c2 = FloatVector.broadcast(F, k[ExpF32.K_C2]), c3 = FloatVector.broadcast(F, k[ExpF32.K_C3]);
    final IntVector h0 = ExpF32.hiPart(0), h1 = ExpF32.hiPart(1), h2 = ExpF32.hiPart(2), h3 = ExpF32.hiPart(3),
        l0 = ExpF32.loPart(0), l1 = ExpF32.loPart(1), l2 = ExpF32.loPart(2), l3 = ExpF32.loPart(3);
    FloatVector sum = FloatVector.zero(F), compensation = sum;
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      FloatVector xv = FloatVector.fromArray(F, x, xo + i);
      FloatVector d = xv.sub(vc);
      FloatVector zHi = d.mul(vBetaHi);
      FloatVector zLo = d.fma(vBetaLo, d.fma(vBetaHi, zHi.neg()));
      FloatVector t = zHi.fma(log2e, vMagic);
      FloatVector kf = t.sub(vMagic);
      FloatVector r = kf.fma(negLn2Lo, kf.fma(negLn2Hi, zHi)).add(zLo);
      FloatVector e = ExpF32.finish(t, r, c2, c3, h0, h1, h2, h3, l0, l1, l2, l3)
          .blend(0f, xv.compare(LT, vThreshold).or(xv.eq(vMax)));
      FloatVector next = sum.add(e);
      VectorMask<Float> termIsBigger = sum.lt(e);
      compensation = compensation.add(sum.blend(e, termIsBigger).sub(next).add(e.blend(sum, termIsBigger)));
      sum = next;
    }
    double tailSum = 0;
    for (; i < n; i++) {
      float v = x[xo + i];
      tailSum += v < threshold || v == m ? 0f : scaledExp(v, c, betaHi, betaLo, magic);
    }
    DoubleVector laneSums = ((DoubleVector) sum.convertShape(F2D, D, 0))
        .add(sum.rearrange(VectorWidth.UPPER_HALF).convertShape(F2D, D, 0))
        .add(compensation.convertShape(F2D, D, 0))
        .add(compensation.rearrange(VectorWidth.UPPER_HALF).convertShape(F2D, D, 0));
    return LaneSums.sum(laneSums) + tailSum;
  }

  // ------------------------------------------------------------------------------------ output passes

  /**
   * {@code y *= 1/sum} with the reciprocal split into two floats and applied in one fused multiply-add, so
   * each output is rounded once.
   */
  static void normalize(float[] y, int yo, int n, double sum) {
    double inverse = 1.0 / sum;
    float hi = (float) inverse;
    normalize(y, yo, n, hi, (float) (inverse - hi));
  }

  /** {@code y *= hi + lo}, rounded once per entry. */
  static void normalize(float[] y, int yo, int n, float hi, float lo) {
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
