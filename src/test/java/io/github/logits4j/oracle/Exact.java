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
   * logits finite. Softmax and log-softmax are invariant to the shift, so nothing is lost.
   */
  private static DD[] scaled(double[] row, double temperature) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : row) {
      m = Math.max(m, v);
    }
    DD[] z = new DD[row.length];
    for (int j = 0; j < row.length; j++) {
      DD d = Double.isInfinite(row[j]) ? DD.of(row[j]) : DD.of(row[j]).sub(DD.of(m));
      z[j] = temperature == 1.0 || Double.isInfinite(d.hi()) ? d : d.div(DD.of(temperature));
    }
    return z;
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

  private static final int SCALE = 600;
  private static final DD SCALE_LOG = new DD(0x1.62e42fefa39efp-1, 0x1.abc9e3b39803fp-56).mul(SCALE);

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
