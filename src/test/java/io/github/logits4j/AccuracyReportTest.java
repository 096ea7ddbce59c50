package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.gen.Batch;
import io.github.logits4j.gen.Batches;
import io.github.logits4j.gen.Regime;
import io.github.logits4j.oracle.DD;
import io.github.logits4j.oracle.Exact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A fixed sweep over every value regime and a spread of row lengths, measuring each op's largest error
 * against the exact oracle. It asserts the documented bounds and writes the measured maxima to
 * {@code target/accuracy/<kernels>.md}, the source of the README's "measured" column.
 */
class AccuracyReportTest {
  static final int[] COLS = {1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 257, 1000, 4099};

  @Test
  void measureAndAssertBounds() throws IOException {
    Map<String, Double> worst = new LinkedHashMap<>();
    for (boolean isFloat : new boolean[] {true, false}) {
      String dtype = isFloat ? "float32" : "float64";
      for (Regime regime : Regime.values()) {
        for (int cols : COLS) {
          for (long seed = 0; seed < 3; seed++) {
            Batch b = Batches.make(regime, 2, cols, seed * 7919 + cols, isFloat);
            double[] p = Ops.softmax(b, 1.0), ls = Ops.logSoftmax(b, 1.0), lse = Ops.logSumExp(b);
            for (int r = 0; r < b.rows(); r++) {
              double[] row = b.row(r);
              DD[] exactP = Exact.softmax(row, 1.0), exactL = Exact.logSoftmax(row, 1.0);
              DD exactE = Exact.logSumExp(row);
              for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                double ep = Ops.ulps(b, p[i], exactP[j]);
                boolean subnormal = Ops.belowNormal(b, exactP[j]);
                double bound = subnormal ? Bounds.softmaxSubnormal(b, row, j, 1.0) : Bounds.softmax(b, row, j, 1.0);
                assertTrue(ep <= bound, "softmax " + ep + " ulp at " + i + " in " + b);
                worst.merge("softmax " + dtype + (subnormal ? " (subnormal outputs)" : ""), ep, Math::max);
                double el = Ops.ulps(b, ls[i], exactL[j]);
                assertTrue(el <= Bounds.logSoftmax(b, row, 1.0), "logSoftmax " + el + " ulp at " + i + " in " + b);
                worst.merge("logSoftmax " + dtype, el, Math::max);
              }
              double ee = Ops.ulps(b, lse[r], exactE);
              assertTrue(ee <= Bounds.logSumExp(b, row, exactE.toDouble()), "logSumExp " + ee + " ulp in " + b);
              worst.merge("logSumExp " + dtype, ee, Math::max);
            }
            measureLosses(b, dtype, worst);
          }
        }
      }
    }
    StringBuilder md = new StringBuilder("| op | measured maximum (ulp) |\n|---|---:|\n");
    worst.forEach((k, v) -> md.append(String.format(Locale.ROOT, "| %s | %.3f |%n", k, v)));
    Path out = Path.of("target", "accuracy", Logits.implementation() + ".md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md.toString());
    System.out.println(md);
  }

  /**
   * Row cross-entropy with the top label (the tiny losses of confident rows) and with the first label,
   * BCE element losses with targets 0, 1 and 0.25, sigmoid and log-sigmoid of every logit.
   */
  private static void measureLosses(Batch b, String dtype, Map<String, Double> worst) {
    int rows = b.rows(), cols = b.cols(), n = rows * cols;
    int[] top = Ops.argmax(b), first = new int[rows];
    for (int[] labels : new int[][] {top, first}) {
      boolean finite = true;
      for (int r = 0; r < rows; r++) {
        finite &= b.row(r)[labels[r]] != Double.NEGATIVE_INFINITY && !Double.isNaN(b.row(r)[labels[r]]);
      }
      if (!finite) {
        continue;
      }
      double[] losses = LossPropertiesTest.rowLosses(CrossEntropy.sparse(), b, labels);
      for (int r = 0; r < rows; r++) {
        DD exact = Exact.logSumExp(b.row(r)).sub(DD.of(b.row(r)[labels[r]]));
        double e = Ops.ulps(b, losses[r], exact);
        assertTrue(e <= Bounds.rowLoss(b, b.row(r)), "row cross-entropy " + e + " ulp in row " + r + " of " + b);
        worst.merge("row cross-entropy " + dtype, e, Math::max);
      }
    }
    double[] targets = {0, 1, 0.25};
    double[] z = new double[n];
    for (int i = 0; i < n; i++) {
      z[i] = targets[i % 3];
    }
    double[] bce = new double[n], sig = new double[n], logSig = new double[n];
    if (b.isFloat()) {
      float[] out = new float[n], zf = new float[n], s = new float[n], ls = new float[n];
      for (int i = 0; i < n; i++) {
        zf[i] = (float) z[i];
      }
      BinaryCrossEntropy.withLogits().elementLosses(b.floats(), cols, zf, out);
      Logits.sigmoid(b.floats(), s);
      Logits.logSigmoid(b.floats(), ls);
      bce = Ops.widen(out);
      sig = Ops.widen(s);
      logSig = Ops.widen(ls);
    } else {
      BinaryCrossEntropy.withLogits().elementLosses(b.values(), cols, z, bce);
      Logits.sigmoid(b.values(), sig);
      Logits.logSigmoid(b.values(), logSig);
    }
    for (int i = 0; i < n; i++) {
      double x = b.values()[i];
      if (Double.isInfinite(x)) {
        continue;  // the special values have their own example tests
      }
      double eb = Ops.ulps(b, bce[i], SigmoidPropertiesTest.bce(x, z[i]));
      double es = Ops.ulps(b, sig[i], SigmoidPropertiesTest.sigmoid(x));
      double el = Ops.ulps(b, logSig[i], SigmoidPropertiesTest.logSigmoid(x));
      boolean relaxed = Bounds.SCALAR && !b.isFloat();
      if (!relaxed) {
        assertTrue(eb <= Bounds.ROW_LOSS, "BCE " + eb + " ulp at x = " + x + ", z = " + z[i]);
        assertTrue(es <= Bounds.SIGMOID, "sigmoid " + es + " ulp at x = " + x);
        assertTrue(el <= Bounds.SIGMOID, "logSigmoid " + el + " ulp at x = " + x);
      }
      worst.merge("BCE with logits (element) " + dtype, eb, Math::max);
      worst.merge("sigmoid " + dtype, es, Math::max);
      worst.merge("logSigmoid " + dtype, el, Math::max);
    }
  }
}
