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
  /** {@code 64/ln2} and ln 2/64 in three parts: the constants above scaled by powers of two, exactly. */
  private static final double LOG2E_64 = LOG2E * 64, LN2_64_HI = LN2_HI / 64, LN2_64_MID = LN2_MID / 64,
      LN2_64_LO = LN2_LO / 64;
  /**
   * {@code 2^(j/64)} for {@code j} from 0 to 63 as {@code hi + lo}: {@code hi} the double nearest, {@code lo}
   * the double nearest the rest, from 80-digit decimal values; within 2^-106 relatively
   * ({@code DoubleDoubleExactTest} checks them).
   */
  static final double[] TWO_TO_J_64_HI = {
      0x1p0, 0x1.02c9a3e778061p+0, 0x1.059b0d3158574p+0, 0x1.0874518759bc8p+0, 0x1.0b5586cf9890fp+0,
      0x1.0e3ec32d3d1a2p+0, 0x1.11301d0125b51p+0, 0x1.1429aaea92de0p+0, 0x1.172b83c7d517bp+0,
      0x1.1a35beb6fcb75p+0, 0x1.1d4873168b9aap+0, 0x1.2063b88628cd6p+0, 0x1.2387a6e756238p+0,
      0x1.26b4565e27cddp+0, 0x1.29e9df51fdee1p+0, 0x1.2d285a6e4030bp+0, 0x1.306fe0a31b715p+0,
      0x1.33c08b26416ffp+0, 0x1.371a7373aa9cbp+0, 0x1.3a7db34e59ff7p+0, 0x1.3dea64c123422p+0,
      0x1.4160a21f72e2ap+0, 0x1.44e086061892dp+0, 0x1.486a2b5c13cd0p+0, 0x1.4bfdad5362a27p+0,
      0x1.4f9b2769d2ca7p+0, 0x1.5342b569d4f82p+0, 0x1.56f4736b527dap+0, 0x1.5ab07dd485429p+0,
      0x1.5e76f15ad2148p+0, 0x1.6247eb03a5585p+0, 0x1.6623882552225p+0, 0x1.6a09e667f3bcdp+0,
      0x1.6dfb23c651a2fp+0, 0x1.71f75e8ec5f74p+0, 0x1.75feb564267c9p+0, 0x1.7a11473eb0187p+0,
      0x1.7e2f336cf4e62p+0, 0x1.82589994cce13p+0, 0x1.868d99b4492edp+0, 0x1.8ace5422aa0dbp+0,
      0x1.8f1ae99157736p+0, 0x1.93737b0cdc5e5p+0, 0x1.97d829fde4e50p+0, 0x1.9c49182a3f090p+0,
      0x1.a0c667b5de565p+0, 0x1.a5503b23e255dp+0, 0x1.a9e6b5579fdbfp+0, 0x1.ae89f995ad3adp+0,
      0x1.b33a2b84f15fbp+0, 0x1.b7f76f2fb5e47p+0, 0x1.bcc1e904bc1d2p+0, 0x1.c199bdd85529cp+0,
      0x1.c67f12e57d14bp+0, 0x1.cb720dcef9069p+0, 0x1.d072d4a07897cp+0, 0x1.d5818dcfba487p+0,
      0x1.da9e603db3285p+0, 0x1.dfc97337b9b5fp+0, 0x1.e502ee78b3ff6p+0, 0x1.ea4afa2a490dap+0,
      0x1.efa1bee615a27p+0, 0x1.f50765b6e4540p+0, 0x1.fa7c1819e90d8p+0
  };
  static final double[] TWO_TO_J_64_LO = {
      0x0.0p+0, -0x1.19083535b085dp-56, 0x1.d73e2a475b465p-55, 0x1.186be4bb284ffp-57, 0x1.8a62e4adc610bp-54,
      0x1.03a1727c57b53p-59, -0x1.6c51039449b3ap-54, -0x1.32fbf9af1369ep-54, -0x1.19041b9d78a76p-55,
      0x1.e5b4c7b4968e4p-55, 0x1.e016e00a2643cp-54, 0x1.dc775814a8495p-55, 0x1.9b07eb6c70573p-54,
      0x1.2bd339940e9d9p-55, 0x1.612e8afad1255p-55, 0x1.0024754db41d5p-54, 0x1.6f46ad23182e4p-55,
      0x1.32721843659a6p-54, -0x1.63aeabf42eae2p-54, -0x1.5e436d661f5e3p-56, 0x1.ada0911f09ebcp-55,
      -0x1.ef3691c309278p-58, 0x1.89b7a04ef80d0p-59, 0x1.3c1a3b69062f0p-56, 0x1.d4397afec42e2p-56,
      -0x1.4b309d25957e3p-54, -0x1.07abe1db13cadp-55, 0x1.9bb2c011d93adp-54, 0x1.6324c054647adp-54,
      0x1.ba6f93080e65ep-54, -0x1.383c17e40b497p-54, -0x1.bb60987591c34p-54, -0x1.bdd3413b26456p-54,
      -0x1.bbe3a683c88abp-57, -0x1.16e4786887a99p-55, -0x1.0245957316dd3p-54, -0x1.41577ee04992fp-55,
      0x1.05d02ba15797ep-56, -0x1.d4c1dd41532d8p-54, -0x1.fc6f89bd4f6bap-54, 0x1.6e9f156864b27p-54,
      0x1.5cc13a2e3976cp-55, -0x1.75fc781b57ebcp-57, -0x1.d185b7c1b85d1p-54, 0x1.c7c46b071f2bep-56,
      -0x1.359495d1cd533p-54, -0x1.d2f6edb8d41e1p-54, 0x1.0fac90ef7fd31p-54, 0x1.7a1cd345dcc81p-54,
      -0x1.2805e3084d708p-57, -0x1.5584f7e54ac3bp-56, 0x1.23dd07a2d9e84p-55, 0x1.11065895048ddp-55,
      0x1.2884dff483cadp-54, 0x1.503cbd1e949dbp-56, -0x1.cbc3743797a9cp-54, 0x1.2ed02d75b3707p-55,
      0x1.c2300696db532p-54, -0x1.1a5cd4f184b5cp-54, 0x1.39e8980a9cc8fp-55, -0x1.e9c23179c2893p-54,
      0x1.dc7f486a4b6b0p-54, 0x1.9d3e12dd8a18bp-54, 0x1.74853f3a5931ep-55
  };
  private static final double SQRT2 = 0x1.6a09e667f3bcdp0;

  /** How many leading terms of {@link #exactTail}'s series are summed in double-double. */
  private static final int DOUBLE_DOUBLE_TERMS = 11;
  /**
   * {@code 1/(2k+1)} for {@code k} from 0 to 30 as {@code hi + lo}: {@code hi} the double nearest, {@code lo}
   * the residual {@code (1 - hi (2k+1)) / (2k+1)} (the numerator exact by the FMA), within 2^-106 of the
   * reciprocal relatively.
   */
  private static final double[] ODD_RECIPROCAL_HI = new double[31], ODD_RECIPROCAL_LO = new double[31];
  /** {@code 1/n} for {@code n} from 1 to 12 as {@code hi + lo}, as {@link #ODD_RECIPROCAL_HI}: the Taylor steps of {@link ExpSum}. */
  private static final double[] RECIPROCAL_HI = new double[13], RECIPROCAL_LO = new double[13];

  static {
    for (int k = 0; k <= 30; k++) {
      ODD_RECIPROCAL_HI[k] = 1.0 / (2 * k + 1);
      ODD_RECIPROCAL_LO[k] = Math.fma(-ODD_RECIPROCAL_HI[k], 2 * k + 1, 1.0) / (2 * k + 1);
    }
    for (int n = 1; n <= 12; n++) {
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
    double down = e <= 1022 ? powerOfTwo(-e) : Math.scalb(1.0, -e);
    if (uHi * down > SQRT2) {
      e++;
      down *= 0.5;  // exact: 2^-(e+1) is at least 2^-1025, a subnormal power of two
    }
    double gHi, gLo;
    if (e == 0) {
      gHi = sHi;
      gLo = sLo;
    } else {
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
   * {@code 2^k} for {@code k} from -1022 to 1023, from its bits. Multiplying by it rounds the exact product
   * once. For a scale within 511 either way that is what {@code Math.scalb} does (one multiplication by the
   * same power; read in the JDK 25 source); for a larger one scalb multiplies twice, which agrees unless
   * its first product is already subnormal (an operand below about 2^-511, as the low part of a term near
   * the bottom of the range can be: then the two may differ in its last bit, 2^-1074).
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
     * Adds {@code exp(dHi + dLo) * 2^scale} for {@code dHi <= 0}: {@code dHi + dLo = (64 e + j) ln2/64 + r}
     * with {@code |r| <= ln2/128 (1 + 2^-35)} in double-double (the rounding of {@code d 64/ln2} near
     * -1500), {@code exp(d) = 2^e 2^(j/64) exp(r)} with {@code 2^(j/64)} from {@link #TWO_TO_J_64_HI} and {@code exp(r)} from its Taylor series to
     * {@code r^12/12! < 2^-119}. Errors, relative: the reduced argument to 2^-104 (below), the series 2^-106
     * (its terms from {@code r^6/6!}, below 2^-54.7, in double), the table 2^-106 and the products 2^-105;
     * below 2^-102 in all, which {@code DoubleDoubleExactTest} holds to 2^-100 against decimal arithmetic.
     */
    void addExp(double dHi, double dLo, int scale) {
      if (dHi < -1500) {
        return;
      }
      double kd = Math.rint(dHi * LOG2E_64);
      // r = d - kd ln2/64 in double-double. The first step is exact: kd LN2_64_HI is a multiple of 2^-59,
      // and so is dHi where kd != 0 and |dHi| >= 2^-7 (where 2^-7 > |dHi| >= ln2/128 it is a multiple of
      // 2^-60, and |r| < 2^-7.5); the difference, below 2^-7.4, then has at most 53 bits
      double r0 = Math.fma(kd, -LN2_64_HI, dHi);
      double pm = -kd * LN2_64_MID;
      double pmErr = Math.fma(-kd, LN2_64_MID, -pm);
      double a = r0 + pm;
      double aErr = twoSumError(r0, pm, a);
      double b = a + dLo;
      double bErr = twoSumError(a, dLo, b);
      double c = aErr + bErr + pmErr - kd * LN2_64_LO;
      double rh = b + c;
      double rl = c - (rh - b);
      // exp(r) - 1 = r q, q = 1 + r/2 (1 + r/3 (...)): the inner factors, whose errors reach the result
      // times r^6/6! or less, in double; the five outer ones in double-double, dividing by multiplying by
      // 1/n carried to 2^-106
      double qd = 1;
      for (int n = 12; n >= 7; n--) {
        qd = Math.fma(rh * RECIPROCAL_HI[n], qd, 1);
      }
      double qh = qd, ql = 0;
      for (int n = 6; n >= 2; n--) {
        // q = 1 + (r * q) / n
        double ph = rh * qh;
        double pl = Math.fma(rh, qh, -ph) + (rh * ql + rl * qh);
        double ih = RECIPROCAL_HI[n];
        double dh = ph * ih;
        double dl = Math.fma(ph, ih, -dh) + (ph * RECIPROCAL_LO[n] + pl * ih);
        double sh = 1 + dh;
        double sl = fastTwoSumError(1, dh, sh) + dl;
        qh = sh + sl;
        ql = sl - (qh - sh);
      }
      // expm1(r) = r q
      double mh = rh * qh;
      double ml = Math.fma(rh, qh, -mh) + (rh * ql + rl * qh);
      double eh = mh + ml;
      double el = ml - (eh - mh);
      // 2^(j/64) exp(r) = T (1 + expm1(r)) = T + T expm1(r), T = th + tl
      long ki = (long) kd;
      int j = (int) (ki & 63);
      double th = TWO_TO_J_64_HI[j], tl = TWO_TO_J_64_LO[j];
      double te = th * eh;
      double teErr = Math.fma(th, eh, -te);
      double sum = th + te;
      double sumLo = fastTwoSumError(th, te, sum) + (teErr + tl + th * el + tl * eh);
      double vh = sum + sumLo;
      double vl = sumLo - (vh - sum);
      int kk = (int) (ki >> 6) + scale;  // floor(kd / 64)
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

    /**
     * {@code m + log1p(s)} rounded once ({@link #log1pPlusExact}), {@code s} this sum of a row's terms below
     * its maximum {@code m} plus {@code ties - 1}, the surplus of the entries equal to {@code m}.
     */
    double logSumExp(double m, int ties) {
      double s = hi + (ties - 1);
      return log1pPlusExact(s, twoSumError(hi, ties - 1, s) + lo, m, 0);
    }

    /**
     * A bound on the error of {@link #logSumExp}'s {@code result} before its rounding, for a row of
     * {@code n} terms: {@code 2^-100 |m|} from {@link #log1pPlusExact} and {@code (2^-99 + n 2^-104) log1p(s)}
     * from it, the terms (2^-100 each, relatively) and their double-double additions (2^-104 each).
     */
    static double logSumExpError(double m, double result, int n) {
      return 0x1p-100 * Math.abs(m) + (0x1p-99 + n * 0x1p-104) * Math.abs(result - m);
    }
  }
}
