package io.github.logits4j.kernels;

import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LT;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax, log-softmax and log-sum-exp of one double row on the Vector API: the passes of
 * {@link SoftmaxF32} at double precision, with the exponential of {@link ExpF64}.
 *
 * <p>Error bounds, for finite rows, against the exact result: softmax below 2 ulp (one rounding per
 * exponential, a compensated sum, a double-double reciprocal applied in one fused multiply-add);
 * log-softmax below 2 ulp away from cancellation; log-sum-exp {@code max + log1p(s)} below 1.5 ulp.
 */
final class SoftmaxF64 {
  private static final VectorSpecies<Double> D = VectorWidth.DOUBLE;

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
    double lambda = log1pOthers(x, xo, n, m, betaHi, betaLo);
    logSoftmaxOutput(x, xo, y, yo, n, m, betaHi, betaLo, lambda);
  }

  static double logSumExp(double[] x, int xo, int n) {
    double m = RowMax.max(x, xo, n);
    if (!Double.isFinite(m)) {
      return m;
    }
    return m + log1pOthers(x, xo, n, m, 1.0, 0.0);
  }

  /**
   * {@code log(sum_j exp((x_j - m) * beta))} as {@code log1p(s)}, {@code s} the sum over the entries below
   * the maximum plus the surplus of ties. The exponentials are of exact differences {@code x - m}, so the
   * maximum's own term is exactly {@code 2^BIAS} and {@code s} carries no error from it.
   */
  static double log1pOthers(double[] x, int xo, int n, double m, double betaHi, double betaLo) {
    double others = expSumBelow(x, xo, n, m, betaHi, betaLo, m - ExpF64.CUTOFF / betaHi);
    int ties = RowMax.countEqual(x, xo, n, m);
    return Math.log1p(Math.scalb(others, -ExpF64.BIAS) + (ties - 1));
  }

  // ------------------------------------------------------------------------------------ exp passes

  /**
   * Stores {@code exp((x - m) * beta) * 2^BIAS} (0 below {@code threshold}) into {@code y}, then scales
   * the row by the reciprocal of the compensated sum. {@code x - m} is carried exactly as a TwoSum pair
   * and its error term joins the reduced argument; {@code beta = 1, 0} skips the multiplication.
   */
  static void expStoreNormalize(double[] x, int xo, double[] y, int yo, int n, double m, double betaHi,
      double betaLo, double threshold) {
    final int lanes = D.length();
    final DoubleVector vNegM = DoubleVector.broadcast(D, -m), vMagic = DoubleVector.broadcast(D, ExpF64.magic(0)),
        vBetaHi = DoubleVector.broadcast(D, betaHi), vBetaLo = DoubleVector.broadcast(D, betaLo),
        vThreshold = DoubleVector.broadcast(D, threshold), log2e = DoubleVector.broadcast(D, ExpF64.LOG2E),
        negLn2Hi = DoubleVector.broadcast(D, -ExpF64.LN2_HI), negLn2Lo = DoubleVector.broadcast(D, -ExpF64.LN2_LO);
    final boolean unscaled = betaHi == 1.0 && betaLo == 0.0;
    DoubleVector sum = DoubleVector.zero(D), compensation = sum;
    for (int i = 0; i < n; i += lanes) {
      VectorMask<Double> tail = D.indexInRange(i, n);
      boolean full = tail.allTrue();
      DoubleVector xv = full ? DoubleVector.fromArray(D, x, xo + i) : DoubleVector.fromArray(D, x, xo + i, tail);
      DoubleVector dHi = xv.add(vNegM);
      DoubleVector dLo = twoSumError(xv, vNegM, dHi);
      DoubleVector zHi = dHi, zLo = dLo;
      if (!unscaled) {
        zHi = dHi.mul(vBetaHi);
        zLo = dHi.fma(vBetaHi, zHi.neg()).add(dHi.fma(vBetaLo, dLo.mul(vBetaHi)));
      }
      DoubleVector t = zHi.fma(log2e, vMagic);
      DoubleVector k = t.sub(vMagic);
      DoubleVector e = ExpF64.finish(t, k.fma(negLn2Hi, zHi), k.fma(negLn2Lo, zLo)).blend(0.0, xv.compare(LT, vThreshold).or(tail.not()));
      if (full) {
        e.intoArray(y, yo + i);
      } else {
        e.intoArray(y, yo + i, tail);
      }
      DoubleVector addend = e.sub(compensation);
      DoubleVector next = sum.add(addend);
      compensation = next.sub(sum).sub(addend);
      sum = next;
    }
    // The row sum as a double-double, then its reciprocal as a double-double.
    double sHi = 0, sLo = 0;
    for (int l = 0; l < lanes; l++) {
      double a = sum.lane(l), c = -compensation.lane(l);
      double t1 = sHi + a, e1 = twoSumError(sHi, a, t1);
      double t2 = t1 + c, e2 = twoSumError(t1, c, t2);
      sHi = t2;
      sLo += e1 + e2;
    }
    double hi = 1.0 / sHi;
    double lo = (Math.fma(-hi, sHi, 1.0) - hi * sLo) / sHi;
    final DoubleVector vHi = DoubleVector.broadcast(D, hi), vLo = DoubleVector.broadcast(D, lo);
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      DoubleVector e = DoubleVector.fromArray(D, y, yo + i);
      e.fma(vHi, e.mul(vLo)).intoArray(y, yo + i);
    }
    if (i < n) {
      VectorMask<Double> tail = D.indexInRange(i, n);
      DoubleVector e = DoubleVector.fromArray(D, y, yo + i, tail);
      e.fma(vHi, e.mul(vLo)).intoArray(y, yo + i, tail);
    }
  }

  /** The compensated sum of the biased exponentials of the entries strictly below the maximum {@code m}. */
  static double expSumBelow(double[] x, int xo, int n, double m, double betaHi, double betaLo, double threshold) {
    final int lanes = D.length();
    final DoubleVector vNegM = DoubleVector.broadcast(D, -m), vMagic = DoubleVector.broadcast(D, ExpF64.magic(0)),
        vBetaHi = DoubleVector.broadcast(D, betaHi), vBetaLo = DoubleVector.broadcast(D, betaLo),
        vThreshold = DoubleVector.broadcast(D, threshold), vMax = DoubleVector.broadcast(D, m),
        log2e = DoubleVector.broadcast(D, ExpF64.LOG2E),
        negLn2Hi = DoubleVector.broadcast(D, -ExpF64.LN2_HI), negLn2Lo = DoubleVector.broadcast(D, -ExpF64.LN2_LO);
    final boolean unscaled = betaHi == 1.0 && betaLo == 0.0;
    DoubleVector sum = DoubleVector.zero(D), compensation = sum;
    for (int i = 0; i < n; i += lanes) {
      VectorMask<Double> tail = D.indexInRange(i, n);
      DoubleVector xv = tail.allTrue() ? DoubleVector.fromArray(D, x, xo + i) : DoubleVector.fromArray(D, x, xo + i, tail);
      DoubleVector dHi = xv.add(vNegM);
      DoubleVector dLo = twoSumError(xv, vNegM, dHi);
      DoubleVector zHi = dHi, zLo = dLo;
      if (!unscaled) {
        zHi = dHi.mul(vBetaHi);
        zLo = dHi.fma(vBetaHi, zHi.neg()).add(dHi.fma(vBetaLo, dLo.mul(vBetaHi)));
      }
      DoubleVector t = zHi.fma(log2e, vMagic);
      DoubleVector k = t.sub(vMagic);
      DoubleVector e = ExpF64.finish(t, k.fma(negLn2Hi, zHi), k.fma(negLn2Lo, zLo)).blend(0.0, xv.compare(LT, vThreshold).or(xv.eq(vMax)).or(tail.not()));
      DoubleVector addend = e.sub(compensation);
      DoubleVector next = sum.add(addend);
      compensation = next.sub(sum).sub(addend);
      sum = next;
    }
    return total(sum, compensation);
  }

  /**
   * {@code sum - compensation} over all lanes, accumulated with TwoSum and rounded once: a plain lane
   * reduction would round at every step and cost several ulps of a double result.
   */
  private static double total(DoubleVector sum, DoubleVector compensation) {
    double hi = 0, lo = 0;
    for (int l = 0; l < D.length(); l++) {
      double a = sum.lane(l), c = -compensation.lane(l);
      double t1 = hi + a;
      lo += twoSumError(hi, a, t1);
      double t2 = t1 + c;
      lo += twoSumError(t1, c, t2);
      hi = t2;
    }
    return hi + lo;
  }

  // ------------------------------------------------------------------------------------ output passes

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
      DoubleVector h = zHi.add(vNegLambda);
      DoubleVector out = h.add(twoSumError(zHi, vNegLambda, h).add(zLo));
      out.blend(zHi, zHi.test(jdk.incubator.vector.VectorOperators.IS_INFINITE)).intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      y[yo + i] = logSoftmaxScalar(x[xo + i], m, betaHi, betaLo, lambda, unscaled);
    }
  }

  private static double logSoftmaxScalar(double x, double m, double betaHi, double betaLo, double lambda,
      boolean unscaled) {
    double s = x - m;
    if (Double.isInfinite(s)) {
      return s;
    }
    double bb = s - x;
    double sErr = (x - (s - bb)) + (-m - bb);
    double zHi = s, zLo = sErr;
    if (!unscaled) {
      zHi = s * betaHi;
      zLo = Math.fma(s, betaHi, -zHi) + Math.fma(s, betaLo, sErr * betaHi);
      if (Double.isInfinite(zHi)) {
        return zHi;
      }
    }
    double h = zHi - lambda;
    double hb = h - zHi;
    double hErr = (zHi - (h - hb)) + (-lambda - hb);
    return h + (hErr + zLo);
  }

  private static double twoSumError(double a, double b, double s) {
    double bb = s - a;
    return (a - (s - bb)) + (b - bb);
  }

  /** The rounding error of {@code s = a + b} (Knuth's TwoSum, no ordering needed). */
  private static DoubleVector twoSumError(DoubleVector a, DoubleVector b, DoubleVector s) {
    DoubleVector bb = s.sub(a);
    return a.sub(s.sub(bb)).add(b.sub(bb));
  }
}
