package io.github.logits4j.internal.panama;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.D2F;
import static jdk.incubator.vector.VectorOperators.F2D;
import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.IS_FINITE;
import static jdk.incubator.vector.VectorOperators.IS_NAN;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.NE;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Log-sum-exp and log-softmax of narrow double rows, and log-sum-exp of narrow float rows widened to
 * double, one row per lane. A row narrower than {@link VectorWidth#NARROW_DOUBLE} is too short for a vector pass
 * of its own, and its scalar twin spends most of its time in the latency chain of one double-double
 * {@code log1p}; here a block of {@code D.length()} rows runs that chain once, for all of them side by
 * side. Column {@code j} of the block is one gathered
 * vector ({@code x[row * n + j]} in lane {@code row}).
 *
 * <p>Every lane performs the operations of {@link SoftmaxF64}'s scalar path ({@code sumScalar},
 * {@code log1pResult} and {@link DoubleDouble#log1pTimesPlus}) in the same order, so a row gets the same bits
 * either way and carries the same error bounds. The rare lanes that path treats specially (a sum below
 * 2^-836, where unbiasing would leave the normal range, or a log-sum-exp whose rounding is in doubt) are
 * recomputed by the scalar row functions.
 */
final class RowBlocks {
  private static final VectorSpecies<Double> D = VectorWidth.DOUBLE;
  private static final VectorSpecies<Long> J = VectorWidth.LONG;
  /** Floats with as many lanes as {@link #D}: a block of float rows, widened on loading. */
  private static final VectorSpecies<Float> FH = VectorWidth.FLOAT_HALF;
  private static final int LANES = D.length();
  private static final long MANTISSA = 0x000F_FFFF_FFFF_FFFFL, EXPONENT = 0x7FF0_0000_0000_0000L;
  private static final long SQRT2_MANTISSA = Double.doubleToRawLongBits(0x1.6a09e667f3bcdp0) & MANTISSA;
  /** The bits of 2^52: OR-ed with a small integer they make the double {@code 2^52 + i}. */
  private static final long TWO_52_BITS = 0x4330_0000_0000_0000L;

  /** {@code {0, n, 2n, ...}}: the gather map of a block's column, for each narrow width {@code n}. */
  private static final int[][] STRIDES = strides(VectorWidth.NARROW_DOUBLE, LANES);

  private RowBlocks() {}

  /**
   * The gather maps of row blocks: entry {@code n} (for {@code 1 <= n < widths}) holds {@code i * n} in
   * lane {@code i}, the offset of row {@code i}'s column from column 0 of the block's first row.
   */
  static int[][] strides(int widths, int lanes) {
    int[][] out = new int[widths][];
    for (int n = 1; n < widths; n++) {
      out[n] = new int[lanes];
      for (int i = 0; i < lanes; i++) {
        out[n][i] = i * n;
      }
    }
    return out;
  }

  /**
   * {@code out[r] = log(sum exp(row r))} for the leading whole blocks of {@code rows} rows of
   * {@code n < NARROW_DOUBLE} entries; returns how many rows it did (a multiple of the lane count).
   */
  static int logSumExp(double[] x, int xo, double[] out, int oo, int rows, int n) {
    int r = 0;
    for (; r + LANES <= rows; r += LANES) {
      block(x, null, xo + r * n, n, 1.0, 0.0, out, null, oo + r, null, 0);
    }
    return r;
  }

  /**
   * {@code out[r] = log(sum exp(row r))} rounded to float, for the leading whole blocks of {@code rows} float
   * rows of {@code n < NARROW_DOUBLE} entries; returns how many rows it did. The rows are widened to double, where
   * {@code x - m} is exact, and computed as the double rows are, which leaves the result within a few
   * units of 2^-57 relative before its one rounding to float; a lane whose result could still round the
   * wrong way by more than that ({@link SoftmaxF32#logSumExp}'s test) is recomputed by that function.
   */
  static int logSumExp(float[] x, int xo, float[] out, int oo, int rows, int n) {
    int r = 0;
    for (; r + LANES <= rows; r += LANES) {
      block(null, x, xo + r * n, n, 1.0, 0.0, null, out, oo + r, null, 0);
    }
    return r;
  }

  /**
   * Log-softmax of {@code x / T} ({@code beta = 1/T = betaHi + betaLo}) for the leading whole blocks of
   * {@code rows} rows of {@code n < NARROW_DOUBLE} entries; returns how many rows it did. In place is allowed:
   * a block reads all its entries before it writes any.
   */
  static int logSoftmax(double[] x, int xo, double[] y, int yo, int rows, int n, double betaHi, double betaLo) {
    int r = 0;
    for (; r + LANES <= rows; r += LANES) {
      block(x, null, xo + r * n, n, betaHi, betaLo, null, null, 0, y, yo + r * n);
    }
    return r;
  }

  /**
   * One block of {@code D.length()} rows from {@code base} of {@code x}, or of the float rows {@code xf}
   * widened: log-sum-exp into {@code out} (or {@code outF}) when one is not null, else log-softmax into
   * {@code y}. It is one method, steps written inline, because every call C2 leaves out of line would box
   * the vectors it passes.
   */
  private static void block(double[] x, float[] xf, int base, int n, double betaHi, double betaLo, double[] out,
      float[] outF, int oo, double[] y, int yBase) {
    int[] map = STRIDES[n];
    final boolean widen = xf != null;
    DoubleVector m = widen ? (DoubleVector) FloatVector.fromArray(FH, xf, base, map, 0).convertShape(F2D, D, 0)
        : DoubleVector.fromArray(D, x, base, map, 0);
    for (int j = 1; j < n; j++) {
      DoubleVector v = widen ? (DoubleVector) FloatVector.fromArray(FH, xf, base + j, map, 0).convertShape(F2D, D, 0)
          : DoubleVector.fromArray(D, x, base + j, map, 0);
      m = m.max(v);  // NaN in a lane whose row holds one
    }
    VectorMask<Double> finite = m.test(IS_FINITE);
    // lanes with a non-finite maximum compute on 0 and are overwritten at the end
    DoubleVector mf = m.blend(0.0, finite.not());
    DoubleVector threshold = mf.sub(ExpF64.CUTOFF / betaHi);

    // s = sum of exp((x - m) beta) 2^BIAS below the maximum, as sHi + sLo: sumScalar of SoftmaxF64, per lane
    final double magic = ExpF64.magic(0);
    final DoubleVector vNegM = mf.neg(), vMagic = DoubleVector.broadcast(D, magic),
        vBetaHi = DoubleVector.broadcast(D, betaHi), vBetaLo = DoubleVector.broadcast(D, betaLo),
        log2e = DoubleVector.broadcast(D, ExpF64.LOG2E_8), negLn2Hi = DoubleVector.broadcast(D, -ExpF64.LN2_8_HI),
        negLn2Lo = DoubleVector.broadcast(D, -ExpF64.LN2_8_LO);
    final LongVector h0 = ExpF64.hiPart(0), h1 = ExpF64.hiPart(1), h2 = ExpF64.hiPart(2), h3 = ExpF64.hiPart(3),
        l0 = ExpF64.loPart(0), l1 = ExpF64.loPart(1), l2 = ExpF64.loPart(2), l3 = ExpF64.loPart(3),
        one = LongVector.broadcast(J, ExpF64.ONE_BITS);
    final DoubleVector c2 = DoubleVector.broadcast(D, ExpF64.C2), c3 = DoubleVector.broadcast(D, ExpF64.C3),
        c4 = DoubleVector.broadcast(D, ExpF64.C4), c5 = DoubleVector.broadcast(D, ExpF64.C5),
        c6 = DoubleVector.broadcast(D, ExpF64.C6), c7 = DoubleVector.broadcast(D, ExpF64.C7),
        c8 = DoubleVector.broadcast(D, ExpF64.C8), c9 = DoubleVector.broadcast(D, ExpF64.C9);
    final boolean unscaled = betaHi == 1.0 && betaLo == 0.0;
    DoubleVector sHi = DoubleVector.zero(D), sLo = sHi, ties = sHi;
    for (int j = 0; j < n; j++) {
      DoubleVector v = widen ? (DoubleVector) FloatVector.fromArray(FH, xf, base + j, map, 0).convertShape(F2D, D, 0)
          : DoubleVector.fromArray(D, x, base + j, map, 0);
      DoubleVector zHi = v.add(vNegM);
      DoubleVector zb = zHi.sub(v);
      DoubleVector zLo = v.sub(zHi.sub(zb)).add(vNegM.sub(zb));  // TwoSum, spelled out
      if (!unscaled) {
        DoubleVector p = zHi.mul(vBetaHi);
        zLo = zHi.fma(vBetaHi, p.neg()).add(zHi.fma(vBetaLo, zLo.mul(vBetaHi)));
        zHi = p;
      }
      DoubleVector t = zHi.fma(log2e, vMagic);
      DoubleVector kf = t.sub(vMagic);
      DoubleVector rHi = kf.fma(negLn2Hi, zHi);
      // ExpF64.smallTerms and ExpF64.lookup, written out: this method is past C2's inlining budget here
      DoubleVector rLo = kf.fma(negLn2Lo, zLo);
      DoubleVector r = rHi.add(rLo);
      DoubleVector r2 = r.mul(r);
      DoubleVector r4 = r2.mul(r2);
      DoubleVector p01 = r2.fma(r.fma(c5, c4), r.fma(c3, c2));
      DoubleVector p23 = r2.fma(r.fma(c9, c8), r.fma(c7, c6));
      DoubleVector small = r2.fma(r4.fma(p23, p01), rLo);
      LongVector tb = t.reinterpretAsLongs();
      DoubleVector th, tl;
      if (ExpF64.PARTS == 1) {
        th = tb.selectFrom(h0).reinterpretAsDoubles();
        tl = tb.selectFrom(l0).reinterpretAsDoubles();
      } else if (ExpF64.PARTS == 2) {
        th = tb.selectFrom(h0, h1).reinterpretAsDoubles();
        tl = tb.selectFrom(l0, l1).reinterpretAsDoubles();
      } else {
        VectorMask<Long> upper = tb.and(4L).compare(NE, 0L);
        th = tb.selectFrom(h0, h1).blend(tb.selectFrom(h2, h3), upper).reinterpretAsDoubles();
        tl = tb.selectFrom(l0, l1).blend(tb.selectFrom(l2, l3), upper).reinterpretAsDoubles();
      }
      DoubleVector p = th.mul(rHi);
      DoubleVector s = th.add(p);
      DoubleVector lo = p.sub(s.sub(th)).add(th.fma(rHi, p.neg())).add(th.fma(small, tl.fma(rHi, tl)));
      DoubleVector e0 = s.add(lo);
      LongVector exponent = tb.lanewise(ASHR, 3).lanewise(LSHL, 52);
      VectorMask<Double> top = v.eq(mf);
      VectorMask<Double> left = v.compare(LT, threshold).or(top);
      DoubleVector e = e0.reinterpretAsLongs().add(exponent).reinterpretAsDoubles().blend(0.0, left);
      DoubleVector error = lo.sub(e0.sub(s)).mul(exponent.add(one).reinterpretAsDoubles()).blend(0.0, left);
      DoubleVector next = sHi.add(e);
      DoubleVector sb = next.sub(sHi);
      sLo = sLo.add(sHi.sub(next.sub(sb)).add(e.sub(sb)).add(error));  // TwoSum error plus the term's
      sHi = next;
      ties = ties.add(1.0, top);
    }

    // log1pResult of SoftmaxF64: unbias, add the surplus of ties; a sum below 2^-836 takes the scalar path
    DoubleVector surplus = ties.sub(1.0);
    VectorMask<Double> tiny = surplus.eq(0.0).and(sHi.lt(0x1p-836)).and(finite);
    DoubleVector sh = sHi.mul(0x1p-64), sl = sLo.mul(0x1p-64);  // exact: both stay normal or 0
    DoubleVector withSurplus = sh.add(surplus);
    DoubleVector wb = withSurplus.sub(sh);
    DoubleVector withSurplusLo = sh.sub(withSurplus.sub(wb)).add(surplus.sub(wb)).add(sl);

    // a + log1p(withSurplus + withSurplusLo) with a = m (log-sum-exp) or 0 (log-softmax):
    // DoubleDouble.log1pTimesPlus with c = 1, operation for operation
    DoubleVector a = out != null || outF != null ? mf : DoubleVector.zero(D);
    DoubleVector s0 = withSurplus, s1 = withSurplusLo;
    DoubleVector uHi = s0.add(1.0);
    DoubleVector ub = uHi.sub(1.0);
    DoubleVector uLo = DoubleVector.broadcast(D, 1.0).sub(uHi.sub(ub)).add(s0.sub(ub)).add(s1);
    LongVector bits = uHi.reinterpretAsLongs();
    LongVector field = bits.lanewise(LSHR, 52);
    field = field.add(1L, bits.and(MANTISSA).compare(GT, SQRT2_MANTISSA));
    // e = field - 1023 exactly, as a double, without a long-to-double conversion
    DoubleVector e = field.or(TWO_52_BITS).reinterpretAsDoubles().sub(0x1p52 + 1023);
    DoubleVector scale = LongVector.broadcast(J, 2046L).sub(field).lanewise(LSHL, 52).reinterpretAsDoubles();
    DoubleVector mHi = uHi.mul(scale), mLo = uLo.mul(scale);
    DoubleVector g = mHi.sub(1.0);
    DoubleVector gHi = g.add(mLo);
    DoubleVector gLo = mLo.sub(gHi.sub(g));
    VectorMask<Double> exponentZero = field.compare(EQ, 1023L).cast(D);
    gHi = gHi.blend(s0, exponentZero);
    gLo = gLo.blend(s1, exponentZero);
    DoubleVector dHi = gHi.add(2.0);
    DoubleVector db = dHi.sub(2.0);
    DoubleVector dLo = DoubleVector.broadcast(D, 2.0).sub(dHi.sub(db)).add(gHi.sub(db)).add(gLo);
    DoubleVector tHi = gHi.div(dHi);
    DoubleVector tLo = tHi.neg().fma(dHi, gHi).add(gLo).sub(tHi.mul(dLo)).div(dHi);
    DoubleVector t2 = tHi.mul(tHi);
    // Horner with separate multiplies and adds, as the scalar twin rounds them
    DoubleVector series = t2.mul(1.0 / 25).add(1.0 / 23);
    series = t2.mul(series).add(1.0 / 21);
    series = t2.mul(series).add(1.0 / 19);
    series = t2.mul(series).add(1.0 / 17);
    series = t2.mul(series).add(1.0 / 15);
    series = t2.mul(series).add(1.0 / 13);
    series = t2.mul(series).add(1.0 / 11);
    series = t2.mul(series).add(1.0 / 9);
    series = t2.mul(series).add(1.0 / 7);
    series = t2.mul(series).add(1.0 / 5);
    series = t2.mul(series).add(1.0 / 3);
    series = t2.mul(series);
    DoubleVector twoT = tHi.mul(2.0);
    DoubleVector eLn2 = e.mul(DoubleDouble.LN2_HI);
    DoubleVector lHi = eLn2.add(twoT);
    DoubleVector lb = lHi.sub(eLn2);
    DoubleVector lLo = eLn2.sub(lHi.sub(lb)).add(twoT.sub(lb))
        .add(e.fma(DoubleVector.broadcast(D, DoubleDouble.LN2_HI), eLn2.neg())).add(e.mul(DoubleDouble.LN2_MID))
        .add(tLo.mul(2.0)).add(twoT.mul(series));
    DoubleVector sum = a.add(lHi);
    DoubleVector sumB = sum.sub(a);
    DoubleVector result = sum.add(a.sub(sum.sub(sumB)).add(lHi.sub(sumB)).add(lLo));

    if (outF != null) {
      // SoftmaxF32.logSumExp's test whether the float rounding is in doubt, with its 2^-50 allowance for
      // log1p(s): far more than this lane's error, so it passes wherever that function's fast path does
      DoubleVector ulp = result.abs().reinterpretAsLongs().and(EXPONENT).reinterpretAsDoubles().mul(0x1p-23);
      VectorMask<Double> redo = tiny.or(finite.and(result.sub(mf).abs().mul(0x1p-50).compare(GT, ulp.mul(0.125))));
      ((FloatVector) result.blend(m, finite.not()).convertShape(D2F, FH, 0)).intoArray(outF, oo);
      for (long lanes = redo.toLong(); lanes != 0; lanes &= lanes - 1) {
        int lane = Long.numberOfTrailingZeros(lanes);
        outF[oo + lane] = SoftmaxF32.logSumExp(xf, base + lane * n, n);
      }
      return;
    }
    if (out != null) {
      // the scalar path's test whether m and log1p(s) cancel so far that the rounding is in doubt
      DoubleVector bound = result.sub(mf).abs().mul(0x1p-57).add(mf.abs().mul(0x1p-100));
      DoubleVector ulp = result.abs().reinterpretAsLongs().and(EXPONENT).reinterpretAsDoubles().mul(0x1p-52);
      VectorMask<Double> redo = tiny.or(finite.and(bound.compare(GT, ulp.mul(0.125))));
      result.blend(m, finite.not()).intoArray(out, oo);
      for (long lanes = redo.toLong(); lanes != 0; lanes &= lanes - 1) {
        int lane = Long.numberOfTrailingZeros(lanes);
        out[oo + lane] = SoftmaxF64.logSumExp(x, base + lane * n, n);
      }
      return;
    }
    long redo = tiny.toLong();
    for (int lane = 0; lane < LANES; lane++) {
      int xo = base + lane * n, yo = yBase + lane * n;
      double ml = m.lane(lane);
      if (!Double.isFinite(ml)) {
        Arrays.fill(y, yo, yo + n, Double.NaN);
      } else if ((redo & (1L << lane)) != 0) {
        SoftmaxF64.logSoftmax(x, xo, y, yo, n, betaHi, betaLo);
      } else {
        SoftmaxF64.logSoftmaxOutput(x, xo, y, yo, n, ml, betaHi, betaLo, result.lane(lane));
      }
    }
  }
}
