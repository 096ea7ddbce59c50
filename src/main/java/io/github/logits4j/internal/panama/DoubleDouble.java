package io.github.logits4j.internal.panama;

/**
 * Scalar double-double arithmetic for the steps that need more than double precision: {@code log1p} of a
 * sum carried as {@code hi + lo}, added to another such pair and rounded once, and exact exponentials for
 * the rare slow paths. A value {@code hi + lo} with {@code |lo| <= ulp(hi)/2} carries about 106 bits.
 *
 * <p>The fast functions take and return primitives only, so they cost no allocation; the slow path's
 * accumulator is an object, created only when a row needs it.
 */
final class DoubleDouble {
  /** ln 2 in three parts, each a double: the pair {@code HI + MID} is good to 2^-107, the triple to 2^-160. */
  static final double LN2_HI = 0x1.62e42fefa39efp-1, LN2_MID = 0x1.abc9e3b39803fp-56,
      LN2_LO = 0x1.7b57a079a1934p-111;
  static final double LOG2E = 0x1.71547652b82fep0;
  private static final double SQRT2 = 0x1.6a09e667f3bcdp0;

  /** How many leading terms of {@link #exactTail}'s series are summed in double-double. */
  private static final int DOUBLE_DOUBLE_TERMS = 11;
  /**
   * {@code 1/(2k+1)} for {@code k} from 0 to 30 as {@code hi + lo}: {@code hi} the double nearest, {@code lo}
   * the residual {@code (1 - hi (2k+1)) / (2k+1)} (the numerator exact by the FMA), within 2^-106 of the
   * reciprocal relatively.
   */
  private static final double[] ODD_RECIPROCAL_HI = new double[31], ODD_RECIPROCAL_LO = new double[31];
  /** {@code 1/n} for {@code n} from 2 to 10 as {@code hi + lo}, as {@link #ODD_RECIPROCAL_HI}: {@link ExpSum}'s Taylor steps. */
  private static final double[] RECIPROCAL_HI = new double[11], RECIPROCAL_LO = new double[11];

  static {
    for (int k = 0; k <= 30; k++) {
      ODD_RECIPROCAL_HI[k] = 1.0 / (2 * k + 1);
      ODD_RECIPROCAL_LO[k] = Math.fma(-ODD_RECIPROCAL_HI[k], 2 * k + 1, 1.0) / (2 * k + 1);
    }
    for (int n = 1; n <= 10; n++) {
      RECIPROCAL_HI[n] = 1.0 / n;
      RECIPROCAL_LO[n] = Math.fma(-RECIPROCAL_HI[n], n, 1.0) / n;
    }
  }

  private DoubleDouble() {}

  /**
   * The rounding error of {@code s = a + b}, in either order: Dekker's Fast2Sum with the operand of larger
   * magnitude first. The error is exact, so Knuth's branch-free TwoSum would give the same value, except
   * near the top of the range, where its intermediate {@code s - a} can round past the largest double
   * (for {@code b} within half an ulp of it) and make the error NaN.
   */
  static double twoSumError(double a, double b, double s) {
    return Math.abs(a) >= Math.abs(b) ? b - (s - a) : a - (s - b);
  }

  /** The rounding error of {@code s = a + b} when {@code |a| >= |b|} (Dekker's Fast2Sum). */
  static double fastTwoSumError(double a, double b, double s) {
    return b - (s - a);
  }

  /**
   * {@code aHi + aLo + log1p(sHi + sLo)}, rounded once, for {@code s >= 0}. The absolute error before the
   * final rounding is below {@code 2^-100 |a| + 2^-58 log1p(s)}: the result is within {@code 0.5 ulp + } that.
   */
  static double log1pPlus(double sHi, double sLo, double aHi, double aLo) {
    return log1pTimesPlus(sHi, sLo, 1, 0, aHi, aLo);
  }

  /**
   * {@code (aHi + aLo) + (cHi + cLo) * log1p(sHi + sLo)}, rounded once, for {@code s >= 0} and
   * {@code a, c >= 0}: a loss {@code G + A log1p(s)} in a single rounding. The error before the rounding is
   * below {@code 2^-100 a + 2^-58 c log1p(s)}.
   *
   * <p>{@code 1 + s = 2^e m} with {@code m} in {@code [sqrt(1/2), sqrt(2))}; {@code m - 1} is formed
   * exactly (it is {@code s} itself when {@code e = 0}, so a tiny {@code s} keeps all its bits), and
   * {@code log m = 2 atanh(t)} with {@code t = (m - 1)/(m + 1)}, {@code |t| <= 0.1716}: {@code 2t} in
   * double-double, the rest of the odd series, relatively below 0.0102, in double.
   */
  static double log1pTimesPlus(double sHi, double sLo, double cHi, double cLo, double aHi, double aLo) {
    return log1p(sHi, sLo, cHi, cLo, aHi, aLo, false);
  }

  /**
   * {@link #log1pPlus} with every step in double-double, for the slow paths: the error before the final
   * rounding is below {@code 2^-100 (|a| + log1p(s))}.
   */
  static double log1pPlusExact(double sHi, double sLo, double aHi, double aLo) {
    return log1p(sHi, sLo, 1, 0, aHi, aLo, true);
  }

  /**
   * {@code a + c log1p(s)}: the reduction to {@code t} shared by both precisions, then the series in
   * double ({@link #log1pTimesPlus}) or in double-double ({@code exact}, where {@code c} is 1).
   */
  private static double log1p(double sHi, double sLo, double cHi, double cLo, double aHi, double aLo,
      boolean exact) {
    double uHi = 1 + sHi;
    double uLo = twoSumError(1, sHi, uHi) + sLo;
    int e = Math.getExponent(uHi);  // 0 or more: uHi >= 1 (1024 where it is infinite or NaN)
    if (uHi * (e <= 1022 ? powerOfTwo(-e) : Math.scalb(1.0, -e)) > SQRT2) {
      e++;
    }
    double gHi, gLo;
    if (e == 0) {
      gHi = sHi;
      gLo = sLo;
    } else {
      double down = e <= 1022 ? powerOfTwo(-e) : Math.scalb(1.0, -e);
      double mHi = uHi * down, mLo = uLo * down;
      double g = mHi - 1;  // exact: mHi is within a factor of two of 1
      gHi = g + mLo;
      gLo = fastTwoSumError(g, mLo, gHi);
    }
    // t = g / (2 + g) as a double-double
    double dHi = 2 + gHi;
    double dLo = twoSumError(2, gHi, dHi) + gLo;
    double tHi = gHi / dHi;
    double tLo = (Math.fma(-tHi, dHi, gHi) + gLo - tHi * dLo) / dHi;
    if (exact) {
      return exactTail(tHi, tLo, e, aHi, aLo);
    }
    double t2 = tHi * tHi;
    double series = t2 * (1.0 / 3 + t2 * (1.0 / 5 + t2 * (1.0 / 7 + t2 * (1.0 / 9 + t2 * (1.0 / 11
        + t2 * (1.0 / 13 + t2 * (1.0 / 15 + t2 * (1.0 / 17 + t2 * (1.0 / 19 + t2 * (1.0 / 21
        + t2 * (1.0 / 23 + t2 * (1.0 / 25))))))))))));
    double twoT = 2 * tHi;
    // log1p(s) = e ln2 + 2t (1 + series) as lHi + lLo; e has at most 11 bits
    double p = e * LN2_HI;
    double lHi = p + twoT;
    double lLo = twoSumError(p, twoT, lHi) + Math.fma(e, LN2_HI, -p) + e * LN2_MID + 2 * tLo + twoT * series;
    // c * l + a
    double cl = cHi * lHi;
    double clLo = Math.fma(cHi, lHi, -cl) + cHi * lLo + cLo * lHi;
    double sum = aHi + cl;
    return sum + (twoSumError(aHi, cl, sum) + aLo + clLo);
  }

  /**
   * {@code a + 2t series(t^2) + e ln2} with the series' leading terms and the sums in double-double.
   * {@code series = sum_{k>=0} t^(2k) / (2k + 1)} with {@code t^2 <= 0.02945 < 2^-5.08}: the terms from
   * {@code k = 11} on are below {@code t^22 < 2^-55.9} of the first, so their sum is taken in double by
   * Horner's rule (up to {@code k = 30}: {@code t^62 < 2^-157}), where its roundings and those of its
   * coefficients cost below {@code 2^-53 * 2^-55.9 * 1.04 < 2^-108.8} relatively; the eleven leading terms
   * are summed in double-double with coefficients {@code 1/(2k+1)} carried as pairs to 2^-106
   * ({@link #ODD_RECIPROCAL_HI}, {@link #ODD_RECIPROCAL_LO}), so no division is left in the chain.
   */
  private static double exactTail(double tHi, double tLo, int e, double aHi, double aLo) {
    // t^2 in double-double
    double t2h = tHi * tHi;
    double t2l = Math.fma(tHi, tHi, -t2h) + 2 * tHi * tLo;
    double tail = ODD_RECIPROCAL_HI[30];
    for (int k = 29; k >= DOUBLE_DOUBLE_TERMS; k--) {
      tail = Math.fma(tail, t2h, ODD_RECIPROCAL_HI[k]);
    }
    double qh = tail, ql = 0;
    for (int k = DOUBLE_DOUBLE_TERMS - 1; k >= 0; k--) {
      double ph = qh * t2h;
      double pl = Math.fma(qh, t2h, -ph) + (qh * t2l + ql * t2h);
      double ch = ODD_RECIPROCAL_HI[k];
      double sh = ph + ch;
      double sl = twoSumError(ph, ch, sh) + pl + ODD_RECIPROCAL_LO[k];
      qh = sh + sl;
      ql = sl - (qh - sh);
    }
    // log m = 2 t series
    double lh = 2 * tHi * qh;
    double ll = Math.fma(2 * tHi, qh, -lh) + 2 * (tHi * ql + tLo * qh);
    double p = e * LN2_HI;
    double pErr = Math.fma(e, LN2_HI, -p) + e * LN2_MID + e * LN2_LO;
    double s1 = p + lh;
    double err1 = twoSumError(p, lh, s1);
    double s2 = s1 + aHi;
    double err2 = twoSumError(s1, aHi, s2);
    return s2 + (err1 + err2 + pErr + ll + aLo);
  }

  /**
   * {@code 2^k} for {@code k} from -1022 to 1023, from its bits. Multiplying by it is what {@code Math.scalb}
   * does for a scale within 511 either way (one multiplication by the same power; read in the JDK 25
   * source), and for any {@code k} in the range it rounds once, as scalb's result does: the same bits,
   * without scalb's reduction of the scale and its loop.
   */
  static double powerOfTwo(int k) {
    return Double.longBitsToDouble((long) (k + 1023) << 52);
  }

  /** {@code log1p(sHi + sLo)} rounded once. */
  static double log1p(double sHi, double sLo) {
    return log1pPlus(sHi, sLo, 0, 0);
  }

  /**
   * A running double-double sum of exact exponentials, for the slow paths that must know a sum of
   * {@code exp(x_j - m)} to far more than double precision: each term is {@code exp(dHi + dLo)} to about
   * 2^-100 relative.
   */
  static final class ExpSum {
    double hi, lo;

    /**
     * Adds {@code exp(dHi + dLo) * 2^scale} for {@code dHi <= 0}: {@code dHi + dLo = k ln2 + r} in
     * double-double with {@code |r| <= 0.35}, {@code exp(r) = (exp(r/256))^256} from nine Taylor terms
     * (the tenth is below 2^-116) and eight squarings, which multiply the relative error by 256.
     */
    void addExp(double dHi, double dLo, int scale) {
      if (dHi < -1500) {
        return;
      }
      double k = Math.rint(dHi * LOG2E);
      // r = d - k ln2: the first product is exact against dHi (see ExpF64), the others in double-double
      double rHi = Math.fma(k, -LN2_HI, dHi);
      double pm = -k * LN2_MID;
      double pmErr = Math.fma(-k, LN2_MID, -pm);
      double a = rHi + pm;
      double aErr = twoSumError(rHi, pm, a);
      double b = a + dLo;
      double bErr = twoSumError(a, dLo, b);
      double c = aErr + bErr + pmErr - k * LN2_LO;
      double rh = b + c;
      double rl = c - (rh - b);
      rh *= 0x1p-8;  // exact, as Math.scalb(rh, -8) is: one multiplication by 2^-8
      rl *= 0x1p-8;
      // Taylor series of expm1 at r/256, Horner in double-double: q = r (1 + r/2 (1 + r/3 (...))), the
      // division by n a multiplication by 1/n carried to 2^-106 (RECIPROCAL_HI, RECIPROCAL_LO), which
      // keeps the divider's latency out of the chain
      double qh = 1, ql = 0;
      for (int n = 10; n >= 2; n--) {
        // q = 1 + (r * q) / n
        double ph = rh * qh;
        double pl = Math.fma(rh, qh, -ph) + (rh * ql + rl * qh);
        double ih = RECIPROCAL_HI[n];
        double dh = ph * ih;
        double dl = Math.fma(ph, ih, -dh) + (ph * RECIPROCAL_LO[n] + pl * ih);
        double sh = 1 + dh;
        double sl = twoSumError(1, dh, sh) + dl;
        qh = sh + sl;
        ql = sl - (qh - sh);
      }
      // expm1 = r * q
      double mh = rh * qh;
      double ml = Math.fma(rh, qh, -mh) + (rh * ql + rl * qh);
      double eh = mh + ml;
      double el = ml - (eh - mh);
      // expm1(2x) = expm1(x) (2 + expm1(x)), eight times
      for (int i = 0; i < 8; i++) {
        double th = 2 + eh;
        double tl = twoSumError(2, eh, th) + el;
        double ph = eh * th;
        double pl = Math.fma(eh, th, -ph) + (eh * tl + el * th);
        eh = ph + pl;
        el = pl - (eh - ph);
      }
      double vh = 1 + eh;
      double vl = twoSumError(1, eh, vh) + el;
      int kk = (int) k + scale;
      if (kk >= -1022) {
        // one rounding, as Math.scalb's; 2^kk is a normal double
        double up = powerOfTwo(kk);
        vh *= up;
        vl *= up;
      } else {
        // scale in two steps, so that results near the bottom of the range are not flushed early
        vh = Math.scalb(Math.scalb(vh, kk / 2), kk - kk / 2);
        vl = Math.scalb(Math.scalb(vl, kk / 2), kk - kk / 2);
      }
      double s = hi + vh;
      double err = twoSumError(hi, vh, s);
      lo += err + vl;
      hi = s + lo;
      lo = lo - (hi - s);
    }
  }
}
