package io.github.logits4j.internal.panama;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.ABS;
import static jdk.incubator.vector.VectorOperators.D2F;
import static jdk.incubator.vector.VectorOperators.F2D;
import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.LT;

import io.github.logits4j.internal.spi.LossSums;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Binary cross-entropy with logits, sigmoid and log-sigmoid, elementwise, in double lanes.
 *
 * <p>Everything goes through {@code e = exp(-|x|)}, which never overflows: {@code softplus(-x) =
 * log1p(e) + max(-x, 0)}, {@code sigmoid(x) = 1/(1+e)} for {@code x >= 0} and {@code e/(1+e)} below. The
 * loss gathers its linear parts before adding {@code log1p(e)}, so a tiny loss is not the difference of
 * two large terms. Float
 * inputs widen to double, so the float result is the double result rounded once, subnormals included
 * (sigmoid below -88.7). {@code e} comes from the double exponential of {@link ExpF64}, except in the
 * float binary cross-entropy, which takes its table's high parts and a degree-5 polynomial
 * ({@link #expNonPositiveForFloat}, 2^-37 relative) to stay fast; {@code log1p(e)} of float inputs is a
 * degree-11 polynomial in double, of double inputs an {@code atanh} series to double precision. Each
 * float kernel keeps its vector code small enough for C2 to inline whole: the double exponential there
 * would push the loops past the inlining node budget and leave boxed calls behind. Every float BCE path
 * (with or without weights, with or without a gradient) computes an element's loss with the same
 * operations, so {@code loss}, {@code lossAndGradient} and {@code elementLosses} agree bit for bit.
 *
 * <p>Infinite logits follow the limits: the loss is 0 where the logit agrees with its target (-inf with
 * 0, +inf with 1) and +inf otherwise; no 0 times infinity is formed.
 */
final class LogisticF32 {
  private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
  private static final VectorSpecies<Float> FH = VectorWidth.FLOAT_HALF;
  private static final VectorSpecies<Double> D = VectorWidth.DOUBLE;

  private LogisticF32() {}

  /** Loads {@code D.length()} floats as doubles, or ones when {@code a} is null. */
  private static DoubleVector wide(float[] a, int offset) {
    return a == null ? DoubleVector.broadcast(D, 1.0) : (DoubleVector) FloatVector.fromArray(FH, a, offset).convertShape(F2D, D, 0);
  }

  private static DoubleVector load(double[] a, int offset) {
    return a == null ? DoubleVector.broadcast(D, 1.0) : DoubleVector.fromArray(D, a, offset);
  }

  private static final double LN2 = 0x1.62e42fefa39efp-1;
  private static final int DOUBLE_TERMS = 12;
  private static final double SQRT2_MINUS_1 = 0x1.a827999fcef32p-2;

  /**
   * {@code exp(a)} for {@code a <= 0} (and -inf): the double exponential of {@link ExpF64} (within 0.51 ulp
   * of double), whose 2^64 bias is removed by one multiplication; below -746 the result is 0.
   */
  private static DoubleVector expNonPositive(DoubleVector a) {
    DoubleVector magic = DoubleVector.broadcast(D, ExpF64.magic(0));
    DoubleVector t = a.fma(DoubleVector.broadcast(D, ExpF64.LOG2E_8), magic);
    DoubleVector kf = t.sub(magic);
    DoubleVector rHi = kf.fma(DoubleVector.broadcast(D, -ExpF64.LN2_8_HI), a);
    DoubleVector small = ExpF64.smallTerms(rHi, kf.mul(DoubleVector.broadcast(D, -ExpF64.LN2_8_LO)));
    LongVector tb = t.reinterpretAsLongs();
    DoubleVector th = ExpF64.lookup(tb, ExpF64.hiPart(0), ExpF64.hiPart(1), ExpF64.hiPart(2), ExpF64.hiPart(3));
    DoubleVector tl = ExpF64.lookup(tb, ExpF64.loPart(0), ExpF64.loPart(1), ExpF64.loPart(2), ExpF64.loPart(3));
    DoubleVector e0 = th.add(th.fma(rHi.add(small), tl));
    return e0.reinterpretAsLongs().add(tb.lanewise(ASHR, 3).lanewise(LSHL, 52)).reinterpretAsDoubles().mul(0x1p-64)
        .blend(0.0, a.compare(LT, -ExpF64.CUTOFF));
  }

  /**
   * {@code exp(a)} for {@code a <= 0} to float accuracy only, for the float BCE: the 8-entry table's high
   * parts and a degree-5 Taylor polynomial on {@code |r| <= ln2/16}, whose truncation error
   * {@code r^6/720} is below 2^-37 relative, far under the 2^-25 a float result can see; below -746, 0.
   */
  private static DoubleVector expNonPositiveForFloat(DoubleVector a) {
    DoubleVector magic = DoubleVector.broadcast(D, ExpF64.magic(0));
    DoubleVector t = a.fma(DoubleVector.broadcast(D, ExpF64.LOG2E_8), magic);
    DoubleVector kf = t.sub(magic);
    DoubleVector r = kf.fma(DoubleVector.broadcast(D, -ExpF64.LN2_8_HI), a);
    DoubleVector p = r.fma(DoubleVector.broadcast(D, 1.0 / 120), DoubleVector.broadcast(D, 1.0 / 24));
    p = p.fma(r, DoubleVector.broadcast(D, 1.0 / 6));
    p = p.fma(r, DoubleVector.broadcast(D, 0.5));
    DoubleVector q = r.mul(r).fma(p, r);
    LongVector tb = t.reinterpretAsLongs();
    DoubleVector th = ExpF64.lookup(tb, ExpF64.hiPart(0), ExpF64.hiPart(1), ExpF64.hiPart(2), ExpF64.hiPart(3));
    return th.fma(q, th).reinterpretAsLongs().add(tb.lanewise(ASHR, 3).lanewise(LSHL, 52)).reinterpretAsDoubles()
        .mul(0x1p-64).blend(0.0, a.compare(LT, -ExpF64.CUTOFF));
  }

  /**
   * {@code log1p(e)} for {@code e} in [0, 1] to float accuracy: {@code e (1 + e Q(e))} with {@code Q} a
   * degree-10 Chebyshev fit of {@code (log1p(e)/e - 1)/e}, relative error below 6e-10 (0.01 ulp of float),
   * and no division: the float paths' cheaper twin of {@link #log1pUnit(DoubleVector, int)}.
   */
  private static DoubleVector log1pForFloat(DoubleVector e) {
    DoubleVector q = e.fma(DoubleVector.broadcast(D, LOG1P_Q[0]), DoubleVector.broadcast(D, LOG1P_Q[1]));
    for (int k = 2; k < LOG1P_Q.length; k++) {
      q = q.fma(e, DoubleVector.broadcast(D, LOG1P_Q[k]));
    }
    return e.fma(e.mul(q), e);
  }

  /** The coefficients of {@code Q} in {@link #log1pForFloat}, highest degree first. */
  private static final double[] LOG1P_Q = {
      -0x1.d02b28216b4adp-10, 0x1.80374a09c4a32p-7, -0x1.29827e5b62972p-5, 0x1.271c54ad23afbp-4,
      -0x1.b956aef6be8a9p-4, 0x1.19dc3bd311bc8p-3, -0x1.5339101f82779p-3, 0x1.9959bce6ce742p-3,
      -0x1.fffc0c71d9e7ep-3, 0x1.555548ecbbd08p-2, -0x1.fffffff2ec387p-2};


  /**
   * The loss of one vector of elements given {@code log1p(exp(-|x|))}: {@code w * [lw log1p(e) + linear]} with
   * the linear parts gathered first, {@code (1-z) x} for {@code x >= 0} and {@code -pw z x} below, so no
   * large terms cancel around a tiny loss. Infinite logits take their limits: 0 where the logit agrees
   * with the target, +inf otherwise.
   */
  private static DoubleVector loss(DoubleVector x, DoubleVector log1pE, DoubleVector z, DoubleVector pw,
      DoubleVector w) {
    DoubleVector lw = z.neg().add(1.0).add(pw.mul(z));  // (1 - z) + pw z: no cancellation for a tiny pw
    DoubleVector linear = z.neg().add(1.0).mul(x).blend(pw.mul(z).mul(x).neg(), x.compare(LT, 0.0));
    DoubleVector l = lw.fma(log1pE, linear).mul(w);
    VectorMask<Double> minusInf = x.eq(Double.NEGATIVE_INFINITY), plusInf = x.eq(Double.POSITIVE_INFINITY);
    DoubleVector inf = DoubleVector.broadcast(D, Double.POSITIVE_INFINITY);
    l = l.blend(inf.blend(0.0, z.eq(0.0)), minusInf);
    return l.blend(inf.blend(0.0, z.eq(1.0)), plusInf);
  }

  /** {@code w * [(1 - z) - lw * sigmoid(-x)]} given {@code e = exp(-|x|)}. */
  private static DoubleVector gradient(DoubleVector x, DoubleVector e, DoubleVector z, DoubleVector pw,
      DoubleVector w) {
    DoubleVector lw = z.neg().add(1.0).add(pw.mul(z));  // (1 - z) + pw z: no cancellation for a tiny pw
    // sigmoid(-x) = e/(1+e) for x >= 0, 1/(1+e) below
    DoubleVector sigmoidNeg = e.blend(1.0, x.compare(LT, 0.0)).div(e.add(1.0));
    return z.neg().add(1.0).sub(lw.mul(sigmoidNeg)).mul(w);
  }

  /*
   * One loop per output combination, each with a single exponential and log1p: C2 stops inlining once a
   * method grows past its node budget, and a vector helper left as a call boxes every vector.
   */

  /**
   * The loss over {@code rows x cols} elements, as {@link LogisticF64#bceRows}: each block's sum is a plain
   * double sum of its rows (or, without {@code posWeight}, of its elements in one pass), every loss scaled
   * by {@code 2^-shift} (the float path's losses never overflow a double, so the shift is applied to the
   * sums, exactly).
   */
  static double bceRows(float[] x, int xo, int rows, int cols, float[] z, int zo, float[] pw, float[] w, int wo,
      float[] out, int oo, float[] grad, int go, double scale, int shift, double divisorHi, double divisorLo,
      double[] partials, int partialsOffset) {
    int perBlock = LossSums.rowsPerBlock(cols);
    double hi = 0, lo = 0;
    for (int first = 0, b = partialsOffset; first < rows; first += perBlock, b += 2) {
      int last = Math.min(rows, first + perBlock);
      double blockSum = 0;
      if (pw == null) {
        // every element is independent: one pass over the block, whatever the row width
        int at = first * cols;
        blockSum = bceRow(x, xo + at, (last - first) * cols, z, zo + at, null, w, wo + at, out, oo + at, grad,
            go + at, scale);
      } else {
        for (int r = first; r < last; r++) {
          int at = r * cols;
          blockSum += bceRow(x, xo + at, cols, z, zo + at, pw, w, wo + at, out, oo + at, grad, go + at, scale);
        }
      }
      blockSum = Math.scalb(blockSum, -shift);
      if (partials != null) {
        partials[b] = blockSum;
        partials[b + 1] = 0;
      } else {
        double h = LossSums.hi(hi, blockSum);
        lo = LossSums.lo(hi, lo, blockSum, 0);
        hi = h;
      }
    }
    return partials != null ? 0 : LossSums.quotient(hi, lo, divisorHi, divisorLo);
  }

  static double bceRow(float[] x, int xo, int n, float[] z, int zo, float[] pw, float[] w, int wo, float[] out,
      int oo, float[] grad, int go, double scale) {
    if (pw == null && w == null && grad == null) {
      return unweightedLossRow(x, xo, n, z, zo, out, oo);
    }
    return grad == null ? lossRow(x, xo, n, z, zo, pw, w, wo, out, oo)
        : lossAndGradientRow(x, xo, n, z, zo, pw, w, wo, out, oo, grad, go, scale);
  }

  /**
   * The common case, no weights and no gradient: the whole vectors in {@link #unweightedVectors}, the
   * tail here. The vector loop sits in a method of its own because, together with the tail's inlined
   * scalar code, it exceeded C2's node budget for inlining, and the helpers left as calls boxed their
   * vectors (about 24 bytes allocated per element).
   */
  private static double unweightedLossRow(float[] x, int xo, int n, float[] z, int zo, float[] out, int oo) {
    final int lanes = D.length();
    int whole = n / lanes;
    double sum = whole == 0 ? 0 : unweightedVectors(x, xo, z, zo, out, out == null ? 0 : oo, whole);
    return sum + scalarTail(x, xo, whole * lanes, n, z, zo, null, null, 0, out, oo, null, 0, 0);
  }

  /**
   * The losses of {@code count} double vectors' worth of elements from {@code xo}, summed in double:
   * {@code exp(-|x|)} to 2^-37 relative, {@code log1p} of it to 6e-10 relative, so each element is
   * rounded once to float. A vector with an infinite logit goes to the scalar form, which keeps the limits
   * out of the vector code.
   */
  private static double unweightedVectors(float[] x, int xo, float[] z, int zo, float[] out, int oo, int count) {
    // Order matters here: C2 stops inlining this package's helpers once the method's node count passes
    // its budget, while the Vector API's own methods are always inlined. So the helpers come first and the
    // rest is written with Vector API calls only.
    final int lanes = D.length();
    DoubleVector sum = DoubleVector.zero(D);
    double special = 0;
    for (int v = 0; v < count; v++) {
      int at = v * lanes;
      DoubleVector xv = (DoubleVector) FloatVector.fromArray(FH, x, xo + at).convertShape(F2D, D, 0);
      DoubleVector a = xv.lanewise(ABS).neg();
      if (a.eq(Double.NEGATIVE_INFINITY).anyTrue()) {
        special += scalarTail(x, xo, at, at + lanes, z, zo, null, null, 0, out, oo, null, 0, 0);
        continue;
      }
      DoubleVector e = expNonPositiveForFloat(a);
      // log1pForFloat(e), written out: this method is past C2's node budget for inlining helpers here
      DoubleVector q = e.fma(DoubleVector.broadcast(D, LOG1P_Q[0]), DoubleVector.broadcast(D, LOG1P_Q[1]));
      for (int k = 2; k < LOG1P_Q.length; k++) {
        q = q.fma(e, DoubleVector.broadcast(D, LOG1P_Q[k]));
      }
      DoubleVector softplus = e.fma(e.mul(q), e);
      DoubleVector zv = (DoubleVector) FloatVector.fromArray(FH, z, zo + at).convertShape(F2D, D, 0);
      DoubleVector linear = zv.neg().add(1.0).mul(xv).blend(zv.mul(xv).neg(), xv.compare(LT, 0.0));
      DoubleVector l = softplus.add(linear);
      if (out != null) {
        ((FloatVector) l.convertShape(D2F, FH, 0)).intoArray(out, oo + at);
      }
      sum = sum.add(l);
    }
    return LaneSums.sum(sum) + special;
  }

  /**
   * The weighted losses ({@code pw} or {@code w} given), in double lanes: the same exponential and
   * {@code log1p} as {@link #unweightedVectors}, and the same scalar forms for vectors holding an infinite
   * logit and for the tail, so that the losses, and the loss of {@link #lossAndGradientRow}, are the same
   * bits whichever of the three computes them.
   */
  private static double lossRow(float[] x, int xo, int n, float[] z, int zo, float[] pw, float[] w, int wo,
      float[] out, int oo) {
    final int lanes = D.length();
    DoubleVector sum = DoubleVector.zero(D);
    double special = 0;
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      DoubleVector xv = wide(x, xo + i);
      DoubleVector a = xv.lanewise(ABS).neg();
      if (a.eq(Double.NEGATIVE_INFINITY).anyTrue()) {
        special += scalarTail(x, xo, i, i + lanes, z, zo, pw, w, wo, out, oo, null, 0, 0);
        continue;
      }
      DoubleVector l = loss(xv, log1pForFloat(expNonPositiveForFloat(a)), wide(z, zo + i),
          pw == null ? DoubleVector.broadcast(D, 1.0) : wide(pw, i),
          w == null ? DoubleVector.broadcast(D, 1.0) : wide(w, wo + i));
      sum = sum.add(l);
      if (out != null) {
        ((FloatVector) l.convertShape(D2F, FH, 0)).intoArray(out, oo + i);
      }
    }
    return LaneSums.sum(sum) + special + scalarTail(x, xo, i, n, z, zo, pw, w, wo, out, oo, null, 0, 0);
  }

  private static double lossAndGradientRow(float[] x, int xo, int n, float[] z, int zo, float[] pw, float[] w,
      int wo, float[] out, int oo, float[] grad, int go, double scale) {
    final int lanes = D.length();
    DoubleVector sum = DoubleVector.zero(D);
    double special = 0;
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      DoubleVector xv = wide(x, xo + i);
      DoubleVector a = xv.lanewise(ABS).neg();
      if (a.eq(Double.NEGATIVE_INFINITY).anyTrue()) {
        special += scalarTail(x, xo, i, i + lanes, z, zo, pw, w, wo, out, oo, grad, go, scale);
        continue;
      }
      DoubleVector zv = wide(z, zo + i);
      DoubleVector pwv = pw == null ? DoubleVector.broadcast(D, 1.0) : wide(pw, i);
      DoubleVector wv = w == null ? DoubleVector.broadcast(D, 1.0) : wide(w, wo + i);
      DoubleVector e = expNonPositiveForFloat(a);
      DoubleVector l = loss(xv, log1pForFloat(e), zv, pwv, wv);
      sum = sum.add(l);
      if (out != null) {
        ((FloatVector) l.convertShape(D2F, FH, 0)).intoArray(out, oo + i);
      }
      ((FloatVector) gradient(xv, e, zv, pwv, wv).mul(scale).convertShape(D2F, FH, 0)).intoArray(grad, go + i);
    }
    return LaneSums.sum(sum) + special + scalarTail(x, xo, i, n, z, zo, pw, w, wo, out, oo, grad, go, scale);
  }

  /** Elements {@code from} to {@code to} of a row in scalar code. */
  private static double scalarTail(float[] x, int xo, int from, int to, float[] z, int zo, float[] pw, float[] w,
      int wo, float[] out, int oo, float[] grad, int go, double scale) {
    double total = 0;
    for (int i = from; i < to; i++) {
      double pwi = pw == null ? 1 : pw[i], wi = w == null ? 1 : w[wo + i];
      double l = Scalar.bce(x[xo + i], z[zo + i], pwi, wi);
      total += l;
      if (out != null) {
        out[oo + i] = (float) l;
      }
      if (grad != null) {
        grad[go + i] = (float) (scale * Scalar.bceGradient(x[xo + i], z[zo + i], pwi, wi));
      }
    }
    return total;
  }

  /** {@code sigmoid} for x >= 0 and below, from {@code e = exp(-|x|)}. */
  private static DoubleVector sigmoid(DoubleVector x) {
    DoubleVector e = expNonPositive(x.lanewise(ABS).neg());
    DoubleVector onePlus = e.add(1.0);
    return e.div(onePlus).blend(DoubleVector.broadcast(D, 1.0).div(onePlus), x.compare(GE, 0.0));
  }

  static void sigmoid(float[] x, int xo, float[] y, int yo, int count) {
    final int lanes = D.length();
    int i = 0;
    for (; i <= count - lanes; i += lanes) {
      ((FloatVector) sigmoid(wide(x, xo + i)).convertShape(D2F, FH, 0)).intoArray(y, yo + i);
    }
    for (; i < count; i++) {
      y[yo + i] = (float) Scalar.sigmoid(x[xo + i]);
    }
  }

  static void logSigmoid(float[] x, int xo, float[] y, int yo, int count) {
    final int lanes = D.length();
    int i = 0;
    for (; i <= count - lanes; i += lanes) {
      DoubleVector xv = wide(x, xo + i);
      DoubleVector e = expNonPositive(xv.lanewise(ABS).neg());
      ((FloatVector) log1pForFloat(e).add(xv.neg().max(0.0)).neg().convertShape(D2F, FH, 0))
          .intoArray(y, yo + i);
    }
    for (; i < count; i++) {
      y[yo + i] = (float) Scalar.logSigmoid(x[xo + i]);
    }
  }

  /** The scalar forms the vector lanes compute, for row tails. */
  static final class Scalar {
    private Scalar() {}

    static double bce(double x, double z, double pw, double w) {
      if (x == Double.NEGATIVE_INFINITY) {
        return z == 0 ? 0 : Double.POSITIVE_INFINITY;
      }
      if (x == Double.POSITIVE_INFINITY) {
        return z == 1 ? 0 : Double.POSITIVE_INFINITY;
      }
      double lw = (1 - z) + pw * z;
      double linear = x >= 0 ? (1 - z) * x : -(pw * z) * x;
      return w * Math.fma(lw, Math.log1p(Math.exp(-Math.abs(x))), linear);
    }

    static double bceGradient(double x, double z, double pw, double w) {
      double lw = (1 - z) + pw * z;
      double e = Math.exp(-Math.abs(x));
      double sigmoidNeg = x >= 0 ? e / (1 + e) : 1 / (1 + e);
      return w * ((1 - z) - lw * sigmoidNeg);
    }

    static double sigmoid(double x) {
      double e = Math.exp(-Math.abs(x));
      return x >= 0 ? 1 / (1 + e) : e / (1 + e);
    }

    static double logSigmoid(double x) {
      return -(Math.log1p(Math.exp(-Math.abs(x))) + Math.max(-x, 0));
    }
  }
}
