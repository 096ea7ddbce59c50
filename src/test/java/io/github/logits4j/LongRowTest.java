package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.gen.Batch;
import io.github.logits4j.gen.Batches;
import io.github.logits4j.gen.Regime;
import io.github.logits4j.oracle.DD;
import io.github.logits4j.oracle.Exact;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rows of 128k entries: the sums are compensated, so the bound does not grow with the row length the way
 * a float running sum's error does. The float sum here would be off by hundreds of ulps.
 */
class LongRowTest {
  static final int COLS = 128 * 1024;

  @ParameterizedTest
  @EnumSource(value = Regime.class, names = {"SMALL", "SPREAD", "CONFIDENT", "ALMOST_CERTAIN", "TIES", "MASKED", "NEAR_MAX"})
  void longRowsStayWithinBound(Regime regime) {
    for (boolean isFloat : new boolean[] {true, false}) {
      Batch b = Batches.make(regime, 1, COLS, 42, isFloat);
      double[] y = Ops.softmax(b, 1.0);
      double[] ls = Ops.logSoftmax(b, 1.0);
      double[] lse = Ops.logSumExp(b);
      DD[] exactP = Exact.softmax(b.row(0), 1.0);
      DD[] exactLs = Exact.logSoftmax(b.row(0), 1.0);
      DD exactLse = Exact.logSumExp(b.row(0));
      double worstP = 0, worstLs = 0;
      for (int j = 0; j < COLS; j += 7) {
        if (!Ops.belowNormal(b, exactP[j])) {
          worstP = Math.max(worstP, Ops.ulps(b, y[j], exactP[j]));
        }
        worstLs = Math.max(worstLs, Ops.ulps(b, ls[j], exactLs[j]));
      }
      double lseErr = Ops.ulps(b, lse[0], exactLse);
      double fp = worstP, fl = worstLs;
      assertTrue(fp <= Bounds.softmax(b, b.row(0), 1.0), () -> "softmax " + fp + " ulp on " + b);
      assertTrue(fl <= Bounds.logSoftmax(b, b.row(0), 1.0), () -> "logSoftmax " + fl + " ulp on " + b);
      double lseBound = Bounds.logSumExp(b, b.row(0), exactLse.toDouble());
      assertTrue(lseErr <= lseBound, () -> "logSumExp " + lseErr + " ulp on " + b);

      // the loss of the top label is tiny in a confident row; the loss of entry 7 is large
      for (int label : new int[] {Ops.argmax(b)[0], 7}) {
        if (b.row(0)[label] == Double.NEGATIVE_INFINITY) {
          continue;
        }
        double loss = LossPropertiesTest.rowLosses(CrossEntropy.sparse(), b, new int[] {label})[0];
        DD exact = exactLse.sub(DD.of(b.row(0)[label]));
        double err = Ops.ulps(b, loss, exact);
        // the scalar fallback's double row sum is a running sum: up to COLS half-ulps of log's argument
        double bound = Bounds.rowLoss(b, b.row(0)) + (Bounds.SCALAR && !isFloat ? COLS : 0);
        assertTrue(err <= bound, () -> "row loss " + err + " ulp on " + b);
      }

      // A naive float running sum over the same row drifts far beyond that.
      if (isFloat && regime == Regime.SMALL) {
        float naive = 0;
        double m = java.util.Arrays.stream(b.row(0)).max().orElseThrow();
        for (double v : b.values()) {
          naive += (float) Math.exp(v - m);
        }
        DD sum = DD.ZERO;
        for (double v : b.values()) {
          sum = sum.add(Math.exp(v - m));
        }
        double drift = Math.abs(naive - sum.toDouble()) / Math.ulp((float) sum.toDouble());
        assertTrue(drift > 30, "the naive sum should drift; it was off by " + drift + " ulp");
      }
    }
  }
}
