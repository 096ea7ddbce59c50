package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.oracle.DD;
import io.github.logits4j.oracle.Ulps;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** sigmoid and log-sigmoid against the double-double oracle, and BCE element losses likewise. */
class SigmoidPropertiesTest {

  @Provide
  Arbitrary<double[]> inputs() {
    Arbitrary<Double> v = Arbitraries.oneOf(
        Arbitraries.doubles().between(-30, 30),
        Arbitraries.doubles().between(-110, 110),
        Arbitraries.doubles().between(-800, 800),
        Arbitraries.of(0.0, -0.0, 1e-30, -1e-30, 88.7, -88.7, -103.0, 36.7, -745.0, 745.0));
    return v.array(double[].class).ofMinSize(1).ofMaxSize(70);
  }

  static DD sigmoid(double x) {
    return x >= 0 ? DD.ONE.div(DD.ONE.add(DD.exp(DD.of(-x)))) : DD.exp(DD.of(x)).div(DD.ONE.add(DD.exp(DD.of(x))));
  }

  /** log(sigmoid(x)) = -log1p(exp(-x)) for x >= 0 and x - log1p(exp(x)) below, in double-double. */
  static DD logSigmoid(double x) {
    DD e = DD.exp(DD.of(-Math.abs(x)));
    DD l = e.hi() < 0x1p-8 ? small(e) : DD.log(e.add(1));
    return x >= 0 ? l.neg() : DD.of(x).sub(l);
  }

  private static DD small(DD a) {
    DD power = a, sum = a;
    for (int k = 2; k <= 16; k++) {
      power = power.mul(a);
      DD term = power.div(DD.of(k));
      sum = (k % 2 == 0) ? sum.sub(term) : sum.add(term);
    }
    return sum;
  }

  @Property
  void sigmoidWithinOneUlp(@ForAll("inputs") double[] x) {
    float[] xf = new float[x.length], yf = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      xf[i] = (float) x[i];
    }
    Logits.sigmoid(xf, yf);
    double[] yd = new double[x.length];
    Logits.sigmoid(x, yd);
    for (int i = 0; i < x.length; i++) {
      double ef = Ulps.ofFloat(yf[i], sigmoid(xf[i])), ed = Ulps.ofDouble(yd[i], sigmoid(x[i]));
      int at = i;
      assertTrue(ef <= Bounds.SIGMOID, () -> "float sigmoid(" + xf[at] + ") off by " + ef + " ulp");
      assertTrue(ed <= Bounds.sigmoid(false), () -> "double sigmoid(" + x[at] + ") off by " + ed + " ulp");
    }
  }

  @Property
  void logSigmoidWithinBound(@ForAll("inputs") double[] x) {
    float[] xf = new float[x.length], yf = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      xf[i] = (float) x[i];
    }
    Logits.logSigmoid(xf, yf);
    double[] yd = new double[x.length];
    Logits.logSigmoid(x, yd);
    for (int i = 0; i < x.length; i++) {
      double ef = Ulps.ofFloat(yf[i], logSigmoid(xf[i])), ed = Ulps.ofDouble(yd[i], logSigmoid(x[i]));
      int at = i;
      assertTrue(ef <= Bounds.SIGMOID, () -> "float logSigmoid(" + xf[at] + ") off by " + ef + " ulp");
      assertTrue(ed <= Bounds.logSigmoid(false), () -> "double logSigmoid(" + x[at] + ") off by " + ed + " ulp");
    }
  }

  /** Element losses within 2 ulps of the exact {@code -z log sigmoid(x) - (1-z) log sigmoid(-x)}. */
  @Property
  void bceElementsWithinBound(@ForAll("inputs") double[] x, @ForAll("targets") double z) {
    float[] xf = new float[x.length], zf = new float[x.length], out = new float[x.length];
    double[] zd = new double[x.length], outD = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      xf[i] = (float) x[i];
      zf[i] = (float) z;
      zd[i] = z;
    }
    BinaryCrossEntropy.withLogits().elementLosses(xf, x.length, zf, out);
    BinaryCrossEntropy.withLogits().elementLosses(x, x.length, zd, outD);
    for (int i = 0; i < x.length; i++) {
      DD exactF = bce(xf[i], zf[i]), exactD = bce(x[i], z);
      double ef = Ulps.ofFloat(out[i], exactF), ed = Ulps.ofDouble(outD[i], exactD);
      int at = i;
      assertTrue(ef <= Bounds.ROW_LOSS, () -> "float BCE(" + xf[at] + ", " + z + ") = " + out[at] + " off by " + ef + " ulp from " + exactF);
      assertTrue(ed <= (Bounds.SCALAR ? 3 * (1 + Math.abs(x[at] * (1 - z)) / Math.max(1e-300, Math.abs(exactD.toDouble()))) : Bounds.ROW_LOSS),
          () -> "double BCE(" + x[at] + ", " + z + ") off by " + ed + " ulp");
    }
  }

  @Provide
  Arbitrary<Double> targets() {
    return Arbitraries.of(0.0, 1.0, 0.5, 0.25, 0.9);
  }

  static DD bce(double x, double z) {
    // -z log sigmoid(x) - (1 - z) log sigmoid(-x)
    return logSigmoid(x).mul(-z).sub(logSigmoid(-x).mul(1 - z));
  }
}
