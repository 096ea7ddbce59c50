package io.github.logits4j.oracle;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The exact oracle of the losses and their gradients, from the definitions. The linear parts, sums of
 * {@code weight * (max - x)}, are formed in {@link BigDecimal}, so a gap between logits near
 * {@code +-Double.MAX_VALUE} neither overflows nor rounds, however a weight, a smoothing factor or a target
 * brings it back into range; the logarithms come from the double-double {@link Exact} oracle (2^-90
 * relative). Results are returned as double-doubles, infinite exactly where the exact value lies beyond the
 * double range, and NaN where the loss is undefined: a row whose maximum is NaN or infinite.
 */
public final class ExactLoss {
  private static final MathContext MC = new MathContext(60);

  private ExactLoss() {}

  /** A loss as an exact decimal, or a special value (NaN, +inf). */
  public record Value(BigDecimal exact, double special) {
    public static Value of(BigDecimal v) {
      return new Value(v, 0);
    }

    public static Value special(double s) {
      return new Value(null, s);
    }

    public boolean isSpecial() {
      return exact == null;
    }

    public Value plus(Value o) {
      if (isSpecial() || o.isSpecial()) {
        return special((isSpecial() ? special : 0) + (o.isSpecial() ? o.special : 0));
      }
      return of(exact.add(o.exact));
    }

    public Value times(BigDecimal factor) {
      if (isSpecial()) {
        return special(factor.signum() == 0 && Double.isInfinite(special) ? Double.NaN : special);
      }
      return of(exact.multiply(factor, MC));
    }

    public Value dividedBy(BigDecimal d) {
      if (isSpecial()) {
        return this;
      }
      return d.signum() == 0 ? special(exact.signum() == 0 ? Double.NaN : Double.POSITIVE_INFINITY)
          : of(exact.divide(d, MC));
    }

    /** The value as a double-double, infinite beyond the double range. */
    public DD toDD() {
      return isSpecial() ? DD.of(special) : dd(exact);
    }
  }

  /** An exact decimal as a double-double, the infinity of its sign where it is beyond the double range. */
  public static DD dd(BigDecimal v) {
    double hi = v.doubleValue();
    if (Double.isInfinite(hi)) {
      return DD.of(hi);
    }
    return new DD(hi, v.subtract(new BigDecimal(hi)).doubleValue());
  }

  static BigDecimal big(DD v) {
    return new BigDecimal(v.hi()).add(new BigDecimal(v.lo()));
  }

  /** The row's maximum, or NaN when the row has a NaN, or +inf. */
  static double max(double[] row) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : row) {
      m = Math.max(m, v);
    }
    return m;
  }

  /**
   * {@code sum_c weight_c * nll(c)}, {@code nll(c) = (m - x_c) + log sum exp(x - m)}: the one form of every
   * cross-entropy row. A zero weight contributes nothing even where {@code x_c} is -inf.
   */
  public static Value crossEntropy(double[] row, BigDecimal[] weight) {
    double m = max(row);
    if (!Double.isFinite(m)) {
      return Value.special(Double.NaN);
    }
    BigDecimal logSum = Exact.logSumShiftedExact(row);
    BigDecimal total = BigDecimal.ZERO, mass = BigDecimal.ZERO;
    for (int c = 0; c < row.length; c++) {
      if (weight[c].signum() == 0) {
        continue;
      }
      if (row[c] == Double.NEGATIVE_INFINITY) {
        return Value.special(Double.POSITIVE_INFINITY);
      }
      mass = mass.add(weight[c]);
      total = total.add(weight[c].multiply(new BigDecimal(m).subtract(new BigDecimal(row[c]))));
    }
    return Value.of(total.add(mass.multiply(logSum)));
  }

  /**
   * The weights of {@link #crossEntropy} for a sparse row: {@code (1 - eps) w[label]} on the label and
   * {@code (eps / C) w[c]} on every class.
   */
  public static BigDecimal[] sparseWeights(int cols, int label, double[] w, double eps) {
    BigDecimal keep = BigDecimal.ONE.subtract(new BigDecimal(eps));
    BigDecimal spread = new BigDecimal(eps).divide(BigDecimal.valueOf(cols), MC);
    BigDecimal[] out = new BigDecimal[cols];
    for (int c = 0; c < cols; c++) {
      BigDecimal wc = w == null ? BigDecimal.ONE : new BigDecimal(w[c]);
      out[c] = wc.multiply(spread, MC);
      if (c == label) {
        out[c] = out[c].add(wc.multiply(keep));
      }
    }
    return out;
  }

  /** The weights for a dense row: {@code w[c] ((1 - eps) t[c] + eps / C)}. */
  public static BigDecimal[] denseWeights(double[] t, double[] w, double eps) {
    int cols = t.length;
    BigDecimal keep = BigDecimal.ONE.subtract(new BigDecimal(eps));
    BigDecimal spread = new BigDecimal(eps).divide(BigDecimal.valueOf(cols), MC);
    BigDecimal[] out = new BigDecimal[cols];
    for (int c = 0; c < cols; c++) {
      BigDecimal wc = w == null ? BigDecimal.ONE : new BigDecimal(w[c]);
      out[c] = wc.multiply(keep.multiply(new BigDecimal(t[c])).add(spread), MC);
    }
    return out;
  }

  /**
   * The gradient of {@link #crossEntropy} with respect to the logits, before the reduction's scale:
   * {@code A p_j - weight_j}, {@code A} the sum of the weights and {@code p} the exact softmax, as exact
   * decimals (the probabilities below the smallest normal too). Also returns, in {@code magnitude},
   * {@code A p_j + weight_j}: the size of the two terms, the scale of the gradient's error bound; and in
   * {@code factor[0]} the probabilities' factor {@code A}, which multiplies a probability's absolute error
   * below the smallest normal. A row whose maximum is not finite has a NaN gradient: null.
   */
  public static BigDecimal[] crossEntropyGradient(double[] row, BigDecimal[] weight, double[] magnitude,
      double[] factor) {
    int n = row.length;
    double m = max(row);
    if (!Double.isFinite(m)) {
      java.util.Arrays.fill(magnitude, 0);
      return null;
    }
    BigDecimal[] p = Exact.softmaxExact(row, 1.0);
    BigDecimal mass = BigDecimal.ZERO;
    for (BigDecimal w : weight) {
      mass = mass.add(w);
    }
    factor[0] = mass.doubleValue();
    BigDecimal[] out = new BigDecimal[n];
    for (int j = 0; j < n; j++) {
      BigDecimal ap = mass.multiply(p[j]);
      out[j] = ap.subtract(weight[j]);
      magnitude[j] = ap.add(weight[j]).doubleValue();
    }
    return out;
  }

  /**
   * Binary cross-entropy with logits of one element: {@code w [(1 - z) x + lw softplus(-x)]},
   * {@code lw = 1 + (pw - 1) z}, {@code softplus(-x) = log1p(exp(-|x|)) + max(-x, 0)}, with the limits at
   * infinite {@code x}: 0 where the logit agrees with its target, +inf otherwise.
   */
  public static Value bce(double x, double z, double pw, double w) {
    if (Double.isNaN(x)) {
      return Value.special(Double.NaN);
    }
    if (Double.isInfinite(x)) {
      boolean agrees = x < 0 ? z == 0 : z == 1;
      return agrees ? Value.of(BigDecimal.ZERO) : Value.special(Double.POSITIVE_INFINITY);
    }
    BigDecimal bz = new BigDecimal(z), bx = new BigDecimal(x);
    BigDecimal lw = BigDecimal.ONE.add(new BigDecimal(pw).subtract(BigDecimal.ONE).multiply(bz));
    BigDecimal softplus = log1pExpNegAbsExact(x).add(x < 0 ? bx.negate() : BigDecimal.ZERO);
    // exact products: (1 - z) x and lw softplus(-x) cancel for large |x|, leaving the tiny loss
    BigDecimal inner = BigDecimal.ONE.subtract(bz).multiply(bx).add(lw.multiply(softplus));
    return Value.of(new BigDecimal(w).multiply(inner));
  }

  /**
   * {@code d bce / dx = w [(1 - z) - lw sigmoid(-x)]}, times {@code scale}; with, in {@code magnitude[0]},
   * the magnitude of its two terms and, in {@code magnitude[1]}, the factor {@code scale w lw} of the
   * sigmoid, which multiplies its absolute error below the smallest normal.
   */
  public static DD bceGradient(double x, double z, double pw, double w, double scale, double[] magnitude) {
    if (Double.isNaN(x)) {
      magnitude[0] = 0;
      magnitude[1] = 0;
      return DD.of(Double.NaN);
    }
    BigDecimal bz = new BigDecimal(z);
    BigDecimal lw = BigDecimal.ONE.add(new BigDecimal(pw).subtract(BigDecimal.ONE).multiply(bz));
    BigDecimal sigmoidNeg = big(sigmoid(-x));
    BigDecimal a = BigDecimal.ONE.subtract(bz), b = lw.multiply(sigmoidNeg);
    BigDecimal factor = new BigDecimal(w).multiply(new BigDecimal(scale));
    magnitude[0] = factor.multiply(a.abs().add(b.abs()), MC).doubleValue();
    magnitude[1] = factor.multiply(lw, MC).doubleValue();
    return dd(factor.multiply(a.subtract(b), MC));
  }

  /**
   * {@code log1p(exp(-|x|))} exactly enough at every scale: for {@code |x| > 600}, where it is
   * {@code exp(-|x|)} to 1e-260 relative and may lie below the smallest normal, the exponential is taken
   * 2^600 higher and scaled down in decimal, so that no subnormal rounding enters the oracle.
   */
  public static BigDecimal log1pExpNegAbsExact(double x) {
    if (Math.abs(x) > 600) {
      DD e = DD.exp(DD.of(-Math.abs(x)).add(Exact.SCALE_LOG));
      return big(e).multiply(TWO_TO_MINUS_600);
    }
    return big(log1pExpNegAbs(x));
  }

  static final BigDecimal TWO_TO_MINUS_600 = BigDecimal.ONE.divide(new BigDecimal(java.math.BigInteger.TWO.pow(600)));

  /** {@code log1p(exp(-|x|))} in double-double. */
  static DD log1pExpNegAbs(double x) {
    DD e = DD.exp(DD.of(-Math.abs(x)));
    if (e.hi() >= 0x1p-8) {
      return DD.log(e.add(1));
    }
    DD power = e, sum = e;
    for (int k = 2; k <= 16; k++) {
      power = power.mul(e);
      DD term = power.div(DD.of(k));
      sum = (k % 2 == 0) ? sum.sub(term) : sum.add(term);
    }
    return sum;
  }

  /** {@code 1 / (1 + exp(-x))} in double-double, for every x. */
  public static DD sigmoid(double x) {
    if (Double.isNaN(x)) {
      return DD.of(x);
    }
    return x >= 0 ? DD.ONE.div(DD.ONE.add(DD.exp(DD.of(-x))))
        : DD.exp(DD.of(x)).div(DD.ONE.add(DD.exp(DD.of(x))));
  }

  /** {@code log(sigmoid(x)) = -softplus(-x)} in double-double. */
  public static DD logSigmoid(double x) {
    if (Double.isNaN(x) || x == Double.NEGATIVE_INFINITY) {
      return DD.of(x);
    }
    DD l = log1pExpNegAbs(x);
    return x >= 0 ? l.neg() : DD.of(x).sub(l);
  }
}
