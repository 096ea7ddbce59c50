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
  private static final MathContext WORK = new MathContext(140, RoundingMode.HALF_EVEN);

  private Decimal() {}

  /**
   * {@code log(sum exp(x))} of a row of doubles with a finite maximum (-inf entries add nothing), as {@code m + log1p(s)} with {@code s} the sum of
   * {@code exp(x - m)} over the other entries (and the surplus of ties of the maximum {@code m}).
   */
  public static BigDecimal logSumExp(double[] row) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : row) {
      m = Math.max(m, v);
    }
    BigDecimal bm = new BigDecimal(m), s = BigDecimal.valueOf(-1);
    for (double v : row) {
      if (v != Double.NEGATIVE_INFINITY) {
        s = s.add(exp(new BigDecimal(v).subtract(bm)), MC);
      }
    }
    return bm.add(log1p(s), MC);
  }

  /**
   * {@code exp(d)}: halved until {@code |d / 2^j| <= 2^-10}, the Taylor series there to 40 terms, then
   * squared {@code j} times, at 140 digits (the squarings multiply the error by {@code 2^j}, at most 2^21
   * for the arguments here, about 6 digits). Deliberately not the kernels' reduction by ln 2, so that the
   * two do not share a mistake.
   */
  public static BigDecimal exp(BigDecimal d) {
    BigDecimal y = d;
    int j = 0;
    BigDecimal small = new BigDecimal(0x1p-10);
    while (y.abs().compareTo(small) > 0) {
      y = y.divide(BigDecimal.TWO, WORK);
      j++;
    }
    BigDecimal term = BigDecimal.ONE, sum = BigDecimal.ONE;
    for (int i = 1; i < 40; i++) {
      term = term.multiply(y, WORK).divide(BigDecimal.valueOf(i), WORK);
      sum = sum.add(term, WORK);
    }
    for (int i = 0; i < j; i++) {
      sum = sum.multiply(sum, WORK);
    }
    return sum.round(MC);
  }

  /**
   * {@code log(1 + s)} for {@code s >= 0}: Newton's iteration {@code y += (1 + s) exp(-y) - 1} from the
   * double {@code Math.log1p(s)}, which doubles the correct digits each step (four steps take 16 to more
   * than 120). Deliberately not the kernels' {@code atanh} series.
   */
  public static BigDecimal log1p(BigDecimal s) {
    BigDecimal u = BigDecimal.ONE.add(s, WORK);
    BigDecimal y = new BigDecimal(Math.log1p(s.doubleValue()));
    for (int i = 0; i < 4; i++) {
      y = y.add(u.multiply(exp(y.negate()), WORK).subtract(BigDecimal.ONE), WORK);
    }
    return y.round(MC);
  }
}
