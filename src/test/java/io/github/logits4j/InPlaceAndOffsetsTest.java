package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.logits4j.gen.Batch;
import io.github.logits4j.gen.Batches;
import io.github.logits4j.gen.Regime;
import java.util.Arrays;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** In-place calls and offset forms give exactly the results of the plain forms, and touch nothing else. */
class InPlaceAndOffsetsTest {

  @Property(tries = 100)
  void inPlaceEqualsOutOfPlace(@ForAll Regime regime, @ForAll @IntRange(min = 1, max = 70) int cols,
      @ForAll long seed) {
    Batch b = Batches.make(regime, 3, cols, seed, true);
    float[] x = b.floats();
    float[] y = new float[x.length];
    Logits.softmax(x, y, cols);
    float[] inPlace = x.clone();
    Logits.softmax(inPlace, inPlace, cols);
    assertArrayEquals(y, inPlace);
    Logits.logSoftmax(x, y, cols, 1.7f);
    inPlace = x.clone();
    Logits.logSoftmax(inPlace, inPlace, cols, 1.7f);
    assertArrayEquals(y, inPlace);
    double[] xd = Batches.make(regime, 3, cols, seed, false).values(), yd = new double[xd.length];
    Logits.logSoftmax(xd, yd, cols);
    double[] inPlaceD = xd.clone();
    Logits.logSoftmax(inPlaceD, 0, inPlaceD, 0, 3, cols);
    assertArrayEquals(yd, inPlaceD);
    Logits.softmax(xd, yd, cols);
    inPlaceD = xd.clone();
    Logits.softmax(inPlaceD, inPlaceD, cols);
    assertArrayEquals(yd, inPlaceD, "double softmax in place");
  }

  /**
   * Shrunk from the property above at 128 bits (SPREAD, 6 columns, seed -1): the fused pass checked the
   * spread of its vector part and of its scalar tail apart, so a row whose maximum and minimum fell on
   * either side was accepted out of place and rejected in place, and the two gave different bits. Here the
   * extremes sit at both ends of rows of every width around the lane counts, each way round.
   */
  @Example
  void inPlaceEqualsOutOfPlaceWhenTheExtremesAreInVectorAndTail() {
    for (int cols : new int[] {3, 5, 6, 7, 9, 10, 11, 17, 18, 19, 33, 34, 35}) {
      for (boolean maxFirst : new boolean[] {true, false}) {
        float[] x = new float[cols];
        for (int j = 0; j < cols; j++) {
          x[j] = -0.25f * j;
        }
        x[maxFirst ? cols - 1 : 0] = -86.6f;
        x[maxFirst ? 0 : cols - 1] = 0.5f;
        float[] y = new float[cols];
        Logits.softmax(x, y, cols);
        float[] inPlace = x.clone();
        Logits.softmax(inPlace, inPlace, cols);
        assertArrayEquals(y, inPlace, cols + " columns, maximum first " + maxFirst);
      }
    }
  }

  @Property(tries = 100)
  void offsetsSelectTheSameRows(@ForAll Regime regime, @ForAll @IntRange(min = 1, max = 70) int cols,
      @ForAll @IntRange(min = 0, max = 9) int xOffset, @ForAll @IntRange(min = 0, max = 9) int yOffset,
      @ForAll long seed) {
    Batch b = Batches.make(regime, 2, cols, seed, true);
    float[] rows = b.floats();
    float[] x = new float[xOffset + rows.length + 3];
    Arrays.fill(x, 99f);
    System.arraycopy(rows, 0, x, xOffset, rows.length);
    float[] expected = new float[rows.length];
    Logits.softmax(rows, expected, cols);
    float[] y = new float[yOffset + rows.length + 5];
    Arrays.fill(y, -7f);
    Logits.softmax(x, xOffset, y, yOffset, 2, cols);
    assertArrayEquals(expected, Arrays.copyOfRange(y, yOffset, yOffset + rows.length));
    for (int i = 0; i < y.length; i++) {
      if (i < yOffset || i >= yOffset + rows.length) {
        assertEquals(-7f, y[i], "wrote outside the output rows at " + i);
      }
    }
    float[] lse = new float[2], lseOff = new float[yOffset + 2];
    Logits.logSumExp(rows, cols, lse);
    Logits.logSumExp(x, xOffset, lseOff, yOffset, 2, cols);
    assertArrayEquals(lse, Arrays.copyOfRange(lseOff, yOffset, yOffset + 2));
    int[] idx = new int[2 * Math.min(3, cols)], idxOff = new int[yOffset + idx.length];
    float[] val = new float[idx.length], valOff = new float[yOffset + idx.length];
    int k = Math.min(3, cols);
    Logits.topK(rows, cols, k, idx, val);
    Logits.topK(x, xOffset, 2, cols, k, idxOff, yOffset, valOff, yOffset);
    assertArrayEquals(idx, Arrays.copyOfRange(idxOff, yOffset, yOffset + idx.length));
  }
}
