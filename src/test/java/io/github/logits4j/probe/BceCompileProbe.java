package io.github.logits4j.probe;

import io.github.logits4j.BinaryCrossEntropy;
import java.util.SplittableRandom;

/**
 * Runs the float64 binary cross-entropy, loss and gradient, at narrow and wide rows for the seconds its
 * argument gives, so that C2 compiles every stage of its vector part; {@code InliningBudgetTest} reads the
 * compilation log this JVM writes.
 */
public final class BceCompileProbe {
  private BceCompileProbe() {}

  public static void main(String[] args) {
    BinaryCrossEntropy bce = BinaryCrossEntropy.withLogits();
    int[][] shapes = {{4096, 10}, {256, 1000}, {2, 32000}};
    SplittableRandom rnd = new SplittableRandom(7);
    double[][] x = new double[shapes.length][], t = new double[shapes.length][], g = new double[shapes.length][];
    for (int s = 0; s < shapes.length; s++) {
      int n = shapes[s][0] * shapes[s][1];
      x[s] = new double[n];
      t[s] = new double[n];
      g[s] = new double[n];
      for (int i = 0; i < n; i++) {
        x[s][i] = rnd.nextGaussian() * 4;
        t[s][i] = rnd.nextInt(2);
      }
    }
    long end = System.nanoTime() + (long) (Double.parseDouble(args[0]) * 1e9);
    double total = 0;
    while (System.nanoTime() < end) {
      for (int s = 0; s < shapes.length; s++) {
        total += bce.loss(x[s], shapes[s][1], t[s]) + bce.lossAndGradient(x[s], shapes[s][1], t[s], g[s]);
      }
    }
    System.out.println("total=" + total);
  }
}
