package io.github.logits4j.kernels;

import java.util.SplittableRandom;
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
 * The passes of float softmax timed one by one, for profiling: the row maximum, the exp pass that stores
 * and sums, and the normalisation. Their sum is roughly the whole op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KernelPassesBenchmark {
  @Param({"1024x1000"})
  public String shape;

  private int rows, cols;
  private float[] x, y;

  @Setup
  public void setup() {
    rows = Integer.parseInt(shape.substring(0, shape.indexOf('x')));
    cols = Integer.parseInt(shape.substring(shape.indexOf('x') + 1));
    SplittableRandom rnd = new SplittableRandom(1);
    x = new float[rows * cols];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rnd.nextGaussian() * 4);
    }
    y = new float[x.length];
  }

  @Benchmark
  public float maxPass() {
    float s = 0;
    for (int r = 0; r < rows; r++) {
      s += RowMax.max(x, r * cols, cols);
    }
    return s;
  }

  @Benchmark
  public double expStoreFusedPass() {
    double s = 0;
    for (int r = 0; r < rows; r++) {
      s += SoftmaxF32.expStoreFused(x, r * cols, y, r * cols, cols, 12);
    }
    return s;
  }

  @Benchmark
  public double expStorePass() {
    double s = 0;
    for (int r = 0; r < rows; r++) {
      s += SoftmaxF32.expStore(x, r * cols, y, r * cols, cols, 0f, 1f, 0f, ExpF32.magic(20), Float.NEGATIVE_INFINITY);
    }
    return s;
  }

  @Benchmark
  public float[] softmaxThreePass() {
    for (int r = 0; r < rows; r++) {
      SoftmaxF32.softmax(x, r * cols, y, r * cols, cols);
    }
    return y;
  }

  @Benchmark
  public float[] softmaxFused() {
    SoftmaxF32.softmaxRows(x, 0, y, 0, rows, cols);
    return y;
  }

  @Benchmark
  public double bceKernel() {
    double s = 0;
    for (int r = 0; r < rows; r++) {
      s += BinaryCrossEntropyKernels.bceRow(x, r * cols, cols, y, r * cols, null, null, 0, null, 0, null, 0, 1);
    }
    return s;
  }

  @Benchmark
  public double bceScalarJava() {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += BinaryCrossEntropyKernels.Scalar.bce(x[i], y[i], 1, 1);
    }
    return s;
  }

  @Benchmark
  public float[] normalizePass() {
    for (int r = 0; r < rows; r++) {
      SoftmaxF32.normalize(y, r * cols, cols, 3.0);
    }
    return y;
  }

  @Benchmark
  public double expSumBelowPass() {
    double s = 0;
    for (int r = 0; r < rows; r++) {
      s += SoftmaxF32.expSumBelow(x, r * cols, cols, 0f, 1f, 0f, ExpF32.magic(20), -ExpF32.CUTOFF, 14f);
    }
    return s;
  }
}
