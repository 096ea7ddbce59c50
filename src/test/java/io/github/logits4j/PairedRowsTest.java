package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.logits4j.gen.Batch;
import io.github.logits4j.gen.Batches;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Float rows of 16 entries or more whose steps the kernels interleave two rows at a time (float
 * log-softmax, float cross-entropy's loss): every row must come out with the bits it has alone (a one-row
 * call takes the one-row path), whatever its partner is: an ordinary row, a tied or confident one, a row
 * with a NaN or +inf, an all -inf row, an ignored label. Odd row counts leave a last row to the one-row
 * path; offsets and sentinels around the output catch a row written to its partner's place.
 */
class PairedRowsTest {

  @Provide
  Arbitrary<Batch> wideFloatBatches() {
    return Combinators.combine(Arbitraries.integers().between(1, 9), Arbitraries.integers().between(16, 70),
        Arbitraries.longs()).as((rows, cols, seed) -> Batches.mixed(rows, cols, seed, true, Double.NEGATIVE_INFINITY,
            true));
  }

  @Property(tries = 300)
  void floatLogSoftmaxOfEachRowIsItsAlone(@ForAll("wideFloatBatches") Batch b) {
    float[] x = b.floats();
    int rows = b.rows(), cols = b.cols(), off = 3;
    float[] padded = new float[x.length + 2 * off];
    Arrays.fill(padded, -7f);
    float[] xPadded = new float[x.length + off];
    System.arraycopy(x, 0, xPadded, off, x.length);
    for (float temperature : new float[] {1f, 0.7f}) {
      Logits.logSoftmax(xPadded, off, padded, off, rows, cols, temperature);
      float[] inPlace = x.clone();
      Logits.logSoftmax(inPlace, 0, inPlace, 0, rows, cols, temperature);
      for (int r = 0; r < rows; r++) {
        float[] alone = new float[cols];
        Logits.logSoftmax(x, r * cols, alone, 0, 1, cols, temperature);
        for (int j = 0; j < cols; j++) {
          String where = "row " + r + " entry " + j + ", temperature " + temperature + ", " + b;
          assertEquals(Float.floatToIntBits(alone[j]), Float.floatToIntBits(padded[off + r * cols + j]), where);
          assertEquals(Float.floatToIntBits(alone[j]), Float.floatToIntBits(inPlace[r * cols + j]),
              "in place, " + where);
        }
      }
      for (int k = 0; k < off; k++) {
        assertEquals(-7f, padded[k], "sentinel before the output");
        assertEquals(-7f, padded[off + x.length + k], "sentinel after the output");
      }
    }
  }
}
