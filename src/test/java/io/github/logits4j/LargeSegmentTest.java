package io.github.logits4j;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * One native matrix of more than 2^31 floats (8 GiB): long offsets and row counts reach every row. Skipped
 * when the machine has less than 12 GiB free, and at other widths than the preferred one (allocating and
 * zeroing 8 GiB takes most of its 30 s on the shared 2-core machine).
 */
class LargeSegmentTest {
  @Test
  void aMatrixBeyondTwoToThe31Elements() {
    long free = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getFreeMemorySize();
    assumeTrue(free > 12L << 30, "needs 12 GiB free, has " + (free >> 20) + " MiB");
    // once per suite run: at the preferred width (the kernels' own widths are tested everywhere else)
    assumeTrue(System.getProperty("logits4j.vectorBits") == null && !Logits.implementation().equals("scalar"));
    int cols = 1 << 20;
    long rows = 2049;                                      // 2^31 + 2^20 elements
    try (Arena arena = Arena.ofShared()) {
      MemorySegment x = arena.allocate(JAVA_FLOAT, rows * cols);   // zeros
      long last = (rows - 1) * cols;                        // the last row starts at element 2^31
      x.setAtIndex(JAVA_FLOAT, last + 5, 10f);
      x.setAtIndex(JAVA_FLOAT, 3L * cols + 7, 2f);
      MemorySegment lse = arena.allocate(JAVA_FLOAT, rows);
      MemorySegment idx = arena.allocate(JAVA_INT, rows);
      long t0 = System.nanoTime();
      Logits.argmax(JAVA_FLOAT, x, cols, idx);               // every row, reading all 8 GiB
      long t1 = System.nanoTime();
      Logits.logSumExp(JAVA_FLOAT, x, 2045L * cols, lse, 2045, 4, cols);  // the rows around 2^31
      Logits.logSumExp(JAVA_FLOAT, x, 3L * cols, lse, 3, 1, cols);
      System.out.printf("argmax over %d elements: %.0f ms%n", rows * cols, (t1 - t0) / 1e6);
      for (long r = 0; r < rows; r++) {
        int expectedIndex = r == rows - 1 ? 5 : r == 3 ? 7 : 0;
        double top = r == rows - 1 ? 10 : r == 3 ? 2 : 0;
        double expected = top == 0 ? Math.log(cols) : top + Math.log1p((cols - 1) * Math.exp(-top));
        assertEquals(expectedIndex, idx.getAtIndex(JAVA_INT, r), "argmax row " + r);
        if (r == 3 || r >= 2045) {
          assertEquals((float) expected, lse.getAtIndex(JAVA_FLOAT, r), Math.ulp((float) expected), "lse row " + r);
        }
      }
      // the last row again through an offset past 2^31, alone
      Logits.softmax(JAVA_FLOAT, x, last, x, last, 1, cols);
      double s = Math.exp(10) + (cols - 1);
      assertEquals((float) (Math.exp(10) / s), x.getAtIndex(JAVA_FLOAT, last + 5), 2 * Math.ulp((float) (Math.exp(10) / s)));
      assertEquals((float) (1 / s), x.getAtIndex(JAVA_FLOAT, last + cols - 1), 2 * Math.ulp((float) (1 / s)));
    }
  }
}
