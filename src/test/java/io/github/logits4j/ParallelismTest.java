package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.internal.parallel.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every op gives the same bits on one thread and split into 2, 3 or 7 parts, reductions over many rows
 * included; the threshold, the scope and the default behave as {@link Parallelism} documents.
 */
class ParallelismTest {
  private static ExecutorService pool;

  @BeforeAll
  static void start() {
    pool = Executors.newFixedThreadPool(7);
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
  }

  /** Shapes: narrow rows over many loss blocks, middling rows, long rows. */
  private static final int[][] SHAPES = {{100003, 3}, {5000, 10}, {300, 257}, {70, 1000}};

  @Test
  void everyOpIsBitIdenticalAtAnyNumberOfParts() {
    for (int[] shape : SHAPES) {
      int rows = shape[0], cols = shape[1];
      List<Supplier<Object>> ops = ops(rows, cols, 17 + rows);
      for (int i = 0; i < ops.size(); i++) {
        Supplier<Object> op = ops.get(i);
        Object single = Parallelism.singleThread().call(op);
        for (int parts : new int[] {1, 2, 3, 7}) {
          Object split = Parallelism.on(pool, parts).threshold(0).call(op);
          assertTrue(sameBits(single, split), "op " + i + " at " + rows + "x" + cols + ", " + parts + " parts");
        }
        Object automatic = Parallelism.automatic().threshold(0).call(op);
        assertTrue(sameBits(single, automatic), "op " + i + " at " + rows + "x" + cols + ", automatic");
      }
    }
  }

  @Test
  void aBatchAtTheThresholdIsSplitAndASmallerOneIsNot() {
    AtomicInteger submitted = new AtomicInteger();
    Parallelism counting = Parallelism.on(r -> {
      submitted.incrementAndGet();
      pool.execute(r);
    }, 2);
    int cols = 1000;
    int rows = (int) (Parallelism.DEFAULT_THRESHOLD / cols) + 1;  // 131 rows: just above the threshold
    // log-softmax: float softmax keeps to the calling thread while a cold JVM runs its scalar twin
    float[] big = new float[rows * cols];
    counting.run(() -> Logits.logSoftmax(big, new float[big.length], cols));
    assertEquals(1, submitted.get(), "one task for the second part");
    float[] small = new float[(rows - 2) * cols];  // 130,000 elements, under 131,072
    counting.run(() -> Logits.logSoftmax(small, new float[small.length], cols));
    assertEquals(1, submitted.get(), "no task below the threshold");
  }

  @Test
  void callsBelowTheThresholdAllocateNothing() {
    // at 128 bits on x86 the JDK runs many vector operations through boxing fallbacks (see AllocationTest)
    org.junit.jupiter.api.Assumptions.assumeFalse(Logits.implementation().equals("panama-128"));
    var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    int cols = 1000;
    float[] x = floats(64 * cols, 5), y = new float[x.length];
    int[] labels = new int[64];
    CrossEntropy ce = CrossEntropy.sparse();
    for (int i = 0; i < 2000; i++) {
      Logits.softmax(x, y, cols);
      ce.lossAndGradient(x, cols, labels, y);
    }
    // the fewest bytes of several rounds, each op apart: a round during which the JIT recompiles a kernel
    // may allocate
    long softmaxBytes = Long.MAX_VALUE, lossBytes = Long.MAX_VALUE;
    for (int round = 0; round < 10 && (softmaxBytes >= 1000 || lossBytes >= 1000); round++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 1000; i++) {
        Logits.softmax(x, y, cols);
      }
      long between = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 1000; i++) {
        ce.lossAndGradient(x, cols, labels, y);
      }
      softmaxBytes = Math.min(softmaxBytes, between - before);
      lossBytes = Math.min(lossBytes, threads.getCurrentThreadAllocatedBytes() - between);
    }
    assertTrue(softmaxBytes < 1000, "1000 softmax calls under the threshold allocated " + softmaxBytes + " bytes");
    assertTrue(lossBytes < 1000, "1000 cross-entropy calls under the threshold allocated " + lossBytes + " bytes");
    float[] big = floats(200 * cols, 6), bigY = new float[big.length];
    Parallelism two = Parallelism.on(pool, 2);
    long perCall = Long.MAX_VALUE;
    for (int round = 0; round < 20 && perCall >= 1000; round++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 50; i++) {
        two.run(() -> Logits.logSoftmax(big, bigY, cols));  // split even while float softmax runs its twin
      }
      perCall = Math.min(perCall, (threads.getCurrentThreadAllocatedBytes() - before) / 50);
    }
    assertTrue(perCall < 1000, "a split call allocated " + perCall + " bytes");
  }

  @Test
  void theCallingThreadRunsWhatAnExecutorRejects() {
    Parallelism rejecting = Parallelism.on(r -> {
      throw new RejectedExecutionException("full");
    }, 4).threshold(0);
    float[] x = floats(5000 * 10, 3);
    float[] expected = new float[x.length], y = new float[x.length];
    // log-softmax, which always splits here (float softmax keeps to its thread while a cold JVM runs its twin)
    Logits.logSoftmax(x, expected, 10);
    rejecting.run(() -> Logits.logSoftmax(x, y, 10));
    assertArrayEquals(expected, y);
    // an executor that never runs its tasks cannot block a call either
    List<Runnable> parked = new ArrayList<>();
    Parallelism.on(parked::add, 3).threshold(0).run(() -> Logits.logSoftmax(x, y, 10));
    assertArrayEquals(expected, y);
    assertEquals(2, parked.size());
  }

  @Test
  void theScopeHoldsForItsCallsOnly() {
    Parallelism p = Parallelism.on(pool, 5);
    assertSame(Parallelism.automatic(), Parallelism.current());
    p.run(() -> {
      assertEquals(5, Parallelism.current().parts());
      Parallelism.singleThread().run(() -> assertEquals(1, Parallelism.current().parts()));
      assertEquals(5, Parallelism.current().parts());
    });
    assertEquals(Runtime.getRuntime().availableProcessors(), Parallelism.current().parts());
    assertEquals(131072, Parallelism.DEFAULT_THRESHOLD);
    assertEquals(Parallelism.DEFAULT_THRESHOLD, Parallelism.automatic().threshold());
    assertEquals(Parallelism.DEFAULT_THRESHOLD, p.threshold());
    assertEquals(1, Parallelism.singleThread().parts());
  }

  @Test
  void thePropertySingleKeepsCallsOnTheirThread() {
    assertSame(Split.SINGLE, Split.defaultSplit("single"));
    assertSame(Split.AUTOMATIC, Split.defaultSplit(null));
    assertSame(Split.AUTOMATIC, Split.defaultSplit("automatic"));
    assertEquals(1, Split.SINGLE.partsFor(1L << 40, 1L << 30, 64));
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Parallelism.on(pool, 0));
    assertThrows(NullPointerException.class, () -> Parallelism.on(null, 2));
    assertThrows(IllegalArgumentException.class, () -> Parallelism.automatic().threshold(-1));
    assertThrows(NullPointerException.class, () -> Parallelism.automatic().run(null));
  }

  // ------------------------------------------------------------------------------------------------ ops

  /** Every op of the API on one batch, each returning its outputs (and loss) for a bit comparison. */
  private static List<Supplier<Object>> ops(int rows, int cols, long seed) {
    float[] x = floats(rows * cols, seed);
    double[] xd = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      xd[i] = x[i] + x[(i + 1) % x.length] * 1e-9;
    }
    int[] labels = new int[rows];
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int r = 0; r < rows; r++) {
      labels[r] = r % 17 == 0 ? -100 : rnd.nextInt(cols);
    }
    float[] targets = new float[x.length];
    double[] targetsD = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      targets[i] = (float) rnd.nextDouble();
      targetsD[i] = targets[i];
    }
    float[] classWeights = new float[cols];
    double[] classWeightsD = new double[cols];
    for (int c = 0; c < cols; c++) {
      classWeights[c] = 0.5f + c % 3;
      classWeightsD[c] = classWeights[c];
    }
    int k = Math.min(3, cols);
    List<Supplier<Object>> ops = new ArrayList<>();
    ops.add(() -> { float[] y = new float[x.length]; Logits.softmax(x, y, cols); return y; });
    ops.add(() -> { double[] y = new double[x.length]; Logits.softmax(xd, y, cols, 1.5); return y; });
    ops.add(() -> { float[] y = x.clone(); Logits.logSoftmax(y, y, cols); return y; });
    ops.add(() -> { double[] y = new double[x.length]; Logits.logSoftmax(xd, y, cols); return y; });
    ops.add(() -> { float[] y = new float[rows]; Logits.logSumExp(x, cols, y); return y; });
    ops.add(() -> { double[] y = new double[rows]; Logits.logSumExp(xd, cols, y); return y; });
    ops.add(() -> { float[] y = new float[x.length]; FastLogits.softmax(x, y, cols); return y; });
    ops.add(() -> { double[] y = new double[x.length]; FastLogits.logSoftmax(xd, y, cols); return y; });
    ops.add(() -> { float[] y = new float[rows]; FastLogits.logSumExp(x, cols, y); return y; });
    ops.add(() -> { int[] y = new int[rows]; Logits.argmax(x, cols, y); return y; });
    ops.add(() -> { int[] y = new int[rows]; Logits.argmax(xd, cols, y); return y; });
    ops.add(() -> {
      int[] i = new int[rows * k];
      float[] v = new float[rows * k];
      Logits.topK(x, cols, k, i, v);
      return new Object[] {i, v};
    });
    ops.add(() -> { float[] y = new float[x.length]; Logits.sigmoid(x, y); return y; });
    ops.add(() -> { double[] y = new double[x.length]; Logits.logSigmoid(xd, y); return y; });
    for (Reduction red : Reduction.values()) {
      CrossEntropy ce = CrossEntropy.sparse().labelSmoothing(0.1).reduction(red).classWeights(classWeights);
      CrossEntropy ced = CrossEntropy.sparse().reduction(red).classWeights(classWeightsD);
      CrossEntropy dense = CrossEntropy.dense().reduction(red);
      BinaryCrossEntropy bce = BinaryCrossEntropy.withLogits().reduction(red);
      ops.add(() -> {
        float[] g = new float[x.length];
        return new Object[] {ce.lossAndGradient(x, cols, labels, g), g, ce.loss(x, cols, labels)};
      });
      ops.add(() -> {
        double[] g = new double[x.length];
        return new Object[] {ced.lossAndGradient(xd, cols, labels, g), g};
      });
      ops.add(() -> {
        float[] g = new float[x.length];
        return new Object[] {dense.lossAndGradient(x, cols, targets, g), g};
      });
      ops.add(() -> {
        double[] g = new double[x.length];
        return new Object[] {bce.lossAndGradient(xd, cols, targetsD, g), g};
      });
      // with posWeight, which narrow rows' blocks repeat over their rows in each thread's scratch
      BinaryCrossEntropy bcePw = bce.posWeight(classWeights), bcePwD = bce.posWeight(classWeightsD);
      ops.add(() -> {
        float[] g = new float[x.length];
        return new Object[] {bcePw.lossAndGradient(x, cols, targets, g), g};
      });
      ops.add(() -> {
        double[] g = new double[x.length];
        return new Object[] {bcePwD.lossAndGradient(xd, cols, targetsD, g), g};
      });
    }
    ops.add(() -> { float[] out = new float[rows]; CrossEntropy.sparse().rowLosses(x, cols, labels, out); return out; });
    ops.add(() -> {
      float[] out = new float[x.length];
      BinaryCrossEntropy.withLogits().elementLosses(x, cols, targets, out);
      return out;
    });
    return ops;
  }

  static float[] floats(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) ((rnd.nextDouble() - 0.5) * 16);
    }
    return x;
  }

  /** Bit equality of results: arrays element by element, doubles by their raw bits. */
  static boolean sameBits(Object a, Object b) {
    return switch (a) {
      case float[] f -> b instanceof float[] g && java.util.Arrays.equals(f, g);
      case double[] d -> b instanceof double[] e && java.util.Arrays.equals(d, e);
      case int[] i -> b instanceof int[] j && java.util.Arrays.equals(i, j);
      case Double d -> b instanceof Double e && Double.doubleToRawLongBits(d) == Double.doubleToRawLongBits(e);
      case Object[] o -> {
        if (!(b instanceof Object[] p) || o.length != p.length) {
          yield false;
        }
        for (int i = 0; i < o.length; i++) {
          if (!sameBits(o[i], p[i])) {
            yield false;
          }
        }
        yield true;
      }
      default -> a.equals(b);
    };
  }
}
