package io.github.logits4j;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.logits4j.internal.KernelProvider;
import io.github.logits4j.internal.parallel.SegmentKernels;
import io.github.logits4j.internal.spi.Kernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The overloads over {@link MemorySegment}s and NIO buffers give the array path's bits, for every kind of
 * memory, in place and not, on one thread and split; bad arguments throw before anything is written.
 */
class MemoryTest {
  private static final ExecutorService POOL = Executors.newFixedThreadPool(3);
  private static final int[][] SHAPES = {{37, 1000}, {3000, 10}, {3, 20000}, {1, 1}, {0, 7}};

  @AfterAll
  static void stop() {
    POOL.shutdownNow();
  }

  /** The kinds of memory a float batch may come in: each copies {@code x} in and returns the segment. */
  private static List<Function<float[], MemorySegment>> floatKinds(Arena arena) {
    List<Function<float[], MemorySegment>> kinds = new ArrayList<>();
    kinds.add(x -> arena.allocate(JAVA_FLOAT, Math.max(1, x.length)).asSlice(0, 4L * x.length)
        .copyFrom(MemorySegment.ofArray(x)));
    kinds.add(x -> MemorySegment.ofArray(x.clone()));                                // heap, over a float[]
    kinds.add(x -> {                                                                 // heap, at an offset
      float[] a = new float[x.length + 3];
      System.arraycopy(x, 0, a, 3, x.length);
      return MemorySegment.ofArray(a).asSlice(12);
    });
    kinds.add(x -> {                                                                 // heap over a long[]
      long[] a = new long[(x.length + 1) / 2];
      MemorySegment s = MemorySegment.ofArray(a).asSlice(0, 4L * x.length);
      return s.copyFrom(MemorySegment.ofArray(x));
    });
    return kinds;
  }

  @Test
  void segmentsGiveTheArrayBits() {
    for (Parallelism p : List.of(Parallelism.singleThread(), Parallelism.on(POOL, 3).threshold(0))) {
      try (Arena arena = Arena.ofShared()) {
        for (int[] shape : SHAPES) {
          int rows = shape[0], cols = shape[1];
          float[] x = ParallelismTest.floats(rows * cols, rows + 31L * cols);
          float[] sm = new float[x.length], ls = new float[x.length], lse = new float[rows];
          int[] am = new int[rows];
          Logits.softmax(x, sm, cols);
          Logits.logSoftmax(x, ls, cols);
          Logits.logSumExp(x, cols, lse);
          Logits.argmax(x, cols, am);
          for (Function<float[], MemorySegment> kind : floatKinds(arena)) {
            p.run(() -> {
              MemorySegment xs = kind.apply(x), y = kind.apply(new float[x.length]);
              Logits.softmax(JAVA_FLOAT, xs, y, cols);
              assertArrayEquals(sm, y.toArray(JAVA_FLOAT), "softmax " + rows + "x" + cols);
              Logits.logSoftmax(JAVA_FLOAT, xs.asReadOnly(), y, cols);
              assertArrayEquals(ls, y.toArray(JAVA_FLOAT), "logSoftmax");
              MemorySegment out = kind.apply(new float[rows]);
              Logits.logSumExp(JAVA_FLOAT, xs, cols, out);
              assertArrayEquals(lse, out.toArray(JAVA_FLOAT), "logSumExp");
              MemorySegment idx = arena.allocate(JAVA_INT, Math.max(1, rows));
              Logits.argmax(JAVA_FLOAT, xs, 0, idx, 0, rows, cols);
              assertArrayEquals(am, idx.asSlice(0, 4L * rows).toArray(JAVA_INT), "argmax");
              Logits.softmax(JAVA_FLOAT, xs, xs, cols);                              // in place
              assertArrayEquals(sm, xs.toArray(JAVA_FLOAT), "softmax in place");
            });
          }
        }
      }
    }
  }

  @Test
  void doubleSegmentsAndOffsetsGiveTheArrayBits() {
    int rows = 300, cols = 100;
    double[] x = new double[rows * cols];
    SplittableRandom rnd = new SplittableRandom(5);
    for (int i = 0; i < x.length; i++) {
      x[i] = (rnd.nextDouble() - 0.5) * 30;
    }
    double[] sm = new double[x.length], lse = new double[rows - 10];
    Logits.softmax(x, sm, cols);
    Logits.logSumExp(x, 10 * cols, lse, 0, rows - 10, cols);
    int[] am = new int[rows];
    Logits.argmax(x, cols, am);
    for (Parallelism p : List.of(Parallelism.singleThread(), Parallelism.on(POOL, 2).threshold(0))) {
      p.run(() -> {
        try (Arena arena = Arena.ofShared()) {
          MemorySegment xs = arena.allocate(JAVA_DOUBLE, x.length + 5);
          MemorySegment.copy(x, 0, xs, JAVA_DOUBLE, 5 * 8, x.length);
          MemorySegment y = arena.allocate(JAVA_DOUBLE, x.length + 2);
          Logits.softmax(JAVA_DOUBLE, xs, 5, y, 2, rows, cols);
          assertArrayEquals(sm, y.asSlice(16).toArray(JAVA_DOUBLE));
          MemorySegment out = arena.allocate(JAVA_DOUBLE, rows);
          Logits.logSumExp(JAVA_DOUBLE, xs, 5 + 10 * cols, out, 1, rows - 10, cols);
          assertArrayEquals(lse, out.asSlice(8, 8L * (rows - 10)).toArray(JAVA_DOUBLE));
          DoubleBuffer db = ByteBuffer.allocateDirect(8 * x.length).order(ByteOrder.nativeOrder()).asDoubleBuffer();
          db.put(x).flip();
          DoubleBuffer yb = DoubleBuffer.allocate(x.length);
          Logits.softmax(db, yb, cols);
          assertArrayEquals(sm, yb.array());
          assertEquals(0, db.position(), "positions do not move");
          IntBuffer ib = IntBuffer.allocate(rows);
          Logits.argmax(db.asReadOnlyBuffer(), cols, ib);
          assertArrayEquals(am, ib.array());
        }
      });
    }
  }

  @Test
  void buffersGiveTheArrayBits() {
    int rows = 500, cols = 33;
    float[] x = ParallelismTest.floats(rows * cols, 9);
    float[] sm = new float[x.length], lse = new float[rows];
    Logits.softmax(x, sm, cols);
    Logits.logSumExp(x, cols, lse);
    FloatBuffer direct = ByteBuffer.allocateDirect(4 * x.length + 8).order(ByteOrder.nativeOrder()).asFloatBuffer();
    direct.position(2);
    direct.put(x);
    direct.position(2);
    FloatBuffer heap = FloatBuffer.allocate(x.length + 1).position(1);
    Logits.softmax(direct, heap, cols);
    assertArrayEquals(sm, java.util.Arrays.copyOfRange(heap.array(), 1, x.length + 1));
    assertEquals(2, direct.position());
    FloatBuffer view = ByteBuffer.allocate(4 * x.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
    Logits.softmax(direct, view, cols);                                               // a heap view, no array
    float[] got = new float[x.length];
    view.get(0, got);
    assertArrayEquals(sm, got);
    FloatBuffer out = FloatBuffer.allocate(rows);
    Logits.logSumExp(direct.asReadOnlyBuffer(), cols, out);
    assertArrayEquals(lse, out.array());
    Logits.logSoftmax(direct, direct, cols);                                          // in place
    float[] ls = new float[x.length];
    Logits.logSoftmax(x, ls, cols);
    direct.get(2, got);
    assertArrayEquals(ls, got);
  }

  /**
   * The README's example: an ONNX Runtime output tensor, which {@code OnnxTensor.getFloatBuffer()} hands back
   * as a direct, native-order buffer over the runtime's memory, scored without a copy.
   */
  @Test
  void anOrtStyleOutputBufferIsScoredWithoutACopy() {
    int batch = 64, classes = 1000;
    float[] values = ParallelismTest.floats(batch * classes, 11);
    FloatBuffer logits = ByteBuffer.allocateDirect(4 * values.length).order(ByteOrder.nativeOrder()).asFloatBuffer()
        .put(values).flip();                          // shaped as ORT returns it: position 0, limit = batch*classes
    // README example starts
    FloatBuffer probs = ByteBuffer.allocateDirect(logits.remaining() * 4).order(ByteOrder.nativeOrder())
        .asFloatBuffer();
    Logits.softmax(logits, probs, classes);
    IntBuffer predicted = IntBuffer.allocate(logits.remaining() / classes);
    Logits.argmax(logits, classes, predicted);
    // README example ends
    float[] expected = new float[values.length];
    Logits.softmax(values, expected, classes);
    float[] got = new float[values.length];
    probs.get(0, got);
    assertArrayEquals(expected, got);
    int[] am = new int[batch];
    Logits.argmax(values, classes, am);
    assertArrayEquals(am, predicted.array());
  }

  @Test
  void sparseCrossEntropyOverSegmentsAndBuffersGivesTheArrayBits() {
    int[][] shapes = {{5000, 10}, {40, 1000}, {2, 20000}};
    for (int[] shape : shapes) {
      int rows = shape[0], cols = shape[1];
      float[] x = ParallelismTest.floats(rows * cols, 3L * rows);
      int[] labels = new int[rows];
      SplittableRandom rnd = new SplittableRandom(rows);
      for (int r = 0; r < rows; r++) {
        labels[r] = r % 7 == 3 ? -100 : rnd.nextInt(cols);
      }
      for (Reduction red : Reduction.values()) {
        CrossEntropy ce = CrossEntropy.sparse().labelSmoothing(0.05).reduction(red);
        float[] grad = new float[x.length], rowLoss = new float[rows];
        double loss = ce.lossAndGradient(x, cols, labels, grad);
        ce.rowLosses(x, cols, labels, rowLoss);
        for (Parallelism p : List.of(Parallelism.singleThread(), Parallelism.on(POOL, 3).threshold(0))) {
          p.run(() -> {
            try (Arena arena = Arena.ofShared()) {
              MemorySegment xs = arena.allocate(JAVA_FLOAT, x.length).copyFrom(MemorySegment.ofArray(x));
              MemorySegment g = arena.allocate(JAVA_FLOAT, x.length);
              assertEquals(loss, ce.lossAndGradient(JAVA_FLOAT, xs, cols, labels, g));
              assertArrayEquals(grad, g.toArray(JAVA_FLOAT));
              assertEquals(loss, ce.loss(JAVA_FLOAT, xs, cols, labels));
              MemorySegment out = arena.allocate(JAVA_FLOAT, rows);
              ce.rowLosses(JAVA_FLOAT, xs, cols, labels, out);
              assertArrayEquals(rowLoss, out.toArray(JAVA_FLOAT));
              FloatBuffer xb = xs.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
              FloatBuffer gb = FloatBuffer.allocate(x.length);
              assertEquals(loss, ce.lossAndGradient(xb, cols, labels, gb));
              assertArrayEquals(grad, gb.array());
              assertEquals(loss, ce.loss(xb, cols, labels));
              MemorySegment heapX = MemorySegment.ofArray(x.clone()), heapG = MemorySegment.ofArray(new float[x.length]);
              assertEquals(loss, ce.lossAndGradient(JAVA_FLOAT, heapX, cols, labels, heapG));  // the array path
              assertArrayEquals(grad, heapG.toArray(JAVA_FLOAT));
              FloatBuffer wrapped = FloatBuffer.wrap(x), wrappedOut = FloatBuffer.allocate(rows);
              ce.rowLosses(wrapped, cols, labels, wrappedOut);
              assertArrayEquals(rowLoss, wrappedOut.array());
            }
          });
        }
      }
    }
  }

  /**
   * Each block's loss sum comes from this call's rows: the block sums live in a per-thread array, so each
   * segment call here follows an array call over other logits, whose sums a block left unwritten would
   * keep. Rows of 256 entries and more go through the segments a row at a time, narrower ones a chunk at a
   * time; the shapes end in a part block.
   */
  @Test
  void segmentLossesSumEveryBlockOfTheirOwnRows() {
    int[][] shapes = {{40, 1000}, {37, 300}, {70, 256}, {1, 1000}, {3, 20000}, {300, 255}, {5000, 10}};
    for (int[] shape : shapes) {
      int rows = shape[0], cols = shape[1];
      float[] x = ParallelismTest.floats(rows * cols, 11L * rows + cols), other = ParallelismTest.floats(rows * cols, 5);
      int[] labels = new SplittableRandom(cols).ints(rows, 0, cols).toArray();
      for (Reduction red : Reduction.values()) {
        CrossEntropy ce = CrossEntropy.sparse().reduction(red);
        float[] grad = new float[x.length];
        double loss = ce.lossAndGradient(x, cols, labels, grad);
        try (Arena arena = Arena.ofConfined()) {
          MemorySegment xs = arena.allocate(JAVA_FLOAT, x.length).copyFrom(MemorySegment.ofArray(x));
          MemorySegment g = arena.allocate(JAVA_FLOAT, x.length);
          ce.lossAndGradient(other, cols, labels, new float[x.length]);
          assertEquals(loss, ce.lossAndGradient(JAVA_FLOAT, xs, cols, labels, g), rows + "x" + cols + " " + red);
          assertArrayEquals(grad, g.toArray(JAVA_FLOAT));
          ce.loss(other, cols, labels);
          assertEquals(loss, ce.loss(JAVA_FLOAT, xs, cols, labels), rows + "x" + cols + " " + red + " loss");
        }
      }
    }
  }

  /**
   * Over native segments, float log-softmax and log-sum-exp of rows of 16 entries or more, argmax of rows of
   * 0.4 of a vector or more (7 floats at 512 bits, 4 at 256, 2 at 128) and sparse cross-entropy with a gradient of rows of 256 entries or more go to the
   * vector kernels' segment methods, and none of them to an array method: no row is copied. Float softmax goes to its
   * segment method too (which hands back to the arrays while the cold start's twin runs). A recording proxy
   * stands between {@link SegmentKernels} and the kernels.
   */
  @Test
  void wideSegmentRowsRunInTheSegments() throws Exception {
    assumeTrue(Logits.implementation().startsWith("panama"), "the segment methods are the vector kernels'");
    Kernels inner = KernelProvider.unsplit();
    inner.awaitCompiled();
    List<String> called = new ArrayList<>();
    Kernels spy = (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(), new Class<?>[] {Kernels.class},
        (proxy, method, args) -> {
          boolean segment = args != null && args.length > 0 && args[0] instanceof MemorySegment;
          called.add(method.getName() + (segment ? " on segments" : ""));
          try {
            return method.invoke(inner, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    int rows = 9, cols = 300;
    float[] x = ParallelismTest.floats(rows * cols, 21);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment xs = arena.allocate(JAVA_FLOAT, x.length).copyFrom(MemorySegment.ofArray(x));
      MemorySegment ys = arena.allocate(JAVA_FLOAT, x.length);
      SegmentKernels.rowsF32(SegmentKernels.LOG_SOFTMAX, spy, spy, xs, 0, ys, 0, rows, cols);
      assertEquals(List.of("logSoftmax on segments"), called);
      called.clear();
      SegmentKernels.rowsF32(SegmentKernels.ARGMAX, spy, spy, xs, 0, ys, 0, rows, cols);
      assertEquals(List.of("argmax on segments"), called);
      called.clear();
      // narrow argmax from 0.4 of a vector (the tree of row maxima): 7 floats at 512 bits, 4 at 256, 2 at 128
      int narrowest = switch (Logits.implementation()) {
        case "panama-512" -> 7;
        case "panama-256" -> 4;
        default -> 2;
      };
      SegmentKernels.rowsF32(SegmentKernels.ARGMAX, spy, spy, xs, 0, ys, 0, 100, narrowest);
      assertEquals(List.of("argmax on segments"), called, narrowest + " columns");
      called.clear();
      SegmentKernels.rowsF32(SegmentKernels.ARGMAX, spy, spy, xs, 0, ys, 0, 100, narrowest - 1);
      assertEquals(List.of("argmax on segments", "argmax"), called, (narrowest - 1) + " columns: through arrays");
      called.clear();
      SegmentKernels.rowsF32(SegmentKernels.LOG_SUM_EXP, spy, spy, xs, 0, ys, 0, rows, cols);
      assertEquals(List.of("logSumExp on segments"), called);
      called.clear();
      SegmentKernels.rowsF32(SegmentKernels.SOFTMAX, spy, spy, xs, 0, ys, 0, rows, cols);
      assertEquals("softmax on segments", called.get(0));
      called.clear();
      int[] labels = new SplittableRandom(3).ints(rows, 0, cols).toArray();
      labels[4] = -100;
      SegmentKernels.crossEntropyF32(spy, xs, 0, rows, cols, labels, 0, -100, null, 0, ys, 0, 1.0, null, 0, 0,
          new double[2 * rows]);
      assertTrue(called.contains("crossEntropyRow on segments") && !called.contains("crossEntropy"), called::toString);
    }
  }

  /**
   * A gradient or row losses that share memory with the logits throw before anything is written: native
   * regions that overlap by one entry, and a writable heap segment over the array behind a read-only view
   * of the logits. Regions that only touch are accepted.
   */
  @Test
  void lossOutputsOverlappingTheLogitsThrow() {
    CrossEntropy ce = CrossEntropy.sparse();
    int rows = 4, cols = 300;
    int[] labels = {1, 2, 3, 4};
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment all = arena.allocate(JAVA_FLOAT, 3L * rows * cols);
      MemorySegment x = all.asSlice(0, 4L * rows * cols);
      MemorySegment before = all.asSlice(4L * rows * cols, 4L * rows * cols).copyFrom(x);
      MemorySegment g = all.asSlice(4L * (rows * cols - 1), 4L * rows * cols);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ce.lossAndGradient(JAVA_FLOAT, x, cols, labels, g));
      assertTrue(e.getMessage().contains("grad must not overlap the logits"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> ce.rowLosses(JAVA_FLOAT, x, cols, labels, all.asSlice(4L * (rows * cols - 2), 4L * rows)));
      assertTrue(e.getMessage().contains("out must not overlap the logits"), e.getMessage());
      assertArrayEquals(before.toArray(JAVA_FLOAT), x.toArray(JAVA_FLOAT), "the logits are untouched");
      MemorySegment touching = all.asSlice(4L * rows * cols, 4L * rows * cols);
      ce.lossAndGradient(JAVA_FLOAT, x, cols, labels, touching);
    }
    float[] shared = ParallelismTest.floats(rows * cols, 9);
    float[] copy = shared.clone();
    MemorySegment view = MemorySegment.ofArray(shared).asReadOnly();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ce.lossAndGradient(JAVA_FLOAT, view, cols, labels, MemorySegment.ofArray(shared)));
    assertTrue(e.getMessage().contains("grad must not overlap the logits"), e.getMessage());
    assertArrayEquals(copy, shared, "the logits are untouched");
  }

  /**
   * A read-only view hides its array, yet an output over the same array at another start is rejected
   * before anything is written (through chunks it was computed from inputs already overwritten); at the
   * same start it works in place.
   */
  @Test
  void anOutputOverlappingAReadOnlyViewOfTheInputThrows() {
    int rows = 200, cols = 300;  // more than one chunk
    float[] a = ParallelismTest.floats(rows * cols, 21);
    float[] before = a.clone();
    MemorySegment view = MemorySegment.ofArray(a).asReadOnly();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Logits.softmax(JAVA_FLOAT, view, 0, MemorySegment.ofArray(a).asSlice(4L * cols), 0, rows - 1, cols));
    assertTrue(e.getMessage().contains("overlaps"), e.getMessage());
    assertArrayEquals(before, a, "nothing written");
    float[] expected = new float[a.length];
    Logits.softmax(before, expected, cols);
    Logits.softmax(JAVA_FLOAT, view, MemorySegment.ofArray(a), cols);
    assertArrayEquals(expected, a, "in place through the view");
  }

  @Test
  void segmentsConfinedToOneThreadRunOnIt() {
    java.util.concurrent.atomic.AtomicInteger submitted = new java.util.concurrent.atomic.AtomicInteger();
    Parallelism counting = Parallelism.on(r -> {
      submitted.incrementAndGet();
      POOL.execute(r);
    }, 3).threshold(0);
    int rows = 2000, cols = 50;
    float[] x = ParallelismTest.floats(rows * cols, 8);
    float[] expected = new float[x.length];
    Logits.softmax(x, expected, cols);
    try (Arena confined = Arena.ofConfined(); Arena shared = Arena.ofShared()) {
      MemorySegment xs = confined.allocate(JAVA_FLOAT, x.length).copyFrom(MemorySegment.ofArray(x));
      MemorySegment y = confined.allocate(JAVA_FLOAT, x.length);
      counting.run(() -> Logits.softmax(JAVA_FLOAT, xs, y, cols));
      assertEquals(0, submitted.get(), "a confined segment stays on its thread");
      assertArrayEquals(expected, y.toArray(JAVA_FLOAT));
      MemorySegment xh = shared.allocate(JAVA_FLOAT, x.length).copyFrom(MemorySegment.ofArray(x));
      MemorySegment yh = shared.allocate(JAVA_FLOAT, x.length);
      counting.run(() -> Logits.softmax(JAVA_FLOAT, xh, yh, cols));
      assertEquals(2, submitted.get(), "a shared segment splits");
      assertArrayEquals(expected, yh.toArray(JAVA_FLOAT));
    }
  }

  @Test
  void badSegmentsThrowBeforeAnythingIsWritten() {
    try (Arena arena = Arena.ofConfined()) {
      int rows = 8, cols = 16;
      MemorySegment x = arena.allocate(JAVA_FLOAT, rows * cols);
      MemorySegment y = arena.allocate(JAVA_FLOAT, rows * cols + 1);
      y.fill((byte) 0x7f);
      byte[] before = y.toArray(ValueLayout.JAVA_BYTE);
      IllegalArgumentException e;
      e = assertThrows(IllegalArgumentException.class,
          () -> Logits.softmax(JAVA_FLOAT, x, 0, y, 2, rows, cols));
      assertTrue(e.getMessage().contains("y is too small"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> Logits.softmax(JAVA_FLOAT, x, 0, y.asSlice(1), 0, rows, cols));
      assertTrue(e.getMessage().contains("not aligned"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> Logits.softmax(JAVA_FLOAT, x, y.asReadOnly(), cols));
      assertTrue(e.getMessage().contains("read-only"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> Logits.softmax(JAVA_FLOAT, x, 0, x, 1, rows - 1, cols));
      assertTrue(e.getMessage().contains("overlaps"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> Logits.softmax(ValueLayout.JAVA_FLOAT.withOrder(ByteOrder.BIG_ENDIAN), x, y, cols));
      assertTrue(e.getMessage().contains("byte order"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> Logits.softmax(JAVA_FLOAT, x, y, 15));
      assertTrue(e.getMessage().contains("multiple of cols"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> Logits.argmax(JAVA_FLOAT, x, 0, y, 0, rows + 1, cols));
      assertThrows(IllegalArgumentException.class,
          () -> CrossEntropy.sparse().lossAndGradient(JAVA_FLOAT, x, cols, new int[rows], x));
      int[] badLabels = new int[rows];
      badLabels[5] = cols;
      e = assertThrows(IllegalArgumentException.class,
          () -> CrossEntropy.sparse().lossAndGradient(JAVA_FLOAT, x, cols, badLabels, y.asSlice(0, 4L * rows * cols)));
      assertTrue(e.getMessage().contains("labels[5]"), e.getMessage());
      assertArrayEquals(before, y.toArray(ValueLayout.JAVA_BYTE), "nothing written");
      FloatBuffer bigEndian = ByteBuffer.allocateDirect(4 * rows * cols).asFloatBuffer();
      e = assertThrows(IllegalArgumentException.class,
          () -> Logits.softmax(bigEndian, FloatBuffer.allocate(rows * cols), cols));
      assertTrue(e.getMessage().contains("byte order"), e.getMessage());
      FloatBuffer readOnly = FloatBuffer.allocate(rows * cols).asReadOnlyBuffer();
      assertThrows(IllegalArgumentException.class,
          () -> Logits.softmax(FloatBuffer.allocate(rows * cols), readOnly, cols));
    }
    MemorySegment closed;
    MemorySegment y;
    Arena arena = Arena.ofConfined();
    closed = arena.allocate(JAVA_FLOAT, 16);
    arena.close();
    y = MemorySegment.ofArray(new float[16]);
    IllegalStateException s = assertThrows(IllegalStateException.class, () -> Logits.softmax(JAVA_FLOAT, closed, y, 4));
    assertTrue(s.getMessage().contains("closed"), s.getMessage());
    assertThrows(IllegalStateException.class, () -> Logits.softmax(JAVA_FLOAT, y, closed, 4));
    assertArrayEquals(new float[16], y.toArray(JAVA_FLOAT));
  }
}
