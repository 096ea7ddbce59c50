package io.github.logits4j.internal.panama;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The last resort of a log-sum-exp whose result is so near 0 that even the double-double exact path
 * cannot round it: {@code m + log1p(s)} in decimal arithmetic, with more digits until the result's rounding
 * is settled (Ziv's strategy).
 *
 * <p>Why it is needed: {@link DoubleDouble#log1pPlusExact} and {@link DoubleDouble.ExpSum} leave an absolute
 * error up to {@code 2^-100 |m| + (2^-99 + n 2^-104) log1p(s)}, which is below an eighth of the result's ulp
 * only while {@code |m + log1p(s)|} is above about {@code 2^-43 (|m| + log1p(s))} (for rows up to a few
 * thousand entries). Closer to 0, where {@code m} cancels {@code log1p(s)} further (a row of two logits near
 * -0.83 and -0.58 has a log-sum-exp of {@code -6.2e-18}), that error reaches whole ulps. Such rows are rare,
 * so this path may be slow and allocate.
 *
 * <p>At {@code W} digits the work runs at {@code W + 10}: each exponential is then within {@code 10^-(W+4)}
 * of its value relatively (ten squarings of a series summed to {@code 10^-(W+15)} multiply its error by
 * 1024 at most, and the power of two adds one rounding), each of the {@code n} additions adds at most
 * {@code 10^-(W+9)} of the running sum, and {@code log1p}'s reduction and series and the final addition a
 * few units of {@code 10^-(W+9)} of their magnitudes. So {@code m + log1p(s)} is within
 * {@code (|m| + log1p(s) + n + 1) 10^-W} of the exact value, with a wide margin. The result is returned
 * once both ends of that interval round to the same double (or float): 50 digits settle a result above
 * about {@code 2^-110 (|m| + log1p(s) + n + 1)} unless it lies next to a rounding boundary, and each retry
 * doubles the digits. Entries more than 800 below the maximum (and -inf) are left out: their terms, below
 * {@code e^-800 < 10^-347} each, are counted in the error.
 */
final class DecimalLogSumExp {
  /** Digits of the first attempt and the last. */
  private static final int FIRST_DIGITS = 50, LAST_DIGITS = 800;
  private static final int GUARD_DIGITS = 10;

  private DecimalLogSumExp() {}

  /** {@code log(sum exp(x))} of a double row with the finite maximum {@code m}, rounded to nearest. */
  static double of(double[] x, int xo, int n, double m) {
    return settled(x, null, xo, n, m, false);
  }

  /** {@code log(sum exp(x))} of a float row with the finite maximum {@code m}, rounded to nearest float. */
  static float of(float[] x, int xo, int n, float m) {
    return (float) settled(null, x, xo, n, m, true);  // a float, exact in double
  }

  /**
   * The row's log-sum-exp rounded once to double or to float ({@code toFloat}): at more digits until both
   * ends of the error interval round to the same value.
   */
  private static double settled(double[] xd, float[] xf, int xo, int n, double m, boolean toFloat) {
    for (int digits = FIRST_DIGITS; ; digits *= 2) {
      BigDecimal[] resultAndError = compute(xd, xo, n, m, xf, digits);
      BigDecimal result = resultAndError[0], error = resultAndError[1];
      double r = rounded(result, toFloat);
      if (digits >= LAST_DIGITS
          || (rounded(result.subtract(error), toFloat) == r && rounded(result.add(error), toFloat) == r)) {
        return r;
      }
    }
  }

  /** {@code v} correctly rounded to double, or to float and widened (exactly). */
  private static double rounded(BigDecimal v, boolean toFloat) {
    return toFloat ? v.floatValue() : v.doubleValue();
  }

  /** The decimal log-sum-exp at {@code digits} digits (worked at more) and its error bound. */
  private static BigDecimal[] compute(double[] xd, int xo, int n, double m, float[] xf, int digits) {
    MathContext mc = new MathContext(digits + GUARD_DIGITS, RoundingMode.HALF_EVEN);
    BigDecimal ln2 = ln2(mc);
    BigDecimal bm = new BigDecimal(m);
    BigDecimal s = BigDecimal.valueOf(-1);  // the maximum's own term, exp(0), taken back out
    for (int i = 0; i < n; i++) {
      double v = xd != null ? xd[xo + i] : xf[xo + i];
      if (!(v - m >= -800)) {
        continue;  // -inf, or a term below e^-(800 - 2^-40) < 10^-347: counted in the error bound
      }
      BigDecimal d = new BigDecimal(v).subtract(bm);  // exact
      s = d.signum() == 0 ? s.add(BigDecimal.ONE) : s.add(exp(d, ln2, mc), mc);
    }
    BigDecimal log1p = log1p(s, ln2, mc);
    BigDecimal result = bm.add(log1p, mc);
    BigDecimal error = bm.abs().add(log1p).add(BigDecimal.valueOf(n + 1L)).scaleByPowerOfTen(-digits)
        .add(BigDecimal.valueOf(n).scaleByPowerOfTen(-347));
    return new BigDecimal[] {result, error};
  }

  /** {@code exp(d)} for {@code d < 0}: {@code d = k ln2 + r}, the series at {@code r / 1024}, ten squarings. */
  private static BigDecimal exp(BigDecimal d, BigDecimal ln2, MathContext mc) {
    BigDecimal k = d.divide(ln2, mc).setScale(0, RoundingMode.HALF_EVEN);
    BigDecimal y = d.subtract(k.multiply(ln2, mc), mc).divide(BigDecimal.valueOf(1024), mc);
    BigDecimal small = BigDecimal.ONE.scaleByPowerOfTen(-mc.getPrecision() - 5);
    BigDecimal term = BigDecimal.ONE, sum = BigDecimal.ONE;
    for (int i = 1; term.abs().compareTo(small) > 0; i++) {
      term = term.multiply(y, mc).divide(BigDecimal.valueOf(i), mc);
      sum = sum.add(term, mc);
    }
    for (int i = 0; i < 10; i++) {
      sum = sum.multiply(sum, mc);
    }
    int e = k.intValueExact();
    return e >= 0 ? sum.multiply(BigDecimal.TWO.pow(e), mc) : sum.divide(BigDecimal.TWO.pow(-e), mc);
  }

  /** {@code log(1 + s)} for {@code s >= 0}: {@code 1 + s = 2^e u}, {@code u} in [1, 2), {@code 2 atanh((u-1)/(u+1))}. */
  private static BigDecimal log1p(BigDecimal s, BigDecimal ln2, MathContext mc) {
    if (s.signum() == 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal u = BigDecimal.ONE.add(s, mc);
    int e = 0;
    while (u.compareTo(BigDecimal.TWO) >= 0) {
      u = u.divide(BigDecimal.TWO, mc);
      e++;
    }
    // where e = 0, t from s itself, so that a tiny s keeps its digits
    BigDecimal t = e == 0 ? s.divide(BigDecimal.TWO.add(s), mc)
        : u.subtract(BigDecimal.ONE).divide(u.add(BigDecimal.ONE), mc);
    return ln2.multiply(BigDecimal.valueOf(e), mc).add(atanh2(t, mc), mc);
  }

  /** {@code 2 atanh(t) = 2 sum t^(2k+1) / (2k+1)} for {@code 0 <= t <= 1/3}, to {@code 10^-(digits+5)}. */
  private static BigDecimal atanh2(BigDecimal t, MathContext mc) {
    BigDecimal t2 = t.multiply(t, mc), power = t, sum = BigDecimal.ZERO;
    BigDecimal small = BigDecimal.ONE.scaleByPowerOfTen(-mc.getPrecision() - 5);
    for (int k = 0; power.compareTo(small) > 0; k++) {
      sum = sum.add(power.divide(BigDecimal.valueOf(2L * k + 1), mc), mc);
      power = power.multiply(t2, mc);
    }
    return sum.multiply(BigDecimal.TWO, mc);
  }

  /** {@code ln 2 = 2 atanh(1/3)} at {@code mc}'s digits. */
  private static BigDecimal ln2(MathContext mc) {
    MathContext wider = new MathContext(mc.getPrecision() + 10, RoundingMode.HALF_EVEN);
    return atanh2(BigDecimal.ONE.divide(BigDecimal.valueOf(3), wider), wider).round(mc);
  }
}
