package io.github.logits4j.bench;

import java.util.SplittableRandom;

/**
 * The standard benchmark shapes and their inputs: logits drawn from N(0,1) * 4 with a fixed seed, the
 * distribution the PyTorch peer ({@code torch_bench.py}) uses, so that every figure in the report is
 * measured on comparable data.
 */
final class Shapes {
  private Shapes() {}

  static int rows(String shape) {
    return Integer.parseInt(shape.substring(0, shape.indexOf('x')));
  }

  static int cols(String shape) {
    return Integer.parseInt(shape.substring(shape.indexOf('x') + 1));
  }

  static float[] floats(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (gaussian(rnd) * 4);
    }
    return x;
  }

  static double[] doubles(int n, long seed) {
    float[] f = floats(n, seed);
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = f[i];
    }
    return d;
  }

  private static double gaussian(SplittableRandom rnd) {
    double u = Math.max(rnd.nextDouble(), 1e-300);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
  }
}
