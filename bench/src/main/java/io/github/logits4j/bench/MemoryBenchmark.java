package io.github.logits4j.bench;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import io.github.logits4j.CrossEntropy;
import io.github.logits4j.Logits;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * float32 softmax and sparse cross-entropy forward+gradient with the logits in a {@code float[]}, in a
 * native {@link MemorySegment} and in a direct {@link FloatBuffer} (ONNX Runtime's output form), and
 * log-softmax, log-sum-exp and argmax over a {@code float[]} and a native segment, one
 * thread ({@code -Dlogits4j.parallelism=single}). Runs only when named ({@code bench/run MemoryBenchmark}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// six warm-up seconds: the first three to five run float softmax on its scalar twin while the vector kernels
// compile (the cold start), and segment softmax copies through arrays until then
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dlogits4j.parallelism=single"})
public class MemoryBenchmark {
  @Param({"1024x1000", "16384x10"})
  public String shape;

  private int cols;
  private float[] x, y, grad;
  private int[] labels;
  private Arena arena;
  private MemorySegment xs, ys, gs, rowsSeg, classesSeg;
  private float[] rowsOut;
  private int[] classes;
  private FloatBuffer xb, yb, gb;
  private final CrossEntropy ce = CrossEntropy.sparse();

  @Setup
  public void setup() {
    int rows = Shapes.rows(shape);
    cols = Shapes.cols(shape);
    x = Shapes.floats(rows * cols, 1);
    y = new float[x.length];
    grad = new float[x.length];
    labels = new int[rows];
    SplittableRandom rnd = new SplittableRandom(2);
    for (int r = 0; r < rows; r++) {
      labels[r] = rnd.nextInt(cols);
    }
    arena = Arena.ofShared();
    xs = arena.allocate(4L * x.length, 64).copyFrom(MemorySegment.ofArray(x));
    ys = arena.allocate(4L * x.length, 64);
    gs = arena.allocate(4L * x.length, 64);
    rowsSeg = arena.allocate(4L * rows, 64);
    classesSeg = arena.allocate(4L * rows, 64);
    rowsOut = new float[rows];
    classes = new int[rows];
    xb = direct(x.length).put(x).flip();
    yb = direct(x.length);
    gb = direct(x.length);
  }

  private static FloatBuffer direct(int n) {
    return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  @TearDown(Level.Trial)
  public void close() {
    arena.close();
  }

  @Benchmark
  public float[] softmaxArray() {
    Logits.softmax(x, y, cols);
    return y;
  }

  @Benchmark
  public MemorySegment softmaxSegment() {
    Logits.softmax(JAVA_FLOAT, xs, ys, cols);
    return ys;
  }

  @Benchmark
  public FloatBuffer softmaxBuffer() {
    Logits.softmax(xb, yb, cols);
    return yb;
  }

  @Benchmark
  public float[] logSoftmaxArray() {
    Logits.logSoftmax(x, y, cols);
    return y;
  }

  @Benchmark
  public MemorySegment logSoftmaxSegment() {
    Logits.logSoftmax(JAVA_FLOAT, xs, ys, cols);
    return ys;
  }

  @Benchmark
  public float[] logSumExpArray() {
    Logits.logSumExp(x, cols, rowsOut);
    return rowsOut;
  }

  @Benchmark
  public MemorySegment logSumExpSegment() {
    Logits.logSumExp(JAVA_FLOAT, xs, cols, rowsSeg);
    return rowsSeg;
  }

  @Benchmark
  public int[] argmaxArray() {
    Logits.argmax(x, cols, classes);
    return classes;
  }

  @Benchmark
  public MemorySegment argmaxSegment() {
    Logits.argmax(JAVA_FLOAT, xs, cols, classesSeg);
    return classesSeg;
  }

  @Benchmark
  public double crossEntropyFwdBwdArray() {
    return ce.lossAndGradient(x, cols, labels, grad);
  }

  @Benchmark
  public double crossEntropyFwdBwdSegment() {
    return ce.lossAndGradient(JAVA_FLOAT, xs, cols, labels, gs);
  }

  @Benchmark
  public double crossEntropyFwdBwdBuffer() {
    return ce.lossAndGradient(xb, cols, labels, gb);
  }
}
