package io.github.logits4j.internal.panama;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import io.github.logits4j.oracle.Decimal;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * The slow paths' exact arithmetic against decimal arithmetic to 120 digits: {@link DoubleDouble.ExpSum}'s
 * terms within 2^-100 of {@code exp(dHi + dLo)}, relatively (plus 2^-1073 absolutely, where the low part
 * is subnormal), and {@link DoubleDouble#log1pPlusExact} within
 * half an ulp of its result plus {@code 2^-100 (|a| + log1p(s))}. The log-sum-exp of a row whose result is
 * near 0 rests on both: there {@code a = m} cancels {@code log1p(s)}, so the test takes {@code a} as minus
 * the double nearest {@code log1p(s)}, which leaves the result about 2^-53 of {@code log1p(s)} and exposes
 * an error of 2^-100 in the steps before the rounding.
 */
class DoubleDoubleExactTest {
  private static final MathContext MC = Decimal.MC;
  private static final BigDecimal TWO_TO_100 = BigDecimal.valueOf(2).pow(100);

  @Property(tries = 3000)
  void expSumTermIsExactTo2ToMinus100(@ForAll @DoubleRange(min = -1500, max = 0) double dHi,
      @ForAll @DoubleRange(min = -1, max = 1) double loFraction) {
    double dLo = dHi == 0 ? 0 : loFraction * Math.ulp(dHi) / 2;
    checkExpTerm(dHi, dLo);
  }

  @Property(tries = 1000)
  void expSumTermNearZeroIsExactTo2ToMinus100(@ForAll @DoubleRange(min = -1, max = 0) double fraction,
      @ForAll @IntRange(min = 0, max = 60) int scale, @ForAll @DoubleRange(min = -1, max = 1) double loFraction) {
    double dHi = fraction * Math.scalb(1.0, -scale);
    double dLo = dHi == 0 ? 0 : loFraction * Math.ulp(dHi) / 2;
    checkExpTerm(dHi, dLo);
  }

  /** Arguments where the reduction's {@code k} changes and the reduced argument is at its widest. */
  @Example
  void expSumTermAtReductionBoundaries() {
    for (int k = 0; k <= 64 * 1500; k += k < 300 ? 1 : 37) {
      double mid = -(k + 0.5) * DoubleDouble.LN2_HI / 64;
      for (double d : new double[] {mid, Math.nextUp(mid), Math.nextDown(mid), -k * DoubleDouble.LN2_HI / 64}) {
        if (d >= -1500) {
          checkExpTerm(d, 0);
          checkExpTerm(d, Math.ulp(d) / 2);
          checkExpTerm(d, -Math.ulp(d) / 2);
        }
      }
    }
  }

  /** The table of {@code 2^(j/64)} behind the exponential: each pair within 2^-106 of its value. */
  @Example
  void twoToTheJOver64IsExactTo2ToMinus106() {
    BigDecimal ln2 = Decimal.log1p(BigDecimal.ONE);
    for (int j = 0; j < 64; j++) {
      BigDecimal exact = Decimal.exp(ln2.multiply(BigDecimal.valueOf(j), MC).divide(BigDecimal.valueOf(64), MC));
      BigDecimal got = new BigDecimal(DoubleDouble.TWO_TO_J_64_HI[j]).add(new BigDecimal(DoubleDouble.TWO_TO_J_64_LO[j]));
      assertWithin(got, exact, exact.divide(BigDecimal.valueOf(2).pow(106), MC), "2^(" + j + "/64)");
    }
  }

  /** A sum of many terms within {@code (2^-100 + n 2^-104)} of itself: each double-double addition adds up to 2^-104. */
  @Property(tries = 100)
  void expSumOfManyTermsIsExact(@ForAll @IntRange(min = 1, max = 200) int n, @ForAll long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    DoubleDouble.ExpSum sum = new DoubleDouble.ExpSum();
    BigDecimal exact = BigDecimal.ZERO;
    for (int i = 0; i < n; i++) {
      double d = -random.nextDouble() * (random.nextBoolean() ? 3 : 40);
      sum.addExp(d, 0, 0);
      exact = exact.add(Decimal.exp(new BigDecimal(d)), MC);
    }
    BigDecimal got = new BigDecimal(sum.hi).add(new BigDecimal(sum.lo));
    BigDecimal bound = exact.divide(TWO_TO_100, MC).add(exact.multiply(BigDecimal.valueOf(n), MC)
        .divide(BigDecimal.valueOf(2).pow(104), MC));
    assertWithin(got, exact, bound, "sum of " + n + " terms, seed " + seed);
  }

  @Property(tries = 2000)
  void log1pPlusExactCancelsToItsBound(@ForAll @DoubleRange(min = -60, max = 12) double log2s,
      @ForAll @DoubleRange(min = -1, max = 1) double loFraction, @ForAll @IntRange(min = -3, max = 3) int nudge) {
    double sHi = Math.pow(2, log2s);
    double sLo = loFraction * Math.ulp(sHi) / 2;
    BigDecimal s = new BigDecimal(sHi).add(new BigDecimal(sLo));
    BigDecimal log1p = Decimal.log1p(s);
    // a cancels log1p(s) to within a few ulps, as m does in a log-sum-exp near 0
    double l = log1p.doubleValue();
    double aHi = -l + nudge * Math.ulp(l);
    checkLog1pPlus(sHi, sLo, aHi, 0, log1p);
    checkLog1pPlus(sHi, sLo, aHi, aHi * 0x1p-60, log1p);
  }

  /** An {@code a} of any size beside the sum (the ordinary log-sum-exp, the loss plus a constant). */
  @Property(tries = 500)
  void log1pPlusExactWithAnyA(@ForAll @DoubleRange(min = -60, max = 12) double log2s,
      @ForAll @DoubleRange(min = -1e6, max = 1e6) double aHi) {
    double sHi = Math.pow(2, log2s);
    checkLog1pPlus(sHi, 0, aHi, 0, Decimal.log1p(new BigDecimal(sHi)));
  }

  private static void checkExpTerm(double dHi, double dLo) {
    DoubleDouble.ExpSum sum = new DoubleDouble.ExpSum();
    sum.addExp(dHi, dLo, 0);
    BigDecimal exact = Decimal.exp(new BigDecimal(dHi).add(new BigDecimal(dLo)));
    BigDecimal got = new BigDecimal(sum.hi).add(new BigDecimal(sum.lo));
    // below 2^-968 the low part is subnormal and carries its last bit at 2^-1074
    BigDecimal bound = exact.divide(TWO_TO_100, MC).add(new BigDecimal(0x1p-1073));
    assertWithin(got, exact, bound, "exp(" + dHi + " + " + dLo + ")");
  }

  private static void checkLog1pPlus(double sHi, double sLo, double aHi, double aLo, BigDecimal log1p) {
    double got = DoubleDouble.log1pPlusExact(sHi, sLo, aHi, aLo);
    BigDecimal a = new BigDecimal(aHi).add(new BigDecimal(aLo));
    BigDecimal exact = a.add(log1p, MC);
    BigDecimal bound = new BigDecimal(Math.ulp(got) / 2)
        .add(a.abs().add(log1p).divide(TWO_TO_100, MC));
    assertWithin(new BigDecimal(got), exact, bound,
        "log1pPlusExact(" + sHi + ", " + sLo + ", " + aHi + ", " + aLo + ")");
  }

  private static void assertWithin(BigDecimal got, BigDecimal exact, BigDecimal bound, String what) {
    BigDecimal error = got.subtract(exact, MC).abs();
    assertTrue(error.compareTo(bound) <= 0, () -> what + ": off by " + error.doubleValue() + ", bound "
        + bound.doubleValue() + " (" + error.divide(bound, MathContext.DECIMAL64) + " of it)");
  }
}
