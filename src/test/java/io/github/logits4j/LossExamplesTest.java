package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.oracle.DD;
import io.github.logits4j.oracle.Ulps;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Special values and bad input for the losses, sigmoid and log-sigmoid. */
class LossExamplesTest {
  static final float INF = Float.POSITIVE_INFINITY, NAN = Float.NaN;

  @Test
  void ignoredRowsGetZeroGradientWhateverTheyHold() {
    float[] x = {NAN, 1, INF, /* row 1 */ 0.5f, -INF, 2, /* row 2 */ 1, 2, 3};
    int[] labels = {-100, 2, -100};
    float[] grad = new float[9];
    Arrays.fill(grad, 7f);
    double loss = CrossEntropy.sparse().lossAndGradient(x, 3, labels, grad);
    assertArrayEquals(new float[] {0, 0, 0}, Arrays.copyOfRange(grad, 0, 3));
    assertArrayEquals(new float[] {0, 0, 0}, Arrays.copyOfRange(grad, 6, 9));
    assertTrue(Float.isFinite(grad[3]) && grad[4] == 0f, "masked class gets gradient 0");
    double expected = Math.log(Math.exp(0.5) + Math.exp(2)) - 2;
    assertEquals(expected, loss, 1e-7, "MEAN over the one row that counts");
    float[] rows = new float[3];
    CrossEntropy.sparse().rowLosses(x, 3, labels, rows);
    assertEquals(0f, rows[0]);
    assertEquals(0f, rows[2]);
  }

  @Test
  void everyRowIgnoredMeanIsNaN() {
    assertTrue(Double.isNaN(CrossEntropy.sparse().loss(new float[] {1, 2}, 2, new int[] {-100})), "0/0");
    assertEquals(0.0, CrossEntropy.sparse().reduction(Reduction.SUM).loss(new float[] {1, 2}, 2, new int[] {-100}));
  }

  /**
   * MEAN over a total weight of zero: every label has weight 0, so the loss is 0/0 and the gradient of
   * every row that counts NaN; an ignored row keeps its zero gradient.
   */
  @Test
  void zeroTotalWeightGivesNaNGradients() {
    float[] x = {1, 2, 3, 0.5f, -1, 2};
    float[] grad = new float[6];
    CrossEntropy ce = CrossEntropy.sparse().classWeights(new float[] {0, 1, 0});
    double loss = ce.lossAndGradient(x, 3, new int[] {0, -100}, grad);
    assertTrue(Double.isNaN(loss), "0/0, was " + loss);
    for (int j = 0; j < 3; j++) {
      assertTrue(Float.isNaN(grad[j]), "counted row: NaN gradient, was " + grad[j]);
      assertEquals(0f, grad[3 + j], "ignored row: zero gradient");
    }
    double[] xd = {1, 2, 3};
    double[] gd = new double[3];
    CrossEntropy.sparse().classWeights(new double[] {0, 1, 0}).lossAndGradient(xd, 3, new int[] {2}, gd);
    assertTrue(Double.isNaN(gd[0]) && Double.isNaN(gd[1]) && Double.isNaN(gd[2]), java.util.Arrays.toString(gd));
  }

  @Test
  void nanPropagatesInRowsThatCount() {
    float[] out = new float[2];
    CrossEntropy.sparse().rowLosses(new float[] {NAN, 1, 0, 1}, 2, new int[] {1, 1}, out);
    assertTrue(Float.isNaN(out[0]));
    assertTrue(Float.isFinite(out[1]));
    float[] e = new float[2];
    BinaryCrossEntropy.withLogits().elementLosses(new float[] {NAN, 1}, 2, new float[] {0, 1}, e);
    assertTrue(Float.isNaN(e[0]));
  }

  @Test
  void denseZeroTargetOnMinusInfinityContributesNothing() {
    float[] x = {-INF, 1, 2};
    double loss = CrossEntropy.dense().loss(x, 3, new float[] {0, 0.5f, 0.5f});
    double expected = 0.5 * (Math.log(Math.exp(1) + Math.exp(2)) - 1) + 0.5 * (Math.log(Math.exp(1) + Math.exp(2)) - 2);
    assertEquals(expected, loss, 1e-7);
    float[] grad = new float[3];
    CrossEntropy.dense().lossAndGradient(x, 3, new float[] {0, 0.5f, 0.5f}, grad);
    assertEquals(0f, grad[0]);
    assertEquals(INF, (float) CrossEntropy.dense().loss(x, 3, new float[] {0.1f, 0.4f, 0.5f}));
    double[] xd = {Double.NEGATIVE_INFINITY, 1, 2};
    assertEquals(expected, CrossEntropy.dense().loss(xd, 3, new double[] {0, 0.5, 0.5}), 1e-15);
  }

  @Test
  void bceAtInfiniteLogits() {
    float[] x = {-INF, -INF, INF, INF, -INF, INF};
    float[] z = {0, 1, 1, 0, 0.5f, 0.5f};
    float[] out = new float[6];
    BinaryCrossEntropy.withLogits().elementLosses(x, 6, z, out);
    assertArrayEquals(new float[] {0, INF, 0, INF, INF, INF}, out);
    double[] outD = new double[6];
    double[] xd = Ops.widen(x), zd = Ops.widen(z);
    BinaryCrossEntropy.withLogits().elementLosses(xd, 6, zd, outD);
    assertEquals(0.0, outD[0]);
    assertEquals(Double.POSITIVE_INFINITY, outD[1]);
    float[] grad = new float[6];
    BinaryCrossEntropy.withLogits().reduction(Reduction.SUM).lossAndGradient(new float[] {-INF, INF}, 2,
        new float[] {0, 1}, new float[2]);
    BinaryCrossEntropy.withLogits().reduction(Reduction.SUM).lossAndGradient(x, 6, z, grad);
    assertEquals(0f, grad[0], "d/dx at -inf with z=0");
    assertEquals(0f, grad[2], "d/dx at +inf with z=1");
  }

  @Test
  void sigmoidKeepsSubnormals() {
    float[] x = {-88f, -90f, -100f, -103f, 0f, 20f};
    float[] y = new float[x.length];
    Logits.sigmoid(x, y);
    for (int i = 0; i < x.length; i++) {
      DD exact = DD.ONE.div(DD.ONE.add(DD.exp(DD.of(-x[i]))));
      assertTrue(Ulps.ofFloat(y[i], exact) <= 1, "sigmoid(" + x[i] + ") = " + y[i] + " vs " + exact);
    }
    assertTrue(y[2] > 0 && y[2] < Float.MIN_NORMAL, "sigmoid(-100) is the subnormal 3.7e-44, not 0");
  }

  @Test
  void lossBadInputLeavesOutputsUntouched() {
    float[] x = {1, 2, 3, 4};
    float[] grad = {9, 9, 9, 9};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CrossEntropy.sparse().lossAndGradient(x, 2, new int[] {0, 5}, grad));
    assertTrue(e.getMessage().contains("labels[1] = 5 (row 1)"), e.getMessage());
    assertArrayEquals(new float[] {9, 9, 9, 9}, grad);
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> CrossEntropy.sparse().loss(x, 2, new int[] {0})).getMessage().contains("labels.length must be 2, was 1"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> CrossEntropy.sparse().classWeights(new float[] {1, -1})).getMessage()
        .contains("classWeights[1] must be finite and >= 0, was -1.0"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> CrossEntropy.sparse().classWeights(new float[] {1, NAN})).getMessage().contains("was NaN"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> CrossEntropy.sparse().labelSmoothing(1.0)).getMessage().contains("labelSmoothing must be in [0, 1), was 1.0"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> CrossEntropy.sparse().classWeights(new float[] {1, 1, 1}).loss(x, 2, new int[] {0, 1})).getMessage()
        .contains("classWeights.length must equal cols=2, was 3"));
    float[] denseGrad = {9, 9, 9, 9};
    IllegalArgumentException neg = assertThrows(IllegalArgumentException.class,
        () -> CrossEntropy.dense().lossAndGradient(x, 2, new float[] {0.5f, 0.5f, 1.5f, -0.5f}, denseGrad));
    assertTrue(neg.getMessage().contains("targets row 1 has a negative entry: targets[3] = -0.5"), neg.getMessage());
    assertArrayEquals(new float[] {9, 9, 9, 9}, denseGrad);
    float[] out = {9, 9, 9, 9};
    assertThrows(IllegalArgumentException.class,
        () -> BinaryCrossEntropy.withLogits().posWeight(new float[] {1, 1, 1}).elementLosses(x, 2, new float[4], out));
    assertArrayEquals(new float[] {9, 9, 9, 9}, out);
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> BinaryCrossEntropy.withLogits().weights(new float[] {1, -2})).getMessage().contains("weights[1]"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> CrossEntropy.sparse().classWeights(new float[] {1, 1}).loss(new double[] {1, 2}, 2, new int[] {0}))
        .getMessage().contains("double logits need double[]"));
    assertThrows(IllegalStateException.class, () -> CrossEntropy.dense().ignoreIndex(3));
    assertThrows(IllegalStateException.class, () -> CrossEntropy.dense().loss(x, 2, new int[] {0, 1}));
  }
}
