package io.github.logits4j.internal.panama;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.ABS;
import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.IS_INFINITE;
import static jdk.incubator.vector.VectorOperators.IS_NAN;
import static jdk.incubator.vector.VectorOperators.LT;

import io.github.logits4j.internal.spi.LossSums;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Binary cross-entropy with logits, sigmoid and log-sigmoid of doubles, with one rounding at the end.
 *
 * <p>Everything goes through {@code e = exp(-|x|)}, which never overflows, taken from {@link ExpF64} as a
 * double-double {@code eHi + eLo} (the rounded exponential and its exact rounding error; within 2^-60
 * relative). Then, in double-double:
 * <ul>
 *   <li>{@code sigmoid(x) = 1/(1+e)} for {@code x >= 0} and {@code e/(1+e)} below;</li>
 *   <li>{@code log1p(e) = 2 atanh(t)}, {@code t = e/(2+e)}, or above {@code sqrt(2)-1},
 *       {@code ln 2 + 2 atanh((e-1)/(e+3))}, so {@code |t| <= 0.172}: {@code 2t} in double-double and
 *       twelve more terms of the odd series in double (relatively below 0.0102, so 2^-59 of the total);</li>
 *   <li>the loss {@code w [A + lw log1p(e)]} with its linear part {@code A}, {@code (1-z) x} for
 *       {@code x >= 0} and {@code -pw z x} below, and {@code lw = (1-z) + pw z}: sums of non-negative
 *       terms, so nothing cancels around a tiny loss.</li>
 * </ul>
 * Sigmoid and log-sigmoid are rounded once (within 0.5 ulp plus 2^-58 relative); the loss once more for
 * the element weight (within 1 ulp). The scalar twins below compute the same operations in the same order,
 * so a row's tail gets the bits its vector would have given.
 */
final class LogisticF64 {
  private static final VectorSpecies<Double> D = VectorWidth.DOUBLE;
  private static final double LN2_HI = DoubleDouble.LN2_HI, LN2_MID = DoubleDouble.LN2_MID;
  private static final double SQRT2_MINUS_1 = 0x1.a827999fcef32p-2;

  private LogisticF64() {}

  // ------------------------------------------------------------------------------------------ rows

  /**
   * The loss over {@code rows x cols} elements, written to {@code out} and, scaled, its gradient to
   * {@code grad}; returns the sum, each weight scaled by {@code 2^-shift}, divided by the divisor, with the
   * blocks of {@link LossSums} (or their sums into {@code partials}). Each element's loss is rounded once,
   * with its weight folded in ({@code w A + w lw log1p(e)}); a block's sum is a double-double (Neumaier per
   * lane, TwoSum across lanes), and the total is divided in double-double and rounded once: within 1.5 ulp.
   */
  static double bceRows(double[] x, int xo, int rows, int cols, double[] z, int zo, double[] pw, double[] w, int wo,
      double[] out, int oo, double[] grad, int go, double scale, int shift, double divisorHi, double divisorLo,
      double[] partials, int partialsOffset) {
    final double weightScale = Math.scalb(1.0, -shift);  // the loss is linear in the weight
    final int lanes = D.length();
    final double magic = ExpF64.magic(0);
    final DoubleVector vMagic = DoubleVector.broadcast(D, magic), log2e = DoubleVector.broadcast(D, ExpF64.LOG2E_8),
        negLn2Hi = DoubleVector.broadcast(D, -ExpF64.LN2_8_HI), negLn2Lo = DoubleVector.broadcast(D, -ExpF64.LN2_8_LO),
        one = DoubleVector.broadcast(D, 1.0);
    final LongVector h0 = ExpF64.hiPart(0), h1 = ExpF64.hiPart(1), h2 = ExpF64.hiPart(2), h3 = ExpF64.hiPart(3),
        l0 = ExpF64.loPart(0), l1 = ExpF64.loPart(1), l2 = ExpF64.loPart(2), l3 = ExpF64.loPart(3),
        oneBits = LongVector.broadcast(VectorWidth.LONG, ExpF64.ONE_BITS);
    final int perBlock = LossSums.rowsPerBlock(cols);
    double totalHi = 0, totalLo = 0;
    for (int first = 0, b = partialsOffset; first < rows; first += perBlock, b += 2) {
      DoubleVector sum = DoubleVector.zero(D), compensation = sum;
      double tailHi = 0, tailLo = 0;
      for (int row = first; row < Math.min(rows, first + perBlock); row++) {
        int base = row * cols;
        int i = 0;
        for (; i <= cols - lanes; i += lanes) {
          int at = base + i;
          DoubleVector xv = DoubleVector.fromArray(D, x, xo + at), zv = DoubleVector.fromArray(D, z, zo + at);
          DoubleVector pwv = pw == null ? one : DoubleVector.fromArray(D, pw, i);
          DoubleVector wv = (w == null ? one : DoubleVector.fromArray(D, w, wo + at)).mul(weightScale);
          // e = exp(-|x|) as eHi + eLo
          DoubleVector a = xv.lanewise(ABS).neg();
          DoubleVector t = a.fma(log2e, vMagic);
          DoubleVector kf = t.sub(vMagic);
          DoubleVector rHi = kf.fma(negLn2Hi, a);
          DoubleVector small = ExpF64.smallTerms(rHi, kf.mul(negLn2Lo));
          LongVector tb = t.reinterpretAsLongs();
          DoubleVector th = ExpF64.lookup(tb, h0, h1, h2, h3), tl = ExpF64.lookup(tb, l0, l1, l2, l3);
          DoubleVector p = th.mul(rHi);
          DoubleVector s = th.add(p);
          DoubleVector lo = p.sub(s.sub(th)).add(th.fma(rHi, p.neg())).add(th.fma(small, tl.fma(rHi, tl)));
          DoubleVector e0 = s.add(lo);
          LongVector exponent = tb.lanewise(ASHR, 3).lanewise(LSHL, 52);
          VectorMask<Double> negligible = a.compare(LT, -ExpF64.CUTOFF);
          DoubleVector eHi = e0.reinterpretAsLongs().add(exponent).reinterpretAsDoubles().mul(0x1p-64)
              .blend(0.0, negligible);
          DoubleVector eLo = lo.sub(e0.sub(s)).mul(exponent.add(oneBits).reinterpretAsDoubles()).mul(0x1p-64)
              .blend(0.0, negligible);
          // w lw = w ((1 - z) + pw z) and w times the linear part, as double-doubles
          DoubleVector omz = one.sub(zv);
          DoubleVector omzLo = twoSumError(one, zv.neg(), omz);
          DoubleVector pz = pwv.mul(zv);
          DoubleVector pzLo = pwv.fma(zv, pz.neg());
          DoubleVector lw = omz.add(pz);
          DoubleVector lwLo = twoSumError(omz, pz, lw).add(omzLo).add(pzLo);
          DoubleVector wlw = wv.mul(lw), wlwLo = wv.fma(lw, wlw.neg()).add(wv.mul(lwLo));
          VectorMask<Double> negative = xv.compare(LT, 0.0);
          DoubleVector f = omz.blend(pz.neg(), negative), fLo = omzLo.blend(pzLo.neg(), negative);
          DoubleVector wf = wv.mul(f), wfLo = wv.fma(f, wf.neg()).add(wv.mul(fLo));
          DoubleVector linear = wf.mul(xv);
          DoubleVector linearLo = wf.fma(xv, linear.neg()).add(wfLo.mul(xv));
          DoubleVector l = log1pScaledPlus(eHi, eLo, wlw, wlwLo, linear, linearLo);
          // e below 2^-900: log1p(e) is e to far below an ulp, and lw e is formed before the bias comes off,
          // so that a loss in the subnormal range is rounded once, not once for e and again for the product
          DoubleVector eBiased = e0.reinterpretAsLongs().add(exponent).reinterpretAsDoubles();
          VectorMask<Double> tiny = eBiased.compare(LT, TINY_BIASED).andNot(negligible);
          l = l.blend(linear.add(linearLo.add(wlw.mul(eBiased).mul(0x1p-64))), tiny);
          l = limits(l, xv, zv).blend(xv, xv.test(IS_NAN));
          DoubleVector next = sum.add(l);
          VectorMask<Double> termIsBigger = sum.lt(l);
          compensation = compensation.add(sum.blend(l, termIsBigger).sub(next).add(l.blend(sum, termIsBigger)));
          sum = next;
          if (out != null) {
            l.intoArray(out, oo + at);
          }
          if (grad != null) {
            // w [(1 - z) - lw sigmoid(-x)], sigmoid(-x) = e/(1+e) for x >= 0, 1/(1+e) below
            DoubleVector sigmoidNeg = eHi.blend(1.0, negative).div(eHi.add(1.0));
            omz.sub(lw.mul(sigmoidNeg)).mul(wv).mul(scale).intoArray(grad, go + at);
          }
        }
        for (; i < cols; i++) {
          int at = base + i;
          double pwi = pw == null ? 1 : pw[i], wi = (w == null ? 1 : w[wo + at]) * weightScale;
          double l = bce(x[xo + at], z[zo + at], pwi, wi);
          double next = tailHi + l;
          tailLo += DoubleDouble.twoSumError(tailHi, l, next);
          tailHi = next;
          if (out != null) {
            out[oo + at] = l;
          }
          if (grad != null) {
            grad[go + at] = scale * bceGradient(x[xo + at], z[zo + at], pwi, wi);
          }
        }
      }
      // the block's sum: the lanes and their compensations added to the tail's double-double in lane order
      double blockHi = tailHi, blockLo = tailLo;
      for (int lane = 0; lane < D.length(); lane++) {
        double v = sum.lane(lane);
        double next = blockHi + v;
        blockLo += DoubleDouble.twoSumError(blockHi, v, next) + compensation.lane(lane);
        blockHi = next;
      }
      if (partials != null) {
        partials[b] = blockHi;
        partials[b + 1] = blockLo;
      } else {
        double h = LossSums.hi(totalHi, blockHi);
        totalLo = LossSums.lo(totalHi, totalLo, blockHi, blockLo);
        totalHi = h;
      }
    }
    return partials != null ? 0 : LossSums.quotient(totalHi, totalLo, divisorHi, divisorLo);
  }

  static void sigmoid(double[] x, int xo, double[] y, int yo, int count) {
    final int lanes = D.length();
    final double magic = ExpF64.magic(0);
    final DoubleVector vMagic = DoubleVector.broadcast(D, magic), log2e = DoubleVector.broadcast(D, ExpF64.LOG2E_8),
        negLn2Hi = DoubleVector.broadcast(D, -ExpF64.LN2_8_HI), negLn2Lo = DoubleVector.broadcast(D, -ExpF64.LN2_8_LO),
        one = DoubleVector.broadcast(D, 1.0);
    final LongVector h0 = ExpF64.hiPart(0), h1 = ExpF64.hiPart(1), h2 = ExpF64.hiPart(2), h3 = ExpF64.hiPart(3),
        l0 = ExpF64.loPart(0), l1 = ExpF64.loPart(1), l2 = ExpF64.loPart(2), l3 = ExpF64.loPart(3),
        oneBits = LongVector.broadcast(VectorWidth.LONG, ExpF64.ONE_BITS);
    int i = 0;
    for (; i <= count - lanes; i += lanes) {
      DoubleVector xv = DoubleVector.fromArray(D, x, xo + i);
      DoubleVector a = xv.lanewise(ABS).neg();
      DoubleVector t = a.fma(log2e, vMagic);
      DoubleVector kf = t.sub(vMagic);
      DoubleVector rHi = kf.fma(negLn2Hi, a);
      DoubleVector small = ExpF64.smallTerms(rHi, kf.mul(negLn2Lo));
      LongVector tb = t.reinterpretAsLongs();
      DoubleVector th = ExpF64.lookup(tb, h0, h1, h2, h3), tl = ExpF64.lookup(tb, l0, l1, l2, l3);
      DoubleVector p = th.mul(rHi);
      DoubleVector s = th.add(p);
      DoubleVector lo = p.sub(s.sub(th)).add(th.fma(rHi, p.neg())).add(th.fma(small, tl.fma(rHi, tl)));
      DoubleVector e0 = s.add(lo);
      LongVector exponent = tb.lanewise(ASHR, 3).lanewise(LSHL, 52);
      VectorMask<Double> negligible = a.compare(LT, -ExpF64.CUTOFF);
      DoubleVector eHi = e0.reinterpretAsLongs().add(exponent).reinterpretAsDoubles().mul(0x1p-64)
          .blend(0.0, negligible);
      DoubleVector eLo = lo.sub(e0.sub(s)).mul(exponent.add(oneBits).reinterpretAsDoubles()).mul(0x1p-64)
          .blend(0.0, negligible);
      // (1 or e) / (1 + e) in double-double
      DoubleVector den = one.add(eHi);
      DoubleVector denLo = twoSumError(one, eHi, den).add(eLo);
      VectorMask<Double> nonNegative = xv.compare(GE, 0.0);
      DoubleVector num = eHi.blend(1.0, nonNegative), numLo = eLo.blend(0.0, nonNegative);
      DoubleVector q = num.div(den);
      q.add(q.neg().fma(den, num).add(numLo).sub(q.mul(denLo)).div(den)).blend(xv, xv.test(IS_NAN))
          .intoArray(y, yo + i);
    }
    for (; i < count; i++) {
      y[yo + i] = sigmoid(x[xo + i]);
    }
  }

  static void logSigmoid(double[] x, int xo, double[] y, int yo, int count) {
    final int lanes = D.length();
    final double magic = ExpF64.magic(0);
    final DoubleVector vMagic = DoubleVector.broadcast(D, magic), log2e = DoubleVector.broadcast(D, ExpF64.LOG2E_8),
        negLn2Hi = DoubleVector.broadcast(D, -ExpF64.LN2_8_HI), negLn2Lo = DoubleVector.broadcast(D, -ExpF64.LN2_8_LO),
        one = DoubleVector.broadcast(D, 1.0), zero = DoubleVector.zero(D);
    final LongVector h0 = ExpF64.hiPart(0), h1 = ExpF64.hiPart(1), h2 = ExpF64.hiPart(2), h3 = ExpF64.hiPart(3),
        l0 = ExpF64.loPart(0), l1 = ExpF64.loPart(1), l2 = ExpF64.loPart(2), l3 = ExpF64.loPart(3),
        oneBits = LongVector.broadcast(VectorWidth.LONG, ExpF64.ONE_BITS);
    int i = 0;
    for (; i <= count - lanes; i += lanes) {
      DoubleVector xv = DoubleVector.fromArray(D, x, xo + i);
      DoubleVector a = xv.lanewise(ABS).neg();
      DoubleVector t = a.fma(log2e, vMagic);
      DoubleVector kf = t.sub(vMagic);
      DoubleVector rHi = kf.fma(negLn2Hi, a);
      DoubleVector small = ExpF64.smallTerms(rHi, kf.mul(negLn2Lo));
      LongVector tb = t.reinterpretAsLongs();
      DoubleVector th = ExpF64.lookup(tb, h0, h1, h2, h3), tl = ExpF64.lookup(tb, l0, l1, l2, l3);
      DoubleVector p = th.mul(rHi);
      DoubleVector s = th.add(p);
      DoubleVector lo = p.sub(s.sub(th)).add(th.fma(rHi, p.neg())).add(th.fma(small, tl.fma(rHi, tl)));
      DoubleVector e0 = s.add(lo);
      LongVector exponent = tb.lanewise(ASHR, 3).lanewise(LSHL, 52);
      VectorMask<Double> negligible = a.compare(LT, -ExpF64.CUTOFF);
      DoubleVector eHi = e0.reinterpretAsLongs().add(exponent).reinterpretAsDoubles().mul(0x1p-64)
          .blend(0.0, negligible);
      DoubleVector eLo = lo.sub(e0.sub(s)).mul(exponent.add(oneBits).reinterpretAsDoubles()).mul(0x1p-64)
          .blend(0.0, negligible);
      // -(max(-x, 0) + log1p(e)); -x is exact, and -inf stays -inf. For e below 2^-900, log1p(e) is e,
      // unbiased only at the end, so that a result below the smallest normal is rounded once.
      DoubleVector negX = xv.neg().max(zero);
      DoubleVector eBiased = e0.reinterpretAsLongs().add(exponent).reinterpretAsDoubles();
      VectorMask<Double> tiny = eBiased.compare(LT, TINY_BIASED).andNot(negligible);
      log1pScaledPlus(eHi, eLo, one, zero, negX, zero).blend(negX.add(eBiased.mul(0x1p-64)), tiny).neg()
          .blend(xv, xv.eq(Double.NEGATIVE_INFINITY).or(xv.test(IS_NAN))).intoArray(y, yo + i);
    }
    for (; i < count; i++) {
      y[yo + i] = logSigmoid(x[xo + i]);
    }
  }

  // ------------------------------------------------------------------------------------------ pieces

  /**
   * {@code a + lw log1p(e)} for {@code e = eHi + eLo} in [0, 1], {@code lw = lwHi + lwLo >= 0} and
   * {@code a = aHi + aLo >= 0}, rounded once.
   */
  static DoubleVector log1pScaledPlus(DoubleVector eHi, DoubleVector eLo, DoubleVector lwHi, DoubleVector lwLo,
      DoubleVector aHi, DoubleVector aLo) {
    // 1 + e = 2^b (1 + g): b = 0, g = e, or, above sqrt(2) - 1, b = 1, g = (e - 1)/2. Below 1/2, e - 1
    // rounds, so its error (a Fast2Sum, as |-1| >= e) joins the low part.
    VectorMask<Double> big = eHi.compare(GT, SQRT2_MINUS_1);
    DoubleVector eMinus1 = eHi.sub(1.0), eMinus1Lo = eHi.sub(eMinus1.add(1.0));
    DoubleVector gHi = eHi.blend(eMinus1.mul(0.5), big), gLo = eLo.blend(eLo.add(eMinus1Lo).mul(0.5), big);
    DoubleVector dHi = gHi.add(2.0);
    DoubleVector dLo = twoSumError(DoubleVector.broadcast(D, 2.0), gHi, dHi).add(gLo);
    DoubleVector tHi = gHi.div(dHi);
    DoubleVector tLo = tHi.neg().fma(dHi, gHi).add(gLo).sub(tHi.mul(dLo)).div(dHi);
    DoubleVector t2 = tHi.mul(tHi);
    DoubleVector series = t2.fma(DoubleVector.broadcast(D, 1.0 / 25), DoubleVector.broadcast(D, 1.0 / 23));
    series = series.fma(t2, DoubleVector.broadcast(D, 1.0 / 21));
    series = series.fma(t2, DoubleVector.broadcast(D, 1.0 / 19));
    series = series.fma(t2, DoubleVector.broadcast(D, 1.0 / 17));
    series = series.fma(t2, DoubleVector.broadcast(D, 1.0 / 15));
    series = series.fma(t2, DoubleVector.broadcast(D, 1.0 / 13));
    series = series.fma(t2, DoubleVector.broadcast(D, 1.0 / 11));
    series = series.fma(t2, DoubleVector.broadcast(D, 1.0 / 9));
    series = series.fma(t2, DoubleVector.broadcast(D, 1.0 / 7));
    series = series.fma(t2, DoubleVector.broadcast(D, 1.0 / 5));
    series = series.fma(t2, DoubleVector.broadcast(D, 1.0 / 3)).mul(t2);
    // log1p(e) = b ln2 + 2t + 2t series, as lHi + lLo
    DoubleVector twoT = tHi.add(tHi);
    DoubleVector ln2 = DoubleVector.zero(D).blend(LN2_HI, big);
    DoubleVector lHi = ln2.add(twoT);
    DoubleVector lLo = twoSumError(ln2, twoT, lHi).add(DoubleVector.zero(D).blend(LN2_MID, big))
        .add(tLo.add(tLo)).add(twoT.mul(series));
    // lw * l, then + a
    DoubleVector pHi = lwHi.mul(lHi);
    DoubleVector pLo = lwHi.fma(lHi, pHi.neg()).add(lwHi.mul(lLo)).add(lwLo.mul(lHi));
    DoubleVector sHi = aHi.add(pHi);
    // a loss beyond the range is +inf: TwoSum of an infinity would make it NaN
    return sHi.add(twoSumError(aHi, pHi, sHi).add(aLo).add(pLo)).blend(sHi, sHi.test(IS_INFINITE));
  }

  /** Infinite logits take their limits: 0 where the logit agrees with its target, +inf otherwise. */
  private static DoubleVector limits(DoubleVector l, DoubleVector x, DoubleVector z) {
    DoubleVector inf = DoubleVector.broadcast(D, Double.POSITIVE_INFINITY);
    l = l.blend(inf.blend(0.0, z.eq(0.0)), x.eq(Double.NEGATIVE_INFINITY));
    return l.blend(inf.blend(0.0, z.eq(1.0)), x.eq(Double.POSITIVE_INFINITY));
  }

  private static DoubleVector twoSumError(DoubleVector a, DoubleVector b, DoubleVector s) {
    DoubleVector bb = s.sub(a);
    return a.sub(s.sub(bb)).add(b.sub(bb));
  }

  // ------------------------------------------------------------------------------------------ scalar twins

  /** {@code exp(-|x|)}'s rounded value ({@code hi}) or its rounding error ({@code !hi}), unbiased. */
  /** {@code 2^-900} times the exponential's bias of 2^64: below it, {@code log1p(e) = e} is all it takes. */
  private static final double TINY_BIASED = 0x1p-836;

  private static double expNegAbs(double x, boolean hi) {
    double a = -Math.abs(x);
    if (a < -ExpF64.CUTOFF || Double.isNaN(a)) {
      return Double.isNaN(a) ? a : 0;
    }
    double magic = ExpF64.magic(0);
    return (hi ? ExpF64.exp(a, 0, magic) : ExpF64.roundingError(a, 0, magic)) * 0x1p-64;
  }

  static double log1pScaledPlus(double eHi, double eLo, double lwHi, double lwLo, double aHi, double aLo) {
    boolean big = eHi > SQRT2_MINUS_1;
    double eMinus1 = eHi - 1.0, eMinus1Lo = eHi - (eMinus1 + 1.0);  // Fast2Sum error: |-1| >= e
    double gHi = big ? eMinus1 * 0.5 : eHi, gLo = big ? (eLo + eMinus1Lo) * 0.5 : eLo;
    double dHi = gHi + 2.0;
    double dLo = DoubleDouble.twoSumError(2.0, gHi, dHi) + gLo;
    double tHi = gHi / dHi;
    double tLo = (Math.fma(-tHi, dHi, gHi) + gLo - tHi * dLo) / dHi;
    double t2 = tHi * tHi;
    double series = Math.fma(t2, 1.0 / 25, 1.0 / 23);
    series = Math.fma(series, t2, 1.0 / 21);
    series = Math.fma(series, t2, 1.0 / 19);
    series = Math.fma(series, t2, 1.0 / 17);
    series = Math.fma(series, t2, 1.0 / 15);
    series = Math.fma(series, t2, 1.0 / 13);
    series = Math.fma(series, t2, 1.0 / 11);
    series = Math.fma(series, t2, 1.0 / 9);
    series = Math.fma(series, t2, 1.0 / 7);
    series = Math.fma(series, t2, 1.0 / 5);
    series = Math.fma(series, t2, 1.0 / 3) * t2;
    double twoT = tHi + tHi;
    double ln2 = big ? LN2_HI : 0;
    double lHi = ln2 + twoT;
    double lLo = DoubleDouble.twoSumError(ln2, twoT, lHi) + (big ? LN2_MID : 0) + (tLo + tLo) + twoT * series;
    double pHi = lwHi * lHi;
    double pLo = Math.fma(lwHi, lHi, -pHi) + lwHi * lLo + lwLo * lHi;
    double sHi = aHi + pHi;
    return Double.isInfinite(sHi) ? sHi : sHi + (DoubleDouble.twoSumError(aHi, pHi, sHi) + aLo + pLo);
  }

  static double sigmoid(double x) {
    double eHi = expNegAbs(x, true), eLo = expNegAbs(x, false);
    if (Double.isNaN(x)) {
      return x;
    }
    double den = 1 + eHi;
    double denLo = DoubleDouble.twoSumError(1, eHi, den) + eLo;
    double num = x >= 0 ? 1 : eHi, numLo = x >= 0 ? 0 : eLo;
    double q = num / den;
    return q + (Math.fma(-q, den, num) + numLo - q * denLo) / den;
  }

  static double logSigmoid(double x) {
    if (x == Double.NEGATIVE_INFINITY || Double.isNaN(x)) {
      return x;
    }
    double a = -Math.abs(x);
    if (a >= -ExpF64.CUTOFF) {
      double eBiased = ExpF64.exp(a, 0, ExpF64.magic(0));
      if (eBiased < TINY_BIASED) {
        return -(Math.max(-x, 0) + eBiased * 0x1p-64);
      }
    }
    return -log1pScaledPlus(expNegAbs(x, true), expNegAbs(x, false), 1, 0, Math.max(-x, 0), 0);
  }

  static double bce(double x, double z, double pw, double w) {
    if (x == Double.NEGATIVE_INFINITY) {
      return z == 0 ? 0 : Double.POSITIVE_INFINITY;
    }
    if (x == Double.POSITIVE_INFINITY) {
      return z == 1 ? 0 : Double.POSITIVE_INFINITY;
    }
    double eHi = expNegAbs(x, true), eLo = expNegAbs(x, false);
    double omz = 1 - z;
    double omzLo = DoubleDouble.twoSumError(1, -z, omz);
    double pz = pw * z;
    double pzLo = Math.fma(pw, z, -pz);
    double lw = omz + pz;
    double lwLo = DoubleDouble.twoSumError(omz, pz, lw) + omzLo + pzLo;
    double wlw = w * lw, wlwLo = Math.fma(w, lw, -wlw) + w * lwLo;
    boolean negative = x < 0;
    double f = negative ? -pz : omz, fLo = negative ? -pzLo : omzLo;
    double wf = w * f, wfLo = Math.fma(w, f, -wf) + w * fLo;
    double linear = wf * x;
    double linearLo = Math.fma(wf, x, -linear) + wfLo * x;
    double l = log1pScaledPlus(eHi, eLo, wlw, wlwLo, linear, linearLo);
    double a = -Math.abs(x);
    if (a >= -ExpF64.CUTOFF) {
      double eBiased = ExpF64.exp(a, 0, ExpF64.magic(0));
      if (eBiased < TINY_BIASED) {
        l = linear + (linearLo + wlw * eBiased * 0x1p-64);
      }
    }
    return Double.isNaN(x) ? x : l;
  }

  static double bceGradient(double x, double z, double pw, double w) {
    double lw = (1 - z) + pw * z;
    double e = Math.exp(-Math.abs(x));
    double sigmoidNeg = x >= 0 ? e / (1 + e) : 1 / (1 + e);
    return w * ((1 - z) - lw * sigmoidNeg);
  }
}
