package io.github.logits4j.internal.panama;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which float softmax runs in a JVM whose C2 has not compiled the vector kernels yet.
 *
 * <p>Until C2 compiles it, Vector API code runs with every vector a boxed object, tens of times slower than
 * plain scalar code: in a fresh JVM the first float softmax over 1024x1000 took 50 times the scalar
 * reference's first call. So the first calls of float softmax (temperature 1, the op of a scoring job) run
 * {@link SoftmaxF32Twin}, scalar code with the vector kernel's bits at every row length, which the JIT
 * makes fast within milliseconds, while a daemon thread ({@value #THREAD}) drives the vector kernels to
 * compilation on small private batches, wide rows (the fused pass) and narrow ones (the block kernel):
 * each round times the vector kernel and the twin on the same rows, then sleeps as long as the round took
 * (so that the callers and the compiler threads keep most of the cores), and once the vector kernel has
 * taken less than half the twin's time on the wide rows, and less than the twin's on the narrow
 * ones, in five rounds in a row, every later call runs it.
 * After {@value #LIMIT_SECONDS} seconds without that the thread stops, and the faster of the two in its
 * last round stays (where the vector code never compiles well, the twin is the better code).
 * Which one runs never changes a bit of any result.
 *
 * <p>The thread starts once the twin has run {@value #START_AFTER} entries, or at {@link #awaitCompiled}.
 * {@code -D}{@value #PROPERTY}{@code =vector} runs the vector kernel from the first call and starts no
 * thread (the behaviour before this class).
 */
final class ColdStart {
  static final String PROPERTY = "logits4j.coldStart";
  static final String THREAD = "logits4j-warm-up";
  static final int LIMIT_SECONDS = 10;
  private static final int WIDE_ROWS = 16, WIDE = 1000;
  /**
   * The warm-up's narrow rows: 1024 rows of 5/8 of a vector (10 floats at 512 bits, 5 at 256, 2 at 128),
   * served by the block kernel, as many entries as a 16384x4 batch at 512 bits.
   */
  private static final int NARROW_ROWS = 1024, NARROW = Math.max(1, VectorBits.FLOAT_LANES * 5 / 8);

  private static final boolean TWIN = !"vector".equals(System.getProperty(PROPERTY));
  private static volatile boolean vectorReady = !TWIN;
  private static final AtomicBoolean STARTED = new AtomicBoolean();
  /** Entries the twin runs before the warm-up thread starts: four calls of 1024x1000. */
  static final long START_AFTER = 1L << 22;
  private static final AtomicLong TWIN_ELEMENTS = new AtomicLong();
  private static final CountDownLatch DONE = new CountDownLatch(TWIN ? 1 : 0);

  private ColdStart() {}

  /**
   * Whether a call should run the twin, at any row length: narrow rows too, whose block kernel
   * ({@link SoftmaxRowBlocks}) the warm-up thread compiles along with the wide rows' fused pass.
   */
  static boolean useTwin() {
    return !vectorReady;
  }

  /**
   * Called when a call of the twin over {@code elements} entries returns: starts the warm-up thread once
   * the twin has run {@value #START_AFTER} entries, enough for the JIT to have compiled it, so that the
   * thread and the compilation of the vector kernels do not compete with the twin's own compilation and
   * first calls for the cores (on 2 cores, started after the first call the thread made the next calls of
   * 1024x1000 take 8 to 18 ms instead of 5).
   */
  static void twinReturned(long elements) {
    if (TWIN_ELEMENTS.addAndGet(elements) >= START_AFTER) {
      start();
    }
  }

  /** Starts the warm-up thread if it has not started, and waits for it to finish. */
  static void awaitCompiled() throws InterruptedException {
    if (TWIN) {
      start();
      DONE.await();
    }
  }

  private static void start() {
    if (STARTED.compareAndSet(false, true)) {
      Thread t = new Thread(ColdStart::warmUp, THREAD);
      t.setDaemon(true);
      t.start();
    }
  }

  private static void warmUp() {
    try {
      float[] wide = sample(WIDE_ROWS * WIDE), narrow = sample(NARROW_ROWS * NARROW);
      float[] out = new float[Math.max(wide.length, narrow.length)];
      long start = System.nanoTime(), vector = 0, twin = 0, narrowVector = 0, narrowTwin = 0;
      int wins = 0;
      while (wins < 5 && System.nanoTime() - start < LIMIT_SECONDS * 1_000_000_000L) {
        long a = System.nanoTime();
        SoftmaxF32.softmaxRows(wide, 0, out, 0, WIDE_ROWS, WIDE);
        long b = System.nanoTime();
        SoftmaxF32Twin.softmaxRows(wide, 0, out, 0, WIDE_ROWS, WIDE);
        long c = System.nanoTime();
        SoftmaxF32.softmaxRows(narrow, 0, out, 0, NARROW_ROWS, NARROW);
        long d = System.nanoTime();
        SoftmaxF32Twin.softmaxRows(narrow, 0, out, 0, NARROW_ROWS, NARROW);
        long e = System.nanoTime();
        vector = b - a;
        twin = c - b;
        narrowVector = d - c;
        narrowTwin = e - d;
        // compiled, the vector kernel takes a tenth of the twin's time or less on wide rows, and on narrow
        // ones a third at 512 bits but only about half at 128 (2 floats a row); boxed, tens of times the
        // twin's: so twice as fast on wide rows, and faster on narrow ones
        wins = 2 * vector < twin && narrowVector < narrowTwin ? wins + 1 : 0;
        // rest as long as the round took: the callers' own calls, and the compiler threads, which do the
        // real work here, keep at least half of the cores this thread would take
        Thread.sleep(Math.max(1, (e - a) / 1_000_000));
      }
      vectorReady = vector + narrowVector < twin + narrowTwin;
    } catch (InterruptedException e) {
      // a daemon thread nobody interrupts; if it is, the twin stays
    } finally {
      DONE.countDown();
    }
  }

  /** Logits spread over about 16 units, with ties: the kernels' common branches. */
  private static float[] sample(int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (i * 7919 % 2003 - 1001) / 64f;
    }
    return x;
  }
}
