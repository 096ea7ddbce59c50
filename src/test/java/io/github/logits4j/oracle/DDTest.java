package io.github.logits4j.oracle;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The oracle's own proof: {@link DD#exp}, {@link DD#log} and {@link Exact#log1p} against independent
 * {@link BigDecimal} evaluations at 100 digits, over the whole double range they are used on. Every
 * bound the suite asserts is measured against these functions, so their error must be far below one ulp
 * of any double (2^-53 relative): the test holds exp and log1p to 2^-95 relative, and log to 2^-98 of
 * {@code max(1, |log a|)} (near {@code a = 1} its result is small and its error absolute; the suite takes
 * logarithms near 1 through log1p only).
 */
class DDTest {
  static final MathContext MC = new MathContext(100, RoundingMode.HALF_EVEN);
  static final double BOUND = 0x1p-95;
  static final double LOG_BOUND = 0x1p-98;

  /** exp(x) = (exp(x / 2^16))^(2^16), the inner one from its Taylor series. */
  static BigDecimal exp(BigDecimal x) {
    BigDecimal small = x.divide(BigDecimal.valueOf(65536), MC);
    BigDecimal term = BigDecimal.ONE, sum = BigDecimal.ONE;
    for (int n = 1; n < 60; n++) {
      term = term.multiply(small, MC).divide(BigDecimal.valueOf(n), MC);
      sum = sum.add(term, MC);
    }
    for (int i = 0; i < 16; i++) {
      sum = sum.multiply(sum, MC);
    }
    return sum;
  }

  /** log(a) by Newton's method on exp, from the double estimate. */
  static BigDecimal log(BigDecimal a) {
    BigDecimal y = new BigDecimal(Math.log(a.doubleValue()));
    for (int i = 0; i < 5; i++) {
      y = y.add(a.multiply(exp(y.negate()), MC).subtract(BigDecimal.ONE, MC), MC);
    }
    return y;
  }

  static double relativeError(DD got, BigDecimal exact) {
    BigDecimal g = new BigDecimal(got.hi()).add(new BigDecimal(got.lo()), MC);
    if (exact.signum() == 0) {
      return g.abs().doubleValue();
    }
    return g.subtract(exact, MC).abs().divide(exact.abs(), MC).doubleValue();
  }

  /** {@code |got - exact| / max(1, |exact|)}. */
  static double errorScaledByMaxOfOne(DD got, BigDecimal exact) {
    BigDecimal g = new BigDecimal(got.hi()).add(new BigDecimal(got.lo()), MC);
    return g.subtract(exact, MC).abs().divide(exact.abs().max(BigDecimal.ONE), MC).doubleValue();
  }

  /** Shrunk from a block of near-max rows at temperature 7.5: -MAX / 7.5 came out NaN. */
  @Test
  void divisionNearTheTopOfTheRange() {
    DD q = DD.of(-Double.MAX_VALUE).div(DD.of(7.5));
    BigDecimal exact = new BigDecimal(-Double.MAX_VALUE).divide(new BigDecimal("7.5"), new MathContext(60));
    BigDecimal got = new BigDecimal(q.hi()).add(new BigDecimal(q.lo()));
    double relative = got.subtract(exact).abs().divide(exact.abs(), new MathContext(10)).doubleValue();
    assertTrue(relative <= 0x1p-100, () -> q + " is " + relative + " from " + exact);
  }

  @Test
  void expIsAccurateToTwoToTheMinus95() {
    SplittableRandom rnd = new SplittableRandom(7);
    double worst = 0;
    for (int i = 0; i < 400; i++) {
      double x = i < 300 ? -740 + 1445 * rnd.nextDouble() : (rnd.nextDouble() - 0.5) * Math.pow(10, -rnd.nextInt(12));
      // a double-double argument, with a low part as the oracle's callers produce
      DD arg = DD.of(x).add(DD.of(Math.ulp(x) * (rnd.nextDouble() - 0.5)));
      BigDecimal exact = exp(new BigDecimal(arg.hi()).add(new BigDecimal(arg.lo())));
      DD got = DD.exp(arg);
      if (got.hi() > 0x1p-969) {  // where the low double is still normal
        worst = Math.max(worst, relativeError(got, exact));
      }
    }
    double w = worst;
    assertTrue(w <= BOUND, () -> "DD.exp relative error " + w);
  }

  @Test
  void logAndLog1pAreAccurate() {
    SplittableRandom rnd = new SplittableRandom(11);
    double worstLog = 0, worstLog1p = 0;
    for (int i = 0; i < 300; i++) {
      double a = Math.pow(10, -300 + 600 * rnd.nextDouble());
      DD arg = DD.of(a).add(DD.of(Math.ulp(a) * (rnd.nextDouble() - 0.5)));
      BigDecimal exact = log(new BigDecimal(arg.hi()).add(new BigDecimal(arg.lo())));
      worstLog = Math.max(worstLog, errorScaledByMaxOfOne(DD.log(arg), exact));
      double s = Math.pow(10, -40 * rnd.nextDouble()) * (i % 2 == 0 ? 1 : 300);
      DD sArg = DD.of(s);
      BigDecimal exact1p = log(BigDecimal.ONE.add(new BigDecimal(s), MC));
      worstLog1p = Math.max(worstLog1p, relativeError(Exact.log1p(sArg), exact1p));
    }
    double l = worstLog, l1 = worstLog1p;
    assertTrue(l <= LOG_BOUND, () -> "DD.log error " + l);
    assertTrue(l1 <= BOUND, () -> "log1p relative error " + l1);
  }
}
