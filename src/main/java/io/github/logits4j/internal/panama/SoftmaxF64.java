package io.github.logits4j.internal.panama;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.IS_INFINITE;
import static jdk.incubator.vector.VectorOperators.LT;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax, log-softmax and log-sum-exp of one double row on the Vector API.
 *
 * <p>Each op finds the row maximum {@code m} ({@link RowMax}), then exponentiates {@code x - m}, carried
 * exactly as a TwoSum pair, with {@link ExpF64}, whose terms come with their rounding errors. Sums are
 * double-double: Neumaier's compensation over the rounded terms per lane, plus the terms' rounding errors,
 * reduced across lanes with TwoSum. So every sum is known to about 2^-60 relative, whatever its length.
 *
 * <p>Error bounds, for finite rows, against the exact result:
 * <ul>
 *   <li>softmax: each stored term is within 0.51 ulp; the normalisation multiplies by a double-double
 *       reciprocal in one fused multiply-add (0.5 ulp); a term rounded at the bottom of its binade can
 *       land at the top of the output's, which doubles its error in output ulps: below 1.6 ulp;</li>
 *   <li>log-softmax: {@code (x - m)/T - log1p(s)} with {@code log1p} of the double-double sum, rounded
 *       once (0.5 ulp), subtracted with a TwoSum and rounded again: below 1.1 ulp;</li>
 *   <li>log-sum-exp: {@code m + log1p(s)} in double-double, rounded once, and when {@code m} and
 *       {@code log1p(s)} cancel so far that the result is in doubt, recomputed from exact exponentials:
 *       below 1 ulp.</li>
 * </ul>
 */
final class SoftmaxF64 {
  private static final VectorSpecies<Double> D = VectorWidth.DOUBLE;
  private static final VectorShuffle<Double> SWAP_1 = VectorShuffle.fromOp(D, i -> i ^ 1);
  private static final VectorShuffle<Double> SWAP_2 = VectorShuffle.fromOp(D, i -> i ^ (2 % D.length()));
  private static final VectorShuffle<Double> SWAP_4 = VectorShuffle.fromOp(D, i -> i ^ (4 % D.length()));

  private SoftmaxF64() {}

  // ------------------------------------------------------------------------------------ row entry points

  /** Softmax of {@code x / T} with {@code beta = 1/T = betaHi + betaLo} ({@code 1, 0} for no temperature). */
  static void softmax(double[] x, int xo, double[] y, int yo, int n, double betaHi, double betaLo) {
    double m = RowMax.max(x, xo, n);
    if (!Double.isFinite(m)) {
      Arrays.fill(y, yo, yo + n, Double.NaN);
      return;
    }
    expStoreNormalize(x, xo, y, yo, n, m, betaHi, betaLo, m - ExpF64.CUTOFF / betaHi);
  }

  static void logSoftmax(double[] x, int xo, double[] y, int yo, int n, double betaHi, double betaLo) {
    double m = RowMax.max(x, xo, n);
    if (!Double.isFinite(m)) {
      Arrays.fill(y, yo, yo + n, Double.NaN);
      return;
    }
    double lambda = log1pOthersPlus(x, xo, n, m, betaHi, betaLo, 0, 0);
    logSoftmaxOutput(x, xo, y, yo, n, m, betaHi, betaLo, lambda);
  }

  /**
   * {@code m + log1p(s)}, rounded once. The fast result is known to {@code 2^-57 log1p(s)}; if that is not
   * below an eighth of its ulp, {@code m} and {@code log1p(s)} cancel, and the row is summed again from
   * exponentials exact to 2^-100 ({@link DoubleDouble.ExpSum}).
   */
  static double logSumExp(double[] x, int xo, int n) {
    double m = RowMax.max(x, xo, n);
    if (!Double.isFinite(m)) {
      return m;
    }
    double fast = log1pOthersPlus(x, xo, n, m, 1.0, 0.0, m, 0);
    double bound = 0x1p-57 * Math.abs(fast - m) + 0x1p-100 * Math.abs(m);
    if (bound <= Math.ulp(fast) / 8) {
      return fast;
    }
    DoubleDouble.ExpSum sum = new DoubleDouble.ExpSum();
    for (int i = 0; i < n; i++) {
      double v = x[xo + i];
      if (v < m) {
        double d = v - m;
        sum.addExp(d, DoubleDouble.twoSumError(v, -m, d), 0);
      }
    }
    int ties = RowMax.countEqual(x, xo, n, m);
    double s = sum.hi + (ties - 1);
    return DoubleDouble.log1pPlusExact(s, DoubleDouble.twoSumError(sum.hi, ties - 1, s) + sum.lo, m, 0);
  }

  /**
   * {@code a + log(sum_j exp((x_j - m) * beta))} rounded once, for a finite row maximum {@code m}, written
   * as {@code a + log1p(s)} with {@code s} the double-double sum over the entries below the maximum plus
   * the surplus of ties, so that a confident row, where {@code s} is tiny, keeps full relative accuracy.
   */
  static double log1pOthersPlus(double[] x, int xo, int n, double m, double betaHi, double betaLo, double aHi,
      double aLo) {
    return log1pOthersTimesPlus(x, xo, n, m, betaHi, betaLo, 1, 0, aHi, aLo);
  }

  /** {@code a + c log1p(s)} for the row's {@code s} as in {@link #log1pOthersPlus}, rounded once. */
  static double log1pOthersTimesPlus(double[] x, int xo, int n, double m, double betaHi, double betaLo,
      double cHi, double cLo, double aHi, double aLo) {
    double threshold = m - ExpF64.CUTOFF / betaHi;
    int ties = RowMax.countEqual(x, xo, n, m);
    if (n < VectorWidth.NARROW_DOUBLE) {
      return sumScalar(x, xo, n, m, betaHi, betaLo, threshold, true, null, 0, ties - 1, cHi, cLo, aHi, aLo);
    }
    return sumBelow(x, xo, n, m, betaHi, betaLo, threshold, ties - 1, cHi, cLo, aHi, aLo);
  }

  // ------------------------------------------------------------------------------------ exp passes

  /**
   * Stores {@code exp((x - m) * beta) * 2^BIAS} (0 below {@code threshold}) into {@code y}, then scales the
   * row by the reciprocal of their double-double sum.
   */
  static void expStoreNormalize(double[] x, int xo, double[] y, int yo, int n, double m, double betaHi,
      double betaLo, double threshold) {
    if (n < VectorWidth.NARROW_DOUBLE) {
      sumScalar(x, xo, n, m, betaHi, betaLo, threshold, false, y, yo, 0, 1, 0, 0, 0);
      return;
    }
    final int lanes = D.length();
    final double magic = ExpF64.magic(0);
    final DoubleVector vNegM = DoubleVector.broadcast(D, -m), vMagic = DoubleVector.broadcast(D, magic),
        vBetaHi = DoubleVector.broadcast(D, betaHi), vBetaLo = DoubleVector.broadcast(D, betaLo),
        vThreshold = DoubleVector.broadcast(D, threshold), log2e = DoubleVector.broadcast(D, ExpF64.LOG2E_8),
        negLn2Hi = DoubleVector.broadcast(D, -ExpF64.LN2_8_HI), negLn2Lo = DoubleVector.broadcast(D, -ExpF64.LN2_8_LO);
    final LongVector h0 = ExpF64.hiPart(0), h1 = ExpF64.hiPart(1), h2 = ExpF64.hiPart(2), h3 = ExpF64.hiPart(3),
        l0 = ExpF64.loPart(0), l1 = ExpF64.loPart(1), l2 = ExpF64.loPart(2), l3 = ExpF64.loPart(3),
        one = LongVector.broadcast(VectorWidth.LONG, ExpF64.ONE_BITS);
    final boolean unscaled = betaHi == 1.0 && betaLo == 0.0;
    DoubleVector sum = DoubleVector.zero(D), compensation = sum, lost = sum;
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      DoubleVector xv = DoubleVector.fromArray(D, x, xo + i);
      DoubleVector zHi = xv.add(vNegM);
      DoubleVector zLo = twoSumError(xv, vNegM, zHi);
      if (!unscaled) {
        DoubleVector p = zHi.mul(vBetaHi);
        zLo = zHi.fma(vBetaHi, p.neg()).add(zHi.fma(vBetaLo, zLo.mul(vBetaHi)));
        zHi = p;
      }
      DoubleVector t = zHi.fma(log2e, vMagic);
      DoubleVector kf = t.sub(vMagic);
      DoubleVector rHi = kf.fma(negLn2Hi, zHi);
      DoubleVector small = ExpF64.smallTerms(rHi, kf.fma(negLn2Lo, zLo));
      LongVector tb = t.reinterpretAsLongs();
      DoubleVector th = ExpF64.lookup(tb, h0, h1, h2, h3), tl = ExpF64.lookup(tb, l0, l1, l2, l3);
      DoubleVector p = th.mul(rHi);
      DoubleVector s = th.add(p);
      DoubleVector lo = p.sub(s.sub(th)).add(th.fma(rHi, p.neg())).add(th.fma(small, tl.fma(rHi, tl)));
      DoubleVector e0 = s.add(lo);
      LongVector exponent = tb.lanewise(ASHR, 3).lanewise(LSHL, 52);
      VectorMask<Double> negligible = xv.compare(LT, vThreshold);
      DoubleVector e = e0.reinterpretAsLongs().add(exponent).reinterpretAsDoubles().blend(0.0, negligible);
      e.intoArray(y, yo + i);
      lost = lost.add(lo.sub(e0.sub(s)).mul(exponent.add(one).reinterpretAsDoubles()).blend(0.0, negligible));
      DoubleVector next = sum.add(e);
      VectorMask<Double> termIsBigger = sum.lt(e);
      compensation = compensation.add(sum.blend(e, termIsBigger).sub(next).add(e.blend(sum, termIsBigger)));
      sum = next;
    }
    // The lanes' double-double totals, folded pairwise with TwoSum until every lane holds the row's. The
    // TwoSums are written out: these kernels exceed C2's node budget for inlining helper methods, and a
    // helper left as a call would box its vector arguments.
    DoubleVector hi = sum, lo = compensation.add(lost);
    if (lanes > 1) {
      DoubleVector oh = hi.rearrange(SWAP_1), s = hi.add(oh), bb = s.sub(hi);
      lo = lo.add(lo.rearrange(SWAP_1)).add(hi.sub(s.sub(bb)).add(oh.sub(bb)));  // TwoSum, spelled out
      hi = s;
    }
    if (lanes > 2) {
      DoubleVector oh = hi.rearrange(SWAP_2), s = hi.add(oh), bb = s.sub(hi);
      lo = lo.add(lo.rearrange(SWAP_2)).add(hi.sub(s.sub(bb)).add(oh.sub(bb)));  // TwoSum, spelled out
      hi = s;
    }
    if (lanes > 4) {
      DoubleVector oh = hi.rearrange(SWAP_4), s = hi.add(oh), bb = s.sub(hi);
      lo = lo.add(lo.rearrange(SWAP_4)).add(hi.sub(s.sub(bb)).add(oh.sub(bb)));  // TwoSum, spelled out
      hi = s;
    }
    double sHi = hi.lane(0), sLo = lo.lane(0);
    if (i < n) {
      // the terms' rounding errors first: in place, storing the tail overwrites the logits it reads
      double tailLost = tailError(x, xo, n, i, m, betaHi, betaLo, threshold, magic);
      storeTail(x, xo, y, yo, n, i, m, betaHi, betaLo, threshold, magic);
      tailLost += sumLow(y, yo, i, n, sHi);
      sHi = sumHigh(y, yo, i, n, sHi);
      sLo += tailLost;
    }
    normalize(y, yo, n, sHi, sLo);
  }

  /**
   * {@code a + log1p(s + surplus)} rounded once, {@code s} the double-double sum of
   * {@code exp((x - m) * beta)} over the entries below the maximum and not below {@code threshold}.
   */
  static double sumBelow(double[] x, int xo, int n, double m, double betaHi, double betaLo, double threshold,
      int surplus, double cHi, double cLo, double aHi, double aLo) {
    final int lanes = D.length();
    final double magic = ExpF64.magic(0);
    final DoubleVector vNegM = DoubleVector.broadcast(D, -m), vMax = DoubleVector.broadcast(D, m),
        vMagic = DoubleVector.broadcast(D, magic), vBetaHi = DoubleVector.broadcast(D, betaHi),
        vBetaLo = DoubleVector.broadcast(D, betaLo), vThreshold = DoubleVector.broadcast(D, threshold),
        log2e = DoubleVector.broadcast(D, ExpF64.LOG2E_8), negLn2Hi = DoubleVector.broadcast(D, -ExpF64.LN2_8_HI),
        negLn2Lo = DoubleVector.broadcast(D, -ExpF64.LN2_8_LO);
    final LongVector h0 = ExpF64.hiPart(0), h1 = ExpF64.hiPart(1), h2 = ExpF64.hiPart(2), h3 = ExpF64.hiPart(3),
        l0 = ExpF64.loPart(0), l1 = ExpF64.loPart(1), l2 = ExpF64.loPart(2), l3 = ExpF64.loPart(3),
        one = LongVector.broadcast(VectorWidth.LONG, ExpF64.ONE_BITS);
    final boolean unscaled = betaHi == 1.0 && betaLo == 0.0;
    DoubleVector sum = DoubleVector.zero(D), compensation = sum, lost = sum;
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      DoubleVector xv = DoubleVector.fromArray(D, x, xo + i);
      DoubleVector zHi = xv.add(vNegM);
      DoubleVector zLo = twoSumError(xv, vNegM, zHi);
      if (!unscaled) {
        DoubleVector p = zHi.mul(vBetaHi);
        zLo = zHi.fma(vBetaHi, p.neg()).add(zHi.fma(vBetaLo, zLo.mul(vBetaHi)));
        zHi = p;
      }
      DoubleVector t = zHi.fma(log2e, vMagic);
      DoubleVector kf = t.sub(vMagic);
      DoubleVector rHi = kf.fma(negLn2Hi, zHi);
      DoubleVector small = ExpF64.smallTerms(rHi, kf.fma(negLn2Lo, zLo));
      LongVector tb = t.reinterpretAsLongs();
      DoubleVector th = ExpF64.lookup(tb, h0, h1, h2, h3), tl = ExpF64.lookup(tb, l0, l1, l2, l3);
      DoubleVector p = th.mul(rHi);
      DoubleVector s = th.add(p);
      DoubleVector lo = p.sub(s.sub(th)).add(th.fma(rHi, p.neg())).add(th.fma(small, tl.fma(rHi, tl)));
      DoubleVector e0 = s.add(lo);
      LongVector exponent = tb.lanewise(ASHR, 3).lanewise(LSHL, 52);
      VectorMask<Double> left = xv.compare(LT, vThreshold).or(xv.eq(vMax));
      DoubleVector e = e0.reinterpretAsLongs().add(exponent).reinterpretAsDoubles().blend(0.0, left);
      lost = lost.add(lo.sub(e0.sub(s)).mul(exponent.add(one).reinterpretAsDoubles()).blend(0.0, left));
      DoubleVector next = sum.add(e);
      VectorMask<Double> termIsBigger = sum.lt(e);
      compensation = compensation.add(sum.blend(e, termIsBigger).sub(next).add(e.blend(sum, termIsBigger)));
      sum = next;
    }
    DoubleVector hi = sum, lo = compensation.add(lost);
    if (lanes > 1) {
      DoubleVector oh = hi.rearrange(SWAP_1), s = hi.add(oh), bb = s.sub(hi);
      lo = lo.add(lo.rearrange(SWAP_1)).add(hi.sub(s.sub(bb)).add(oh.sub(bb)));  // TwoSum, spelled out
      hi = s;
    }
    if (lanes > 2) {
      DoubleVector oh = hi.rearrange(SWAP_2), s = hi.add(oh), bb = s.sub(hi);
      lo = lo.add(lo.rearrange(SWAP_2)).add(hi.sub(s.sub(bb)).add(oh.sub(bb)));  // TwoSum, spelled out
      hi = s;
    }
    if (lanes > 4) {
      DoubleVector oh = hi.rearrange(SWAP_4), s = hi.add(oh), bb = s.sub(hi);
      lo = lo.add(lo.rearrange(SWAP_4)).add(hi.sub(s.sub(bb)).add(oh.sub(bb)));  // TwoSum, spelled out
      hi = s;
    }
    double sHi = hi.lane(0), sLo = lo.lane(0);
    return finishBelow(x, xo, n, i, m, betaHi, betaLo, threshold, magic, sHi, sLo, surplus, cHi, cLo, aHi, aLo);
  }

  /** The scalar end of {@link #sumBelow}: the tail's terms, the bias removed, the surplus, the log. */
  private static double finishBelow(double[] x, int xo, int n, int from, double m, double betaHi, double betaLo,
      double threshold, double magic, double sHi, double sLo, int surplus, double cHi, double cLo, double aHi,
      double aLo) {
    for (int i = from; i < n; i++) {
      double v = x[xo + i];
      if (v < threshold || v == m) {
        continue;
      }
      double zHi = v - m, zLo = DoubleDouble.twoSumError(v, -m, zHi);
      if (betaHi != 1.0 || betaLo != 0.0) {
        double p = zHi * betaHi;
        zLo = Math.fma(zHi, betaHi, -p) + Math.fma(zHi, betaLo, zLo * betaHi);
        zHi = p;
      }
      double e = ExpF64.exp(zHi, zLo, magic);
      double s = sHi + e;
      sLo += DoubleDouble.twoSumError(sHi, e, s) + ExpF64.roundingError(zHi, zLo, magic);
      sHi = s;
    }
    return log1pResult(sHi, sLo, surplus, cHi, cLo, aHi, aLo);
  }

  /**
   * {@code a + c log1p(s + surplus)} from the biased double-double sum {@code sHi + sLo = s 2^BIAS}, rounded
   * once. A sum so small that unbiasing it would land below the normal range is taken as
   * {@code log1p(s) = s} (its square is far below the subnormal grid) and unbiased only at the end, so a
   * subnormal result is rounded once.
   */
  private static double log1pResult(double sHi, double sLo, int surplus, double cHi, double cLo, double aHi,
      double aLo) {
    if (surplus == 0 && sHi < 0x1p-836) {
      double cs = cHi * sHi, csLo = Math.fma(cHi, sHi, -cs) + cHi * sLo + cLo * sHi;
      return aHi + (aLo + Math.scalb(cs + csLo, -ExpF64.BIAS));
    }
    double hi = Math.scalb(sHi, -ExpF64.BIAS), lo = Math.scalb(sLo, -ExpF64.BIAS);
    double withSurplus = hi + surplus;
    return DoubleDouble.log1pTimesPlus(withSurplus, DoubleDouble.twoSumError(hi, surplus, withSurplus) + lo, cHi,
        cLo, aHi, aLo);
  }

  /** {@code start + y[from] + ... + y[n-1]}, added left to right in double. */
  private static double sumHigh(double[] y, int yo, int from, int n, double start) {
    double s = start;
    for (int i = from; i < n; i++) {
      s += y[yo + i];
    }
    return s;
  }

  /** The rounding errors of {@link #sumHigh}'s additions, summed: with it, the sum is a double-double. */
  private static double sumLow(double[] y, int yo, int from, int n, double start) {
    double s = start, lost = 0;
    for (int i = from; i < n; i++) {
      double next = s + y[yo + i];
      lost += DoubleDouble.twoSumError(s, y[yo + i], next);
      s = next;
    }
    return lost;
  }

  /** Stores the scalar tail's terms from {@code from}. */
  private static void storeTail(double[] x, int xo, double[] y, int yo, int n, int from, double m,
      double betaHi, double betaLo, double threshold, double magic) {
    for (int i = from; i < n; i++) {
      double v = x[xo + i];
      double e = 0;
      if (!(v < threshold)) {
        double zHi = v - m, zLo = DoubleDouble.twoSumError(v, -m, zHi);
        if (betaHi != 1.0 || betaLo != 0.0) {
          double p = zHi * betaHi;
          zLo = Math.fma(zHi, betaHi, -p) + Math.fma(zHi, betaLo, zLo * betaHi);
          zHi = p;
        }
        e = ExpF64.exp(zHi, zLo, magic);
      }
      y[yo + i] = e;
    }
  }

  /**
   * The rounding errors of {@link #storeTail}'s terms, from a second look at the logits: tails are shorter
   * than a vector, so this costs little.
   */
  private static double tailError(double[] x, int xo, int n, int from, double m, double betaHi, double betaLo,
      double threshold, double magic) {
    double error = 0;
    for (int i = from; i < n; i++) {
      double v = x[xo + i];
      if (!(v < threshold)) {
        double zHi = v - m, zLo = DoubleDouble.twoSumError(v, -m, zHi);
        if (betaHi != 1.0 || betaLo != 0.0) {
          double p = zHi * betaHi;
          zLo = Math.fma(zHi, betaHi, -p) + Math.fma(zHi, betaLo, zLo * betaHi);
          zHi = p;
        }
        error += ExpF64.roundingError(zHi, zLo, magic);
      }
    }
    return error;
  }

  /**
   * The whole row in scalar code, for rows narrower than a vector, where setting up the vector pass would
   * cost more than the row: with {@code y} null, returns {@code a + log1p(s + surplus)} over the entries
   * below the maximum; otherwise stores the softmax into {@code y} and returns 0.
   */
  private static double sumScalar(double[] x, int xo, int n, double m, double betaHi, double betaLo,
      double threshold, boolean below, double[] y, int yo, int surplus, double cHi, double cLo, double aHi,
      double aLo) {
    final double magic = ExpF64.magic(0);
    double sHi = 0, sLo = 0;
    for (int i = 0; i < n; i++) {
      double v = x[xo + i];
      double e = 0, error = 0;
      if (!(v < threshold) && !(below && v == m)) {
        double zHi = v - m, zLo = DoubleDouble.twoSumError(v, -m, zHi);
        if (betaHi != 1.0 || betaLo != 0.0) {
          double p = zHi * betaHi;
          zLo = Math.fma(zHi, betaHi, -p) + Math.fma(zHi, betaLo, zLo * betaHi);
          zHi = p;
        }
        e = ExpF64.exp(zHi, zLo, magic);
        error = ExpF64.roundingError(zHi, zLo, magic);
      }
      if (y != null) {
        y[yo + i] = e;
      }
      double s = sHi + e;
      sLo += DoubleDouble.twoSumError(sHi, e, s) + error;
      sHi = s;
    }
    if (y != null) {
      normalize(y, yo, n, sHi, sLo);
      return 0;
    }
    return log1pResult(sHi, sLo, surplus, cHi, cLo, aHi, aLo);
  }

  // ------------------------------------------------------------------------------------ output passes

  /** {@code y *= 1 / (sHi + sLo)} with the reciprocal as a double-double applied in one FMA per entry. */
  private static void normalize(double[] y, int yo, int n, double sHi, double sLo) {
    double hi = 1.0 / sHi;
    double lo = (Math.fma(-hi, sHi, 1.0) - hi * sLo) / sHi;
    final int lanes = D.length();
    final DoubleVector vHi = DoubleVector.broadcast(D, hi), vLo = DoubleVector.broadcast(D, lo);
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      DoubleVector e = DoubleVector.fromArray(D, y, yo + i);
      e.fma(vHi, e.mul(vLo)).intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      double e = y[yo + i];
      y[yo + i] = Math.fma(e, hi, e * lo);
    }
  }

  /**
   * {@code y = (x - m) * beta - lambda} with {@code x - m} carried exactly as a TwoSum pair and the final
   * subtraction done as another TwoSum, so each output is rounded essentially once. Where {@code x - m}
   * overflows or {@code x} is -inf, the result is that infinity.
   */
  static void logSoftmaxOutput(double[] x, int xo, double[] y, int yo, int n, double m, double betaHi,
      double betaLo, double lambda) {
    final int lanes = D.length();
    final DoubleVector vNegM = DoubleVector.broadcast(D, -m), vBetaHi = DoubleVector.broadcast(D, betaHi),
        vBetaLo = DoubleVector.broadcast(D, betaLo), vNegLambda = DoubleVector.broadcast(D, -lambda);
    final boolean unscaled = betaHi == 1.0 && betaLo == 0.0;
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      DoubleVector xv = DoubleVector.fromArray(D, x, xo + i);
      DoubleVector s = xv.add(vNegM);
      DoubleVector sErr = twoSumError(xv, vNegM, s);
      DoubleVector zHi = s, zLo = sErr;
      if (!unscaled) {
        zHi = s.mul(vBetaHi);
        zLo = s.fma(vBetaHi, zHi.neg()).add(s.fma(vBetaLo, sErr.mul(vBetaHi)));
      }
      if (!unscaled && s.test(IS_INFINITE).anyTrue()) {
        // x - m beyond the range, which a temperature above 1 can bring back: the scalar form has the care
        for (int j = i; j < i + lanes; j++) {
          y[yo + j] = logSoftmaxScalar(x[xo + j], m, betaHi, betaLo, lambda, false);
        }
        continue;
      }
      DoubleVector h = zHi.add(vNegLambda);
      DoubleVector out = h.add(twoSumError(zHi, vNegLambda, h).add(zLo));
      out.blend(zHi, zHi.test(IS_INFINITE)).intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      y[yo + i] = logSoftmaxScalar(x[xo + i], m, betaHi, betaLo, lambda, unscaled);
    }
  }

  private static double logSoftmaxScalar(double x, double m, double betaHi, double betaLo, double lambda,
      boolean unscaled) {
    double s = x - m;
    if (Double.isInfinite(s)) {
      // -inf for a masked entry; otherwise x - m is beyond the range, and so is the result unless a
      // temperature above 1 brings it back, which the half scale shows
      return unscaled || Double.isInfinite(x) ? s : halfScaleLogSoftmax(x, m, betaHi, betaLo, lambda);
    }
    double sErr = DoubleDouble.twoSumError(x, -m, s);
    double zHi = s, zLo = sErr;
    if (!unscaled) {
      zHi = s * betaHi;
      zLo = Math.fma(s, betaHi, -zHi) + Math.fma(s, betaLo, sErr * betaHi);
      if (Double.isInfinite(zHi)) {
        return zHi;
      }
    }
    double h = zHi - lambda;
    return h + (DoubleDouble.twoSumError(zHi, -lambda, h) + zLo);
  }

  /**
   * {@code (x - m) * beta - lambda} for a finite {@code x} so far below {@code m} that {@code x - m}
   * exceeds the double range: computed as twice {@code (x/2 - m/2) * beta - lambda/2}, where the halves
   * are exact and the difference is the one of the full scale, halved. The final doubling is exact, or
   * overflows where the result does.
   */
  private static double halfScaleLogSoftmax(double x, double m, double betaHi, double betaLo, double lambda) {
    double a = x * 0.5, b = -m * 0.5;
    double s = a + b, sErr = DoubleDouble.twoSumError(a, b, s);
    double zHi = s * betaHi;
    if (Double.isInfinite(zHi)) {
      return zHi;  // beyond the range even at half scale
    }
    double zLo = Math.fma(s, betaHi, -zHi) + Math.fma(s, betaLo, sErr * betaHi);
    double half = -lambda * 0.5;
    double h = zHi + half;
    return 2 * (h + (DoubleDouble.twoSumError(zHi, half, h) + zLo));
  }

  /**
   * The rounding error of {@code s = a + b}, lane by lane, as {@link DoubleDouble#twoSumError}: Fast2Sum with
   * the larger operand first, which stays finite where Knuth's TwoSum overflows near the top of the range.
   */
  private static DoubleVector twoSumError(DoubleVector a, DoubleVector b, DoubleVector s) {
    VectorMask<Double> swap = a.abs().compare(LT, b.abs());
    DoubleVector big = a.blend(b, swap), small = b.blend(a, swap);
    return small.sub(s.sub(big));
  }
}
