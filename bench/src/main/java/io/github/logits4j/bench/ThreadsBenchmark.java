package io.github.logits4j.bench;

import io.github.logits4j.CrossEntropy;
import io.github.logits4j.Logits;
import io.github.logits4j.Parallelism;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Large float32 batches on one thread and on two ({@link Parallelism#automatic()}'s common pool, the
 * calling thread taking one part): softmax at 16384x1000 and 1048576x10, and the fused cross-entropy
 * forward+gradient at 1048576x10. Runs only when named ({@code bench/run ThreadsBenchmark}).
 *
 * <p>{@link #streamScale} is the machine's own bound for these ops: STREAM's "scale" kernel ({@code y = s x},
 * a plain loop C2 vectorises) over the same arrays, so the same bytes read and written as softmax, split in
 * halves the same way. Where it gains less than 1.8x from a second thread, memory bandwidth, not the
 * kernels, caps the ops that stream these arrays.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ThreadsBenchmark {
  @Param({"16384x1000", "1048576x10"})
  public String shape;

  @Param({"1", "2"})
  public int threads;

  private int cols;
  private float[] x, y, grad;
  private int[] labels;
  private Parallelism parallelism;
  private final CrossEntropy ce = CrossEntropy.sparse();

  @Setup
  public void setup() {
    int rows = Shapes.rows(shape);
    cols = Shapes.cols(shape);
    x = Shapes.floats(rows * cols, 1);
    y = new float[x.length];
    grad = new float[x.length];
    SplittableRandom rnd = new SplittableRandom(2);
    labels = new int[rows];
    for (int r = 0; r < rows; r++) {
      labels[r] = rnd.nextInt(cols);
    }
    parallelism = threads == 1 ? Parallelism.singleThread() : Parallelism.on(ForkJoinPool.commonPool(), threads);
  }

  @Benchmark
  public float[] softmax() {
    parallelism.run(() -> Logits.softmax(x, y, cols));
    return y;
  }

  @Benchmark
  public float[] streamScale() throws Exception {
    if (threads == 1) {
      scale(0, x.length);
    } else {
      int half = x.length / 2;
      var other = ForkJoinPool.commonPool().submit(() -> scale(half, x.length));
      scale(0, half);
      other.get();
    }
    return y;
  }

  private void scale(int from, int to) {
    float[] in = x, out = y;
    for (int i = from; i < to; i++) {
      out[i] = 1.0001f * in[i];
    }
  }

  @Benchmark
  public double crossEntropyFwdBwd() {
    return parallelism.call(() -> ce.lossAndGradient(x, cols, labels, grad));
  }
}
