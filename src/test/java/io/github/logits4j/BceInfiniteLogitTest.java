package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An infinite logit changes nothing but its own element: the README's Semantics give it the loss's limit,
 * and the same bits at every vector width need each other element to take its usual path and the sum its
 * usual order. A logit of -inf with target 0 has loss 0 and gradient 0, and so has a logit of -1000 with
 * target 0 (exp(-1000) is 0 in double), so the two batches must give the same bits everywhere: losses,
 * gradients and the reduced loss. A kernel that sent the vector around an infinite logit to other code, or
 * added it to the sum apart from the lanes, fails here.
 */
class BceInfiniteLogitTest {
  private static final int ROWS = 3;

  @ParameterizedTest
  @ValueSource(ints = {9, 17, 24, 64, 100})
  void floatInfiniteLogitChangesOnlyItsElement(int cols) {
    SplittableRandom random = new SplittableRandom(cols);
    float[] x = new float[ROWS * cols], z = new float[ROWS * cols], pw = new float[cols], w = new float[ROWS * cols];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble(-12, 12);
      z[i] = (float) random.nextDouble();
      w[i] = (float) random.nextDouble(0.25, 2);
    }
    for (int c = 0; c < cols; c++) {
      pw[c] = (float) random.nextDouble(0.25, 4);
    }
    for (int at : new int[] {0, 3, cols - 1, cols + 5, x.length - 2}) {
      float[] finite = x.clone(), infinite = x.clone(), targets = z.clone();
      finite[at] = -1000f;
      infinite[at] = Float.NEGATIVE_INFINITY;
      targets[at] = 0f;
      for (BinaryCrossEntropy bce : new BinaryCrossEntropy[] {BinaryCrossEntropy.withLogits(),
          BinaryCrossEntropy.withLogits().posWeight(pw).weights(w)}) {
        BinaryCrossEntropy sum = bce.reduction(Reduction.SUM);
        String where = cols + " columns, -inf at " + at;
        assertEquals(sum.loss(finite, cols, targets), sum.loss(infinite, cols, targets), where);
        float[] gFinite = new float[x.length], gInfinite = new float[x.length];
        assertEquals(sum.lossAndGradient(finite, cols, targets, gFinite),
            sum.lossAndGradient(infinite, cols, targets, gInfinite), where);
        assertArrayEquals(gFinite, gInfinite, where);
        float[] eFinite = new float[x.length], eInfinite = new float[x.length];
        bce.elementLosses(finite, cols, targets, eFinite);
        bce.elementLosses(infinite, cols, targets, eInfinite);
        assertArrayEquals(eFinite, eInfinite, where);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {9, 17, 24, 64, 100})
  void doubleInfiniteLogitChangesOnlyItsElement(int cols) {
    SplittableRandom random = new SplittableRandom(-cols);
    double[] x = new double[ROWS * cols], z = new double[ROWS * cols], pw = new double[cols],
        w = new double[ROWS * cols];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextDouble(-12, 12);
      z[i] = random.nextDouble();
      w[i] = random.nextDouble(0.25, 2);
    }
    for (int c = 0; c < cols; c++) {
      pw[c] = random.nextDouble(0.25, 4);
    }
    for (int at : new int[] {0, 3, cols - 1, cols + 5, x.length - 2}) {
      double[] finite = x.clone(), infinite = x.clone(), targets = z.clone();
      finite[at] = -1000;
      infinite[at] = Double.NEGATIVE_INFINITY;
      targets[at] = 0;
      for (BinaryCrossEntropy bce : new BinaryCrossEntropy[] {BinaryCrossEntropy.withLogits(),
          BinaryCrossEntropy.withLogits().posWeight(pw).weights(w)}) {
        BinaryCrossEntropy sum = bce.reduction(Reduction.SUM);
        String where = cols + " columns, -inf at " + at;
        assertEquals(sum.loss(finite, cols, targets), sum.loss(infinite, cols, targets), where);
        double[] gFinite = new double[x.length], gInfinite = new double[x.length];
        assertEquals(sum.lossAndGradient(finite, cols, targets, gFinite),
            sum.lossAndGradient(infinite, cols, targets, gInfinite), where);
        assertArrayEquals(gFinite, gInfinite, where);
        double[] eFinite = new double[x.length], eInfinite = new double[x.length];
        bce.elementLosses(finite, cols, targets, eFinite);
        bce.elementLosses(infinite, cols, targets, eInfinite);
        assertArrayEquals(eFinite, eInfinite, where);
      }
    }
  }

  /**
   * In place, an output is the logits' array, which the loop without the limits would have overwritten
   * before it handed the elements to the loop with them: the same bits as out of place all the same.
   */
  @ParameterizedTest
  @ValueSource(ints = {9, 17, 64})
  void inPlaceWithInfiniteLogits(int cols) {
    SplittableRandom random = new SplittableRandom(3 * cols);
    float[] x = new float[ROWS * cols], z = new float[ROWS * cols];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble(-12, 12);
      z[i] = (float) random.nextDouble();
    }
    x[2] = Float.NEGATIVE_INFINITY;
    x[x.length - 3] = Float.POSITIVE_INFINITY;
    BinaryCrossEntropy sum = BinaryCrossEntropy.withLogits().reduction(Reduction.SUM);
    float[] losses = new float[x.length], inPlace = x.clone();
    sum.elementLosses(x, cols, z, losses);
    sum.elementLosses(inPlace, cols, z, inPlace);
    assertArrayEquals(losses, inPlace, "element losses in place");
    float[] grad = new float[x.length];
    inPlace = x.clone();
    double loss = sum.lossAndGradient(x, cols, z, grad);
    assertEquals(loss, sum.lossAndGradient(inPlace, cols, z, inPlace), "loss with the gradient in place");
    assertArrayEquals(grad, inPlace, "gradient in place");
  }

  /**
   * In place with MEAN, the default: a mean whose first pass is infinite used to run again over the logits
   * the first pass had overwritten with the gradient, and a logit of +inf against a target of 0 gave a
   * finite mean in place. Now the mean in place is the one out of place, for an infinite loss in both
   * dtypes and targets, and for double losses whose sum overflows while their mean does not (a second pass
   * is needed there, so the mean is taken before the outputs are written); the outputs are the same too.
   */
  @org.junit.jupiter.api.Test
  void inPlaceMeanIsTheMeanOutOfPlace() {
    int cols = 12, rows = 5, n = rows * cols;
    BinaryCrossEntropy mean = BinaryCrossEntropy.withLogits();
    float[] x = new float[n], z = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) Math.sin(i) * 5;
      z[i] = i % 3 == 0 ? 1f : 0f;
    }
    x[7] = Float.POSITIVE_INFINITY;
    z[7] = 0f;
    for (boolean overTargets : new boolean[] {false, true}) {
      float[] grad = new float[n], xs = x.clone(), zs = z.clone();
      double loss = mean.lossAndGradient(x, cols, z, grad);
      assertEquals(Double.POSITIVE_INFINITY, loss);
      float[] target = overTargets ? zs : xs;
      assertEquals(loss, mean.lossAndGradient(xs, cols, zs, target), "float, gradient over the "
          + (overTargets ? "targets" : "logits"));
      assertArrayEquals(grad, target);
      float[] losses = new float[n];
      xs = x.clone();
      zs = z.clone();
      target = overTargets ? zs : xs;
      mean.elementLosses(x, cols, z, losses);
      mean.elementLosses(xs, cols, zs, target);
      assertArrayEquals(losses, target, "float element losses in place");
    }
    double[] xd = new double[n], zd = new double[n];
    for (int i = 0; i < n; i++) {
      xd[i] = 0x1p1020 * (1 + i / 64.0);  // each loss about x: their sum overflows, their mean does not
      zd[i] = 0;
    }
    for (double inf : new double[] {0, Double.POSITIVE_INFINITY}) {
      double[] xs = xd.clone(), grad = new double[n];
      xs[3] = inf == 0 ? xs[3] : inf;
      double[] in = xs.clone();
      double loss = mean.lossAndGradient(in, cols, zd, grad);
      assertEquals(inf == 0, Double.isFinite(loss), "the mean overflows only with an infinite loss: " + loss);
      assertEquals(loss, mean.lossAndGradient(xs, cols, zd, xs), "double, gradient in place");
      assertArrayEquals(grad, xs);
    }
  }
}
