package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.internal.spi.LossSums;
import java.math.BigDecimal;
import java.util.SplittableRandom;
import net.jqwik.api.Example;

/**
 * Binary cross-entropy over batches of several loss blocks ({@link LossSums#BLOCK_ELEMENTS} elements each),
 * at offsets. A block's elements go through the kernels as one run (with {@code posWeight} repeated over
 * its rows, where the rows are not a multiple of the logical width), so a target, a weight or an output
 * taken from the wrong row or block would only show here. Some logits are infinite or -0.0, agreeing with
 * their targets, so the limits' loops and the scalar tails meet them too:
 * <ul>
 *   <li>each element's loss and gradient has the bits of the same element computed in a call of its row
 *       alone, for every row;</li>
 *   <li>the offset forms give the plain forms' bits and write nothing outside their range;</li>
 *   <li>the summed loss is the sum of the element losses, to the rounding of those, and {@code loss} and
 *       {@code lossAndGradient} return the same bits.</li>
 * </ul>
 */
class BceBlocksTest {
  private static final int[] COLS = {3, 4, 5, 8, 10, 13};

  @Example
  void float32BlocksAtOffsets() {
    for (int cols : COLS) {
      for (int config = 0; config < 4; config++) {
        check(true, cols, config);
      }
    }
  }

  @Example
  void float64BlocksAtOffsets() {
    for (int cols : COLS) {
      for (int config = 0; config < 4; config++) {
        check(false, cols, config);
      }
    }
  }

  /**
   * An empty batch with {@code posWeight}, at row widths whose blocks run as one row: no work, no error. On
   * a fresh thread, whose scratch for the repeated {@code posWeight} is still empty.
   */
  @Example
  void anEmptyBatchWithPosWeight() throws Exception {
    Throwable[] failure = new Throwable[1];
    Thread t = new Thread(() -> {
      try {
        emptyBatches();
      } catch (Throwable e) {
        failure[0] = e;
      }
    });
    t.start();
    t.join();
    if (failure[0] != null) {
      throw new AssertionError("an empty batch with posWeight", failure[0]);
    }
  }

  private static void emptyBatches() {
    for (int cols : COLS) {
      BinaryCrossEntropy f = BinaryCrossEntropy.withLogits().posWeight(new float[cols]).reduction(Reduction.SUM);
      f.elementLosses(new float[0], cols, new float[0], new float[0]);
      assertEquals(0.0, f.lossAndGradient(new float[0], cols, new float[0], new float[0]));
      BinaryCrossEntropy d = BinaryCrossEntropy.withLogits().posWeight(new double[cols]).reduction(Reduction.SUM);
      d.elementLosses(new double[0], cols, new double[0], new double[0]);
      assertEquals(0.0, d.lossAndGradient(new double[0], cols, new double[0], new double[0]));
    }
  }

  /**
   * A NaN logit's loss and gradient are NaN in every position of a row, and with the vector kernels the
   * logit itself, bit for bit, in the lanes and in the tail (float32: NaN; the conversion from double
   * already drops these payloads). Some
   * NaN payloads turned the float64 lanes' exponential, which works on the bits, into a finite {@code e},
   * and the gradient came out finite.
   */
  @Example
  void aNaNLogitHasANaNGradientWhateverItsPayload() {
    for (long bits : new long[] {0x7ff8000000000000L, 0x7ff8000000000008L, 0x7ff8000000007ff8L,
        0xfff8000000001000L}) {
      double nan = Double.longBitsToDouble(bits);
      int n = 19;  // two logical widths and a tail
      for (int at = 0; at < n; at++) {
        double[] x = new double[n], z = new double[n], g = new double[n], l = new double[n];
        java.util.Arrays.fill(z, 0.5);
        x[at] = nan;
        BinaryCrossEntropy bce = BinaryCrossEntropy.withLogits().reduction(Reduction.SUM);
        double loss = bce.lossAndGradient(x, n, z, g);
        bce.elementLosses(x, n, z, l);
        assertTrue(Double.isNaN(loss), "loss with NaN " + Long.toHexString(bits) + " at " + at);
        assertTrue(Double.isNaN(g[at]), "gradient of NaN " + Long.toHexString(bits) + " at " + at + ": " + g[at]);
        assertTrue(Double.isNaN(l[at]), "element loss of NaN " + Long.toHexString(bits) + " at " + at);
        if (!Bounds.SCALAR) {
          // the vector kernels: the logit itself, bit for bit, in a lane (at < 16) and in the tail alike (the
          // scalar fallback, the textbook reference, promises a NaN, not its bits)
          assertEquals(bits, Double.doubleToRawLongBits(g[at]), "gradient of NaN " + Long.toHexString(bits)
              + " at " + at + ": " + g[at]);
          assertEquals(bits, Double.doubleToRawLongBits(l[at]), "element loss of NaN " + Long.toHexString(bits)
              + " at " + at);
        }
        float[] xf = new float[n], zf = new float[n], gf = new float[n];
        java.util.Arrays.fill(zf, 0.5f);
        xf[at] = (float) nan;
        bce.lossAndGradient(xf, n, zf, gf);
        assertTrue(Float.isNaN(gf[at]), "float gradient of NaN at " + at + ": " + gf[at]);
      }
    }
  }

  /** {@code config}: bit 0 posWeight, bit 1 weights. */
  private static void check(boolean isFloat, int cols, int config) {
    int rows = 2 * LossSums.rowsPerBlock(cols) + 5;  // two whole blocks and part of a third
    int n = rows * cols;
    SplittableRandom rnd = new SplittableRandom(31L * cols + config + (isFloat ? 1000 : 0));
    double[] x = new double[n], z = new double[n], w = new double[n], pw = new double[cols];
    for (int i = 0; i < n; i++) {
      x[i] = rnd.nextInt(50) == 0 ? rnd.nextDouble(-90, 90) : rnd.nextGaussian() * 6;
      z[i] = switch (rnd.nextInt(3)) {
        case 0 -> 0;
        case 1 -> 1;
        default -> rnd.nextDouble();
      };
      w[i] = rnd.nextDouble(0, 2);
    }
    for (int j = 0; j < cols; j++) {
      pw[j] = rnd.nextDouble(0.1, 5);
    }
    // a few infinite logits with the targets they agree with (loss 0), and -0.0, at every column
    for (int k = 0; k < 40; k++) {
      int i = rnd.nextInt(n);
      switch (k % 3) {
        case 0 -> { x[i] = Double.POSITIVE_INFINITY; z[i] = 1; }
        case 1 -> { x[i] = Double.NEGATIVE_INFINITY; z[i] = 0; }
        default -> x[i] = -0.0;
      }
    }
    boolean hasPw = (config & 1) != 0, hasW = (config & 2) != 0;
    String where = (isFloat ? "float32" : "float64") + " " + rows + "x" + cols + (hasPw ? " posWeight" : "")
        + (hasW ? " weights" : "");
    Api api = new Api(isFloat, hasPw ? pw : null, hasW ? w : null);

    Object xa = api.array(x), za = api.array(z);
    Object out = api.array(new double[n]), grad = api.array(new double[n]);
    api.elementLosses(api.config, xa, 0, rows, cols, za, 0, out, 0);
    double withGradient = api.lossAndGradient(api.config, xa, 0, rows, cols, za, 0, grad, 0);
    double loss = api.loss(api.config, xa, 0, rows, cols, za, 0);
    assertEquals(Double.doubleToRawLongBits(loss), Double.doubleToRawLongBits(withGradient),
        where + ": loss and lossAndGradient");

    // every row alone, its weights taken from the batch's
    for (int r = 0; r < rows; r++) {
      BinaryCrossEntropy cfg = api.forRow(r, cols);
      Object rowOut = api.array(new double[cols]), rowGrad = api.array(new double[cols]);
      api.elementLosses(cfg, xa, r * cols, 1, cols, za, r * cols, rowOut, 0);
      api.lossAndGradient(cfg, xa, r * cols, 1, cols, za, r * cols, rowGrad, 0);
      for (int j = 0; j < cols; j++) {
        int k = r * cols + j;
        assertEquals(api.bits(out, k), api.bits(rowOut, j), where + ": loss of element " + k + " (row " + r
            + ", block " + (r / LossSums.rowsPerBlock(cols)) + ") against its row alone");
        assertEquals(api.bits(grad, k), api.bits(rowGrad, j), where + ": gradient of element " + k + " (row " + r
            + ") against its row alone");
      }
    }

    // the sum of the element losses, exactly; the element losses carry a rounding each, and the scalar
    // fallback's double sum half an ulp per element more (Bounds.reducedBce)
    BigDecimal exact = BigDecimal.ZERO;
    double magnitude = 0;
    for (int k = 0; k < n; k++) {
      exact = exact.add(new BigDecimal(api.get(out, k)));
      magnitude += api.get(out, k);
    }
    double u = isFloat ? 0x1p-24 : 0x1p-53;
    double allowed = (Bounds.SCALAR && !isFloat ? 3 + n : 3) * u * magnitude;
    assertTrue(Math.abs(exact.doubleValue() - loss) <= allowed, where + ": loss " + loss
        + " against the sum of its element losses " + exact.doubleValue());

    // offsets, with sentinels around every range
    int xo = 3, zo = 5, oo = 2, go = 7;
    double fill = -12345.5;
    Object xs = api.embed(x, xo, fill), zs = api.embed(z, zo, fill);
    Object os = api.embed(new double[n], oo, fill), gs = api.embed(new double[n], go, fill);
    api.elementLosses(api.config, xs, xo, rows, cols, zs, zo, os, oo);
    double offsetLoss = api.lossAndGradient(api.config, xs, xo, rows, cols, zs, zo, gs, go);
    assertEquals(Double.doubleToRawLongBits(loss), Double.doubleToRawLongBits(offsetLoss), where + ": at offsets");
    for (int k = 0; k < api.length(os); k++) {
      long expect = k < oo || k >= oo + n ? api.bits(api.array(new double[] {fill}), 0) : api.bits(out, k - oo);
      assertEquals(expect, api.bits(os, k), where + ": element losses at offset " + oo + ", entry " + k);
    }
    for (int k = 0; k < api.length(gs); k++) {
      long expect = k < go || k >= go + n ? api.bits(api.array(new double[] {fill}), 0) : api.bits(grad, k - go);
      assertEquals(expect, api.bits(gs, k), where + ": gradient at offset " + go + ", entry " + k);
    }
  }

  /** The float and double overloads behind one face, so both dtypes run the same checks. */
  private static final class Api {
    final boolean isFloat;
    final double[] pw;
    final double[] w;
    final BinaryCrossEntropy config;

    Api(boolean isFloat, double[] pw, double[] w) {
      this.isFloat = isFloat;
      this.pw = pw;
      this.w = w;
      this.config = configure(pw, w);
    }

    BinaryCrossEntropy configure(double[] p, double[] weights) {
      BinaryCrossEntropy c = BinaryCrossEntropy.withLogits().reduction(Reduction.SUM);
      if (p != null) {
        c = isFloat ? c.posWeight(floats(p)) : c.posWeight(p);
      }
      if (weights != null) {
        c = isFloat ? c.weights(floats(weights)) : c.weights(weights);
      }
      return c;
    }

    BinaryCrossEntropy forRow(int r, int cols) {
      return configure(pw, w == null ? null : java.util.Arrays.copyOfRange(w, r * cols, (r + 1) * cols));
    }

    Object array(double[] v) {
      return isFloat ? floats(v) : v.clone();
    }

    Object embed(double[] v, int offset, double fill) {
      double[] e = new double[offset + v.length + 4];
      java.util.Arrays.fill(e, fill);
      System.arraycopy(v, 0, e, offset, v.length);
      return array(e);
    }

    int length(Object a) {
      return isFloat ? ((float[]) a).length : ((double[]) a).length;
    }

    double get(Object a, int k) {
      return isFloat ? ((float[]) a)[k] : ((double[]) a)[k];
    }

    long bits(Object a, int k) {
      return isFloat ? Float.floatToRawIntBits(((float[]) a)[k]) : Double.doubleToRawLongBits(((double[]) a)[k]);
    }

    void elementLosses(BinaryCrossEntropy b, Object x, int xo, int rows, int cols, Object z, int zo, Object out, int oo) {
      if (isFloat) {
        b.elementLosses((float[]) x, xo, rows, cols, (float[]) z, zo, (float[]) out, oo);
      } else {
        b.elementLosses((double[]) x, xo, rows, cols, (double[]) z, zo, (double[]) out, oo);
      }
    }

    double lossAndGradient(BinaryCrossEntropy b, Object x, int xo, int rows, int cols, Object z, int zo, Object g, int go) {
      return isFloat ? b.lossAndGradient((float[]) x, xo, rows, cols, (float[]) z, zo, (float[]) g, go)
          : b.lossAndGradient((double[]) x, xo, rows, cols, (double[]) z, zo, (double[]) g, go);
    }

    double loss(BinaryCrossEntropy b, Object x, int xo, int rows, int cols, Object z, int zo) {
      return isFloat ? b.loss((float[]) x, xo, rows, cols, (float[]) z, zo)
          : b.loss((double[]) x, xo, rows, cols, (double[]) z, zo);
    }

    private static float[] floats(double[] v) {
      float[] f = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        f[i] = (float) v[i];
      }
      return f;
    }
  }
}
