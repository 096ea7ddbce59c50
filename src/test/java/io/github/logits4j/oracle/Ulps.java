package io.github.logits4j.oracle;

/**
 * Error of a computed value against an exact one, in units in the last place of the output type at the
 * exact value. Below the smallest normal the unit is the subnormal spacing, so a subnormal result is
 * measured in absolute terms. A result that rounds beyond the largest finite value counts as exact when
 * the computed value is the infinity of the same sign.
 */
public final class Ulps {
  private Ulps() {}

  public static double ofFloat(float actual, DD exact) {
    return of(actual, exact, Float.MIN_NORMAL, -23, 0x1p-149, Float.MAX_VALUE);
  }

  public static double ofDouble(double actual, DD exact) {
    return of(actual, exact, Double.MIN_NORMAL, -52, Double.MIN_VALUE, Double.MAX_VALUE);
  }

  private static double of(double actual, DD exact, double minNormal, int mantissaShift, double subnormalUlp,
      double max) {
    double e = exact.toDouble();
    if (Double.isNaN(e)) {
      return Double.isNaN(actual) ? 0 : Double.POSITIVE_INFINITY;
    }
    if (Math.abs(e) > max || Double.isInfinite(e)) {
      return Double.isInfinite(actual) && Math.signum(actual) == Math.signum(e) ? 0 : Double.POSITIVE_INFINITY;
    }
    if (Double.isNaN(actual) || Double.isInfinite(actual)) {
      return Double.POSITIVE_INFINITY;
    }
    double diff = Math.abs(DD.of(actual).sub(exact).toDouble());
    double ae = Math.abs(e);
    double ulp = ae < minNormal ? subnormalUlp : Math.scalb(1.0, Math.getExponent(ae) + mantissaShift);
    return diff / ulp;
  }
}
