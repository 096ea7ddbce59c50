package io.github.logits4j.oracle;

/**
 * Double-double arithmetic: a value {@code hi + lo} with {@code |lo| <= ulp(hi)/2}, about 106 bits.
 *
 * <p>Addition and multiplication use the error-free transformations TwoSum and TwoProduct (with FMA), so
 * each operation is accurate to a few units of 2^-104. {@link #exp} and {@link #log} are accurate to about
 * 2^-95 relative (log: 2^-98 of {@code max(1, |log a|)}); {@link DDTest} checks them against {@link java.math.BigDecimal} series.
 */
public record DD(double hi, double lo) {
  public static final DD ZERO = new DD(0, 0);
  public static final DD ONE = new DD(1, 0);
  /** ln 2 to about 2^-160: the residual of this pair is 5.7e-34. */
  private static final DD LN2 = new DD(0x1.62e42fefa39efp-1, 0x1.abc9e3b39803fp-56);

  public static DD of(double a) {
    return new DD(a, 0);
  }

  private static DD quickTwoSum(double a, double b) {
    double s = a + b;
    if (!Double.isFinite(s)) {
      return new DD(s, 0);
    }
    return new DD(s, b - (s - a));
  }

  private static DD twoSum(double a, double b) {
    double s = a + b;
    if (!Double.isFinite(s)) {
      return new DD(s, 0);
    }
    double bb = s - a;
    return new DD(s, (a - (s - bb)) + (b - bb));
  }

  public DD add(DD b) {
    DD s = twoSum(hi, b.hi);
    DD t = twoSum(lo, b.lo);
    DD u = quickTwoSum(s.hi, s.lo + t.hi);
    return quickTwoSum(u.hi, u.lo + t.lo);
  }

  public DD add(double b) {
    return add(of(b));
  }

  public DD neg() {
    return new DD(-hi, -lo);
  }

  public DD sub(DD b) {
    return add(b.neg());
  }

  public DD mul(DD b) {
    double p = hi * b.hi;
    if (!Double.isFinite(p)) {
      return new DD(p, 0);
    }
    double e = Math.fma(hi, b.hi, -p);
    e += hi * b.lo + lo * b.hi;
    return quickTwoSum(p, e);
  }

  public DD mul(double b) {
    return mul(of(b));
  }

  public DD div(DD b) {
    if (Math.abs(hi) > 0x1p1000) {
      // near the top of the range, q1 * b can round past the largest double: divide a scaled copy
      return scalb(-64).div(b).scalb(64);
    }
    double q1 = hi / b.hi;
    if (!Double.isFinite(q1)) {
      return new DD(q1, 0);
    }
    DD r = sub(b.mul(q1));
    double q2 = r.hi / b.hi;
    r = r.sub(b.mul(q2));
    double q3 = r.hi / b.hi;
    return quickTwoSum(q1, q2).add(q3);
  }

  public DD scalb(int k) {
    return new DD(Math.scalb(hi, k), Math.scalb(lo, k));
  }

  public double toDouble() {
    return hi + lo;
  }

  public int signum() {
    return hi > 0 ? 1 : hi < 0 ? -1 : (int) Math.signum(lo);
  }

  public DD abs() {
    return signum() < 0 ? neg() : this;
  }

  public int compareTo(DD b) {
    return sub(b).signum();
  }

  /**
   * {@code exp(a)}: reduce by a multiple of ln 2, divide the rest by 2^10, sum the Taylor series of expm1
   * to 1e-35, undo the division with {@code expm1(2x) = expm1(x) * (2 + expm1(x))} ten times, scale.
   */
  public static DD exp(DD a) {
    if (Double.isNaN(a.hi)) {
      return new DD(Double.NaN, 0);
    }
    if (a.hi > 709.8) {
      return new DD(Double.POSITIVE_INFINITY, 0);
    }
    if (a.hi < -1100) {
      return ZERO;
    }
    if (Math.abs(a.hi) < 0x1p-20) {
      // Tiny arguments: the series converges at once, and scaling by 2^-10 would lose subnormal bits.
      DD term = a, sum = a;
      for (int n = 2; n <= 8; n++) {
        term = term.mul(a).div(of(n));
        sum = sum.add(term);
      }
      return sum.add(1);
    }
    double k = Math.rint(a.hi / LN2.hi);
    DD r = a.sub(LN2.mul(k)).scalb(-10);
    DD term = r;
    DD sum = r;
    for (int n = 2; n <= 12; n++) {
      term = term.mul(r).div(of(n));
      sum = sum.add(term);
    }
    for (int i = 0; i < 10; i++) {
      sum = sum.mul(sum.add(2));
    }
    DD result = sum.add(1);
    int ki = (int) k;
    // Scale in two steps so that results near the bottom of the double range are not flushed early.
    return result.scalb(ki / 2).scalb(ki - ki / 2);
  }

  /**
   * {@code log(a)} for {@code a > 0}: {@code a = m 2^e} with {@code m} in [1, 2), then two Newton steps
   * {@code y += m * exp(-y) - 1} from {@code Math.log(m)}, plus {@code e ln 2}. Scaling first keeps
   * {@code exp(-y)} near 1, where its low double is a full normal double.
   */
  public static DD log(DD a) {
    if (Double.isNaN(a.hi) || a.hi < 0) {
      return new DD(Double.NaN, 0);
    }
    if (a.hi == 0) {
      return new DD(Double.NEGATIVE_INFINITY, 0);
    }
    if (Double.isInfinite(a.hi)) {
      return a;
    }
    int e = Math.getExponent(a.hi);
    if (e < Double.MIN_EXPONENT) {
      return log(a.scalb(64)).sub(LN2.mul(64));
    }
    DD m = a.scalb(-e);
    DD y = of(Math.log(m.hi));
    for (int i = 0; i < 2; i++) {
      y = y.add(m.mul(exp(y.neg())).sub(ONE));
    }
    return y.add(LN2.mul(e));
  }

  @Override
  public String toString() {
    return hi + (lo >= 0 ? "+" : "") + lo;
  }
}
