package io.github.logits4j.cli;

/**
 * One block of rows and everything computed from it; the arrays are allocated once for the largest block
 * and reused, so a run's memory is bounded by the block size whatever the file's length.
 */
final class Block {
  final boolean dbl;
  final int cols;
  final int capacity;
  int rows;
  /** rows the next read may fill, at most {@code capacity} */
  int limit;
  /** index of the block's first row in the file */
  long firstRow;

  float[] xf;
  double[] xd;
  float[] pf;
  double[] pd;
  float[] lpf;
  double[] lpd;
  float[] lossf;
  double[] lossd;
  int[] pred;
  int[] labels;
  /** top-k classes, {@code kc} per row (the larger of --top and the summary's k) */
  int[] topIdx;
  float[] topValf;
  double[] topVald;
  int kc;
  /** --top K classes and probabilities, {@code k} per row */
  int k;
  int[] topCls;
  float[] topPf;
  double[] topPd;

  Block(boolean dbl, int cols, int capacity) {
    this.dbl = dbl;
    this.cols = cols;
    this.capacity = capacity;
    this.limit = capacity;
    int n = Math.multiplyExact(cols, capacity);
    if (dbl) {
      xd = new double[n];
    } else {
      xf = new float[n];
    }
  }

  /** The value at {@code i} of a dtype pair as text. */
  static String num(float[] f, double[] d, int i) {
    return f != null ? Numbers.of(f[i]) : Numbers.of(d[i]);
  }
}
