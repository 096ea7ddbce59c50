package io.github.logits4j.oracle;

/**
 * The exact oracle: softmax, log-softmax and log-sum-exp of a row, computed in double-double from the
 * definitions, so its error (below 2^-90 relative) is far below one ulp of any float or double output.
 *
 * <p>Used for finite row maxima; callers test the special-value rows against their own expectations.
 * Temperatures divide each logit exactly in double-double before anything else.
 */
public final class Exact {
  private Exact() {}

  /**
   * {@code (x_j - max x) / temperature} for one row, as double-doubles; shifting before dividing keeps huge
   * logits finite. Softmax and log-softmax are invariant to the shift, so nothing is lost. Near the top of
   * the range {@code x_j - max} itself can exceed the largest double while its quotient by a temperature
   * above 1 does not: there the difference is formed at a quarter of the scale, where it is exact, divided,
   * and scaled back, so that only a quotient beyond the range becomes infinite.
   */
  private static DD[] scaled(double[] row, double temperature) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : row) {
      m = Math.max(m, v);
    }
    DD[] z = new DD[row.length];
    for (int j = 0; j < row.length; j++) {
      z[j] = scaledDifference(row[j], m, temperature);
    }
    return z;
  }

  /** {@code (x - m) / temperature} as a double-double, infinite only where the exact value is beyond range. */
  static DD scaledDifference(double x, double m, double temperature) {
    if (Double.isInfinite(x)) {
      return DD.of(x);
    }
    if (Math.max(Math.abs(x), Math.abs(m)) < 0x1p1020) {
      DD d = DD.of(x).sub(DD.of(m));
      return temperature == 1.0 ? d : d.div(DD.of(temperature));
    }
    DD d = DD.of(x * 0.25).sub(DD.of(m * 0.25));  // both scalings exact: the operands are far from tiny
    if (temperature != 1.0) {
      d = d.div(DD.of(temperature));
    }
    return d.scalb(2);
  }

  private static DD max(DD[] z) {
    DD m = z[0];
    for (DD v : z) {
      if (v.compareTo(m) > 0) {
        m = v;
      }
    }
    return m;
  }

  /**
   * {@code log(sum_j exp(z_j - m))} as {@code log1p(s)}, with {@code s} the sum over the entries below the
   * maximum plus the surplus of ties. Summing the small terms on their own keeps their relative accuracy;
   * adding them to 1 first would leave them only the 53 bits of the low double.
   */
  private static DD logSum(DD[] z, DD m) {
    // Each term is formed as exp(v - m) 2^600, so that terms below the normal range keep their 106 bits:
    // a double-double cannot hold bits below the subnormal grid, and seven subnormal terms would otherwise
    // carry seven roundings of up to half a subnormal ulp each into the sum.
    DD scaled = DD.ZERO;
    int ties = 0;
    for (DD v : z) {
      if (v.compareTo(m) == 0) {
        ties++;
      } else if (v.hi() != Double.NEGATIVE_INFINITY) {
        scaled = scaled.add(DD.exp(v.sub(m).add(SCALE_LOG)));
      }
    }
    if (ties == 1 && scaled.hi() < 0x1p540) {
      return scaled.scalb(-SCALE);  // s < 2^-60: log1p(s) = s - s^2/2 + ... = s to 2^-120, rounded once here
    }
    return log1p(scaled.scalb(-SCALE).add(ties - 1));
  }

  static final int SCALE = 600;
  static final DD SCALE_LOG = new DD(0x1.62e42fefa39efp-1, 0x1.abc9e3b39803fp-56).mul(SCALE);

  /** {@code log(1 + a)}: the alternating series for {@code a < 2^-8}, where it converges in 14 terms. */
  static DD log1p(DD a) {
    if (a.hi() >= 0x1p-8) {
      return DD.log(a.add(1));
    }
    DD power = a, sum = a;
    for (int k = 2; k <= 16; k++) {
      power = power.mul(a);
      DD term = power.div(DD.of(k));
      sum = (k % 2 == 0) ? sum.sub(term) : sum.add(term);
    }
    return sum;
  }

  public static DD[] softmax(double[] row, double temperature) {
    DD[] z = scaled(row, temperature);
    DD m = max(z);
    DD total = DD.ZERO;
    for (DD v : z) {
      if (v.hi() != Double.NEGATIVE_INFINITY) {
        total = total.add(DD.exp(v.sub(m)));
      }
    }
    DD[] y = new DD[row.length];
    for (int j = 0; j < row.length; j++) {
      y[j] = z[j].hi() == Double.NEGATIVE_INFINITY ? DD.ZERO : DD.exp(z[j].sub(m)).div(total);
    }
    return y;
  }

  /**
   * {@link #softmax} as exact decimals, finer than a double-double can be below the smallest normal: each
   * exponential is taken 2^600 higher, divided by the sum there, and scaled down in decimal.
   */
  public static java.math.BigDecimal[] softmaxExact(double[] row, double temperature) {
    DD[] z = scaled(row, temperature);
    DD m = max(z);
    DD total = DD.ZERO;
    for (DD v : z) {
      if (v.hi() != Double.NEGATIVE_INFINITY) {
        total = total.add(DD.exp(v.sub(m)));
      }
    }
    java.math.BigDecimal[] y = new java.math.BigDecimal[row.length];
    for (int j = 0; j < row.length; j++) {
      if (z[j].hi() == Double.NEGATIVE_INFINITY) {
        y[j] = java.math.BigDecimal.ZERO;
        continue;
      }
      DD p = DD.exp(z[j].sub(m).add(SCALE_LOG)).div(total);
      y[j] = new java.math.BigDecimal(p.hi()).add(new java.math.BigDecimal(p.lo())).multiply(ExactLoss.TWO_TO_MINUS_600);
    }
    return y;
  }

  public static DD[] logSoftmax(double[] row, double temperature) {
    DD[] z = scaled(row, temperature);
    DD m = max(z);
    DD logSum = logSum(z, m);
    DD[] y = new DD[row.length];
    for (int j = 0; j < row.length; j++) {
      y[j] = z[j].hi() == Double.NEGATIVE_INFINITY ? new DD(Double.NEGATIVE_INFINITY, 0)
          : z[j].sub(m).sub(logSum);
    }
    return y;
  }

  /**
   * {@link #logSumShifted} as an exact decimal: where the sum is so small that the result may lie below
   * the smallest normal, the scaled sum itself, scaled down in decimal, so that no subnormal rounding
   * enters.
   */
  public static java.math.BigDecimal logSumShiftedExact(double[] row) {
    DD[] z = scaled(row, 1.0);
    DD m = DD.ZERO;
    DD scaledSum = DD.ZERO;
    int ties = 0;
    for (DD v : z) {
      if (v.compareTo(m) == 0) {
        ties++;
      } else if (v.hi() != Double.NEGATIVE_INFINITY) {
        scaledSum = scaledSum.add(DD.exp(v.sub(m).add(SCALE_LOG)));
      }
    }
    if (ties == 1 && scaledSum.hi() < 0x1p540) {
      // s < 2^-60: log1p(s) = s - s^2/2, to 2^-120 relative
      java.math.BigDecimal sum = new java.math.BigDecimal(scaledSum.hi()).add(new java.math.BigDecimal(scaledSum.lo()))
          .multiply(ExactLoss.TWO_TO_MINUS_600);
      return sum.subtract(sum.multiply(sum, new java.math.MathContext(60)).divide(java.math.BigDecimal.TWO));
    }
    DD l = logSum(z, m);
    return new java.math.BigDecimal(l.hi()).add(new java.math.BigDecimal(l.lo()));
  }

  /** {@code log(sum_j exp(x_j - max x))} of a row with a finite maximum: log-sum-exp less the maximum. */
  public static DD logSumShifted(double[] row) {
    return logSum(scaled(row, 1.0), DD.ZERO);
  }

  public static DD logSumExp(double[] row) {
    double rowMax = Double.NEGATIVE_INFINITY;
    for (double v : row) {
      rowMax = Math.max(rowMax, v);
    }
    DD[] z = scaled(row, 1.0);
    return DD.of(rowMax).add(logSum(z, DD.ZERO));
  }

  public static double[] widen(float[] row) {
    double[] d = new double[row.length];
    for (int j = 0; j < row.length; j++) {
      d[j] = row[j];
    }
    return d;
  }
}
