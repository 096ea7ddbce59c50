package io.github.logits4j.oracle;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Exponential, {@code log1p} and log-sum-exp in decimal arithmetic to 120 digits, for the checks that need
 * more than {@link DD}'s 2^-104: a log-sum-exp near 0, where the maximum cancels {@code log1p} of the sum,
 * and the kernels' own double-double steps, which are held to 2^-100.
 */
public final class Decimal {
  public static final MathContext MC = new MathContext(120, RoundingMode.HALF_EVEN);
  private static final BigDecimal LN2 = ln2();

  private Decimal() {}

  /**
   * {@code log(sum exp(x))} of a row of finite doubles, as {@code m + log1p(s)} with {@code s} the sum of
   * {@code exp(x - m)} over the other entries (and the surplus of ties of the maximum {@code m}).
   */
  public static BigDecimal logSumExp(double[] row) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : row) {
      m = Math.max(m, v);
    }
    BigDecimal bm = new BigDecimal(m), s = BigDecimal.valueOf(-1);
    for (double v : row) {
      s = s.add(exp(new BigDecimal(v).subtract(bm)), MC);
    }
    return bm.add(log1p(s), MC);
  }

  /** {@code exp(d)} for {@code d <= 0}: {@code d = k ln2 + r}, Taylor series at {@code r / 2^10}, ten squarings. */
  public static BigDecimal exp(BigDecimal d) {
    BigDecimal k = d.divide(LN2, MC).setScale(0, RoundingMode.HALF_EVEN);
    BigDecimal r = d.subtract(k.multiply(LN2, MC), MC).divide(BigDecimal.valueOf(1024), MC);
    BigDecimal term = BigDecimal.ONE, sum = BigDecimal.ONE;
    for (int i = 1; i < 40; i++) {
      term = term.multiply(r, MC).divide(BigDecimal.valueOf(i), MC);
      sum = sum.add(term, MC);
    }
    for (int i = 0; i < 10; i++) {
      sum = sum.multiply(sum, MC);
    }
    int e = k.intValueExact();
    return e >= 0 ? sum.multiply(BigDecimal.TWO.pow(e), MC) : sum.divide(BigDecimal.TWO.pow(-e), MC);
  }

  /** {@code log(1 + s)}: {@code 1 + s = 2^e m}, {@code m} in [1, 2), {@code log m = 2 atanh((m-1)/(m+1))}. */
  public static BigDecimal log1p(BigDecimal s) {
    BigDecimal u = BigDecimal.ONE.add(s, MC);
    int e = 0;
    while (u.compareTo(BigDecimal.TWO) >= 0) {
      u = u.divide(BigDecimal.TWO, MC);
      e++;
    }
    BigDecimal t = e == 0 ? s.divide(BigDecimal.TWO.add(s), MC)
        : u.subtract(BigDecimal.ONE).divide(u.add(BigDecimal.ONE), MC);
    return LN2.multiply(BigDecimal.valueOf(e), MC).add(atanh2(t), MC);
  }

  /** {@code 2 atanh(t) = 2 sum t^(2k+1) / (2k+1)} for {@code |t| <= 1/3}. */
  private static BigDecimal atanh2(BigDecimal t) {
    BigDecimal t2 = t.multiply(t, MC), power = t, sum = BigDecimal.ZERO;
    for (int k = 0; k < 130; k++) {
      sum = sum.add(power.divide(BigDecimal.valueOf(2L * k + 1), MC), MC);
      power = power.multiply(t2, MC);
    }
    return sum.multiply(BigDecimal.TWO, MC);
  }

  private static BigDecimal ln2() {
    BigDecimal third = BigDecimal.ONE.divide(BigDecimal.valueOf(3), new MathContext(130));
    return atanh2(third).round(MC);  // log 2 = 2 atanh(1/3)
  }
}
