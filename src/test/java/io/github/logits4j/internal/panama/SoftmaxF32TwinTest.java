package io.github.logits4j.internal.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.logits4j.gen.Batch;
import io.github.logits4j.gen.Batches;
import io.github.logits4j.gen.Regime;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The scalar twin of float softmax ({@link SoftmaxF32Twin}), which runs while the vector kernels are not
 * compiled, gives the bits of the vector kernel ({@link SoftmaxF32#softmaxRows}) at this width, in place
 * and out of place, at an offset: on batches of every regime and on the batches built to reach every branch
 * of the fused pass's decisions (guesses that do not fit, rows near the subnormal range, special values).
 * The test runs at 512, 256 and 128 bits with the rest of the suite.
 */
class SoftmaxF32TwinTest {

  @Property(tries = 400)
  void twinGivesTheKernelsBitsOnEveryRegime(@ForAll("floats") Batch batch) {
    check(batch.floats(), batch.rows(), batch.cols(), batch.toString());
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Batch> floats() {
    return Batches.batches(true, net.jqwik.api.Arbitraries.of(Regime.class));
  }

  @Property(tries = 200)
  void twinGivesTheKernelsBitsOnEveryBranch(@ForAll @IntRange(min = 1, max = 70) int cols,
      @ForAll @IntRange(min = 1, max = 40) int rows, @ForAll boolean misfits, @ForAll long seed) {
    check(SoftmaxRowBlocksTest.batch(rows, cols, seed, misfits), rows, cols, "seed " + seed);
  }

  /** Rows of a scoring job's widths, and long ones, with every kind of row after every other. */
  @Example
  void wideAndNarrowRowsOfEveryKind() {
    int[] widths = {1, 2, 3, 4, 7, 8, 9, 10, 15, 16, 17, 31, 32, 33, 100, 128, 1000, 4097};
    for (int cols : widths) {
      for (long seed = 0; seed < 6; seed++) {
        int rows = cols > 1000 ? 5 : 37;
        check(SoftmaxRowBlocksTest.batch(rows, cols, seed * 31 + cols, true), rows, cols, "seed " + seed);
        check(SoftmaxRowBlocksTest.batch(rows, cols, seed * 31 + cols, false), rows, cols, "seed " + seed);
      }
    }
  }

  /** The largest terms and sums the fused pass accepts, and the smallest: the edges of its exactness. */
  @Example
  void rowsAtTheEdgesOfTheFusedPass() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int cols : new int[] {16, 100, 1000}) {
      for (double level : new double[] {-4000, -150, -87, 0, 60, 87, 88, 4000, 4100}) {
        float[] x = new float[8 * cols];
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) (level - (i % 3 == 0 ? 0 : 90 * rnd.nextDouble()));
        }
        check(x, 8, cols, "level " + level);
      }
    }
  }

  private static void check(float[] x, int rows, int cols, String what) {
    int offset = 3;
    float[] in = new float[x.length + 2 * offset];
    System.arraycopy(x, 0, in, offset, x.length);
    float[] kernel = new float[in.length], twin = new float[in.length];
    SoftmaxF32.softmaxRows(in, offset, kernel, offset, rows, cols);
    SoftmaxF32Twin.softmaxRows(in, offset, twin, offset, rows, cols);
    float[] kernelInPlace = in.clone(), twinInPlace = in.clone();
    SoftmaxF32.softmaxRows(kernelInPlace, offset, kernelInPlace, offset, rows, cols);
    SoftmaxF32Twin.softmaxRows(twinInPlace, offset, twinInPlace, offset, rows, cols);
    for (int i = 0; i < in.length; i++) {
      String where = what + ", " + rows + "x" + cols + ", index " + i + " (input " + in[i] + ")";
      assertEquals(Float.floatToRawIntBits(kernel[i]), Float.floatToRawIntBits(twin[i]), "twin at " + where);
      assertEquals(Float.floatToRawIntBits(kernelInPlace[i]), Float.floatToRawIntBits(twinInPlace[i]),
          "twin in place at " + where);
    }
  }

  /** {@code awaitCompiled} returns, and the warm-up thread is gone when it has. */
  @Example
  void theWarmUpThreadEnds() throws InterruptedException {
    ColdStart.awaitCompiled();
    Thread.sleep(50);  // the thread counts down its latch just before it returns
    assertFalse(Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(ColdStart.THREAD) && t.isAlive()), "warm-up thread still alive");
  }
}
