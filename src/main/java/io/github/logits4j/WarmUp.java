package io.github.logits4j;

import io.github.logits4j.internal.KernelProvider;

/**
 * {@link Logits#warmUp()}: the main ops on small batches, in rounds, until the JIT has compiled the kernels.
 * The Vector API kernels run boxed, tens of times slower, until C2 compiles them: a round then takes a small
 * fraction of the first round's time. The rounds stop when five in a row are within 25% of the fastest, that
 * fastest is under a quarter of the first round, and at least 20 have run; or after 10 seconds. The scalar
 * kernels, which run at a few times their compiled speed before the JIT compiles them, get 5 rounds.
 */
final class WarmUp {
  private static final long LIMIT_NANOS = 10_000_000_000L;
  private static final int WIDE = 1000, NARROW = 10;

  private WarmUp() {}

  static void run() {
    try {
      // the vector kernels' own warm-up (float softmax runs a scalar twin until it ends), then the rounds
      KernelProvider.kernels().awaitCompiled();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    float[] wf = values(32 * WIDE), nf = values(256 * NARROW), yf = new float[wf.length];
    double[] wd = widen(wf), nd = widen(nf), yd = new double[wd.length];
    int[] idx = new int[256], wideLabels = labels(32, WIDE), narrowLabels = labels(256, NARROW);
    CrossEntropy ce = CrossEntropy.sparse();
    boolean vector = !Logits.implementation().equals("scalar");
    long start = System.nanoTime(), first = 0, best = Long.MAX_VALUE;
    int settled = 0;
    for (int round = 0; System.nanoTime() - start < LIMIT_NANOS; round++) {
      long t = System.nanoTime();
      for (int i = 0; i < 1; i++) {
        Logits.softmax(wf, yf, WIDE);
        Logits.logSoftmax(wf, yf, WIDE);
        Logits.logSumExp(wf, WIDE, yf);
        Logits.argmax(wf, WIDE, idx);
        ce.lossAndGradient(wf, WIDE, wideLabels, yf);
        Logits.softmax(nf, 0, yf, 0, 256, NARROW);
        Logits.logSoftmax(nf, 0, yf, 0, 256, NARROW);
        Logits.logSumExp(nf, NARROW, yf);
        Logits.argmax(nf, NARROW, idx);
        ce.lossAndGradient(nf, 0, 256, NARROW, narrowLabels, 0, yf, 0);
        Logits.softmax(wd, yd, WIDE);
        Logits.logSoftmax(wd, yd, WIDE);
        Logits.logSumExp(wd, WIDE, yd);
        Logits.argmax(wd, WIDE, idx);
        ce.lossAndGradient(wd, WIDE, wideLabels, yd);
        Logits.softmax(nd, 0, yd, 0, 256, NARROW);
        Logits.logSumExp(nd, NARROW, yd);
      }
      long d = System.nanoTime() - t;
      if (round == 0) {
        first = d;
      }
      settled = d <= best + best / 4 ? settled + 1 : 0;
      best = Math.min(best, d);
      if (vector ? round >= 20 && settled >= 5 && best < first / 4 : round >= 5) {
        return;
      }
    }
  }

  private static float[] values(int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (i * 7919 % 2003 - 1001) / 128f;
    }
    return x;
  }

  private static double[] widen(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  private static int[] labels(int rows, int cols) {
    int[] l = new int[rows];
    for (int r = 0; r < rows; r++) {
      l[r] = r * 31 % cols;
    }
    return l;
  }
}
