package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.oracle.DD;
import io.github.logits4j.oracle.Exact;
import io.github.logits4j.oracle.Ulps;
import org.junit.jupiter.api.Test;

/**
 * Reduced losses over 10^7 rows against the exact total. The batches repeat a small set of rows, so the
 * exact total is the sum of each distinct row's exact loss times its count: exact in double-double
 * without summing 10^7 oracle evaluations. A running double sum over the same rows drifts by thousands
 * of ulps; the bound here is {@link Bounds#REDUCED_LOSS}.
 *
 * <p>The reductions return a double. For double inputs the bound is in double ulps; for float inputs the
 * library promises float32 accuracy, so the bound is in float ulps of the double result.
 */
class ReducedLossTest {
  static final int ROWS = 10_000_000;

  /** Two-logit rows from very confident (loss about 1e-26) to very wrong (loss about 90). */
  static final double[][] CE_ROWS = {
      {0, 60}, {0, 1e-7}, {-3.5, 2.25}, {17, -41}, {0.75, 0.5}, {-88, 1}, {5, 5}, {1e3, -1e3 + 30}};
  static final double[] BCE_X = {-60, -17, -3.5, -1e-7, 0, 0.75, 2.25, 41};
  static final double[] BCE_Z = {0, 1, 0.5, 1, 0, 0.25, 1, 1};

  @Test
  void sparseCrossEntropyOverTenMillionRows() {
    for (boolean isFloat : new boolean[] {true, false}) {
      int cols = 2, distinct = CE_ROWS.length;
      double[] w = {0.375, 1.625};  // exact in float, so both dtypes share one oracle
      int[] labels = new int[ROWS];
      DD[] rowLoss = new DD[distinct * 2];
      for (int k = 0; k < distinct; k++) {
        double[] row = CE_ROWS[k];
        if (isFloat) {
          row = new double[] {(float) row[0], (float) row[1]};
        }
        DD lse = Exact.logSumExp(row);
        rowLoss[2 * k] = lse.sub(DD.of(row[0]));
        rowLoss[2 * k + 1] = lse.sub(DD.of(row[1]));
      }
      DD sum = DD.ZERO, weightedSum = DD.ZERO;
      double weightTotal = 0;
      float[] xf = isFloat ? new float[ROWS * cols] : null;
      double[] xd = isFloat ? null : new double[ROWS * cols];
      // the label cycles with a period coprime to the row pattern, so every (row, label) pair occurs
      long[] counts = new long[distinct * 2];
      for (int r = 0; r < ROWS; r++) {
        int k = r % distinct, label = (r / distinct) % 2 ^ (r % 3 == 0 ? 1 : 0);
        labels[r] = label;
        counts[2 * k + label]++;
        for (int c = 0; c < cols; c++) {
          if (isFloat) {
            xf[r * cols + c] = (float) CE_ROWS[k][c];
          } else {
            xd[r * cols + c] = CE_ROWS[k][c];
          }
        }
      }
      for (int i = 0; i < counts.length; i++) {
        sum = sum.add(rowLoss[i].mul(counts[i]));
        weightedSum = weightedSum.add(rowLoss[i].mul(counts[i] * w[i % 2]));
        weightTotal += counts[i] * w[i % 2];
      }
      for (Reduction reduction : new Reduction[] {Reduction.SUM, Reduction.MEAN}) {
        for (boolean weighted : new boolean[] {false, true}) {
          CrossEntropy ce = CrossEntropy.sparse().reduction(reduction);
          if (weighted) {
            ce = isFloat ? ce.classWeights(new float[] {(float) w[0], (float) w[1]}) : ce.classWeights(w);
          }
          DD total = weighted ? weightedSum : sum;
          DD exact = reduction == Reduction.SUM ? total : total.div(DD.of(weighted ? weightTotal : ROWS));
          double actual = isFloat ? ce.loss(xf, cols, labels) : ce.loss(xd, cols, labels);
          assertWithinBound("cross-entropy " + reduction + (weighted ? " weighted" : ""), isFloat, actual, exact);
        }
      }
    }
  }

  @Test
  void bceWithLogitsOverTenMillionElements() {
    for (boolean isFloat : new boolean[] {true, false}) {
      int distinct = BCE_X.length;
      DD[] elementLoss = new DD[distinct];
      for (int k = 0; k < distinct; k++) {
        double x = isFloat ? (float) BCE_X[k] : BCE_X[k];
        elementLoss[k] = SigmoidPropertiesTest.bce(x, BCE_Z[k]);
      }
      float[] xf = isFloat ? new float[ROWS] : null, zf = isFloat ? new float[ROWS] : null;
      double[] xd = isFloat ? null : new double[ROWS], zd = isFloat ? null : new double[ROWS];
      for (int i = 0; i < ROWS; i++) {
        int k = i % distinct;
        if (isFloat) {
          xf[i] = (float) BCE_X[k];
          zf[i] = (float) BCE_Z[k];
        } else {
          xd[i] = BCE_X[k];
          zd[i] = BCE_Z[k];
        }
      }
      DD sum = DD.ZERO;
      for (int k = 0; k < distinct; k++) {
        sum = sum.add(elementLoss[k].mul(ROWS / distinct));
      }
      for (Reduction reduction : new Reduction[] {Reduction.SUM, Reduction.MEAN}) {
        BinaryCrossEntropy bce = BinaryCrossEntropy.withLogits().reduction(reduction);
        // one column per row: MEAN divides by the element count
        double actual = isFloat ? bce.loss(xf, 1, zf) : bce.loss(xd, 1, zd);
        DD exact = reduction == Reduction.SUM ? sum : sum.div(DD.of(ROWS));
        assertWithinBound("BCE " + reduction, isFloat, actual, exact);
      }
    }
  }

  private static void assertWithinBound(String what, boolean isFloat, double actual, DD exact) {
    double ulps = isFloat ? Ulps.ofFloat((float) actual, exact) : Ulps.ofDouble(actual, exact);
    // for float inputs also measure the double result itself in float ulps, unrounded
    double floatUlps = isFloat ? Math.abs(DD.of(actual).sub(exact).toDouble()) / Math.ulp((float) exact.toDouble()) : 0;
    // The scalar fallback is the textbook reference: a running double sum, off by up to n half-ulps.
    double bound = Bounds.SCALAR && !isFloat ? ROWS : Bounds.REDUCED_LOSS;
    String dtype = isFloat ? "float32" : "float64";
    assertTrue(ulps <= bound && floatUlps <= bound,
        () -> what + " " + dtype + " = " + actual + ", exact " + exact + ": " + Math.max(ulps, floatUlps) + " ulp");
    System.out.printf("%s %s: %.3f ulp%n", what, dtype, Math.max(ulps, floatUlps));
  }
}
