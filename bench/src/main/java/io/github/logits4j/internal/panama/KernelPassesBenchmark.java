package io.github.logits4j.internal.panama;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;
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
 * The passes of float softmax and log-softmax timed one by one, for profiling: the row maximum, the exp
 * pass that stores and sums, and the normalisation; log-softmax's exp pass below the maximum and its
 * output pass. Their sum is roughly the whole op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KernelPassesBenchmark {
  @Param({"4096x128", "1024x1000"})
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
    ThreadScratch scratch = ThreadScratch.get();
    for (int r = 0; r < rows; r++) {
      s += SoftmaxF32.expStoreFused(x, r * cols, y, r * cols, cols, 12, scratch);
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
      s += LogisticF32.bceRow(x, r * cols, cols, y, r * cols, null, null, 0, null, 0, null, 0, 1);
    }
    return s;
  }

  @Benchmark
  public double bceScalarJava() {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += LogisticF32.Scalar.bceUnweightedLane(x[i], y[i]);
    }
    return s;
  }

  /**
   * The library's float exponential and its store, and nothing else: no sum, no rounding errors, no range
   * tracking. The floor under any pass that stores the exponentials, for comparison with the fused pass.
   */
  @Benchmark
  public float[] expOnlyPass() {
    final VectorSpecies<Float> f = VectorWidth.FLOAT;
    final int lanes = f.length();
    final float magic = ExpF32.magic(12);
    final float[] k = ExpF32.CONSTANTS;
    final FloatVector vMagic = FloatVector.broadcast(f, magic), log2e = FloatVector.broadcast(f, k[ExpF32.K_LOG2E]),
        negLn2Hi = FloatVector.broadcast(f, k[ExpF32.K_NEG_LN2_HI]),
        negLn2Lo = FloatVector.broadcast(f, k[ExpF32.K_NEG_LN2_LO]),
        c2 = FloatVector.broadcast(f, k[ExpF32.K_C2]), c3 = FloatVector.broadcast(f, k[ExpF32.K_C3]);
    final IntVector h0 = ExpF32.hiPart(0), h1 = ExpF32.hiPart(1), h2 = ExpF32.hiPart(2), h3 = ExpF32.hiPart(3),
        l0 = ExpF32.loPart(0), l1 = ExpF32.loPart(1), l2 = ExpF32.loPart(2), l3 = ExpF32.loPart(3);
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      for (int i = 0; i <= cols - lanes; i += lanes) {
        FloatVector z = FloatVector.fromArray(f, x, o + i);
        FloatVector t = z.fma(log2e, vMagic);
        FloatVector kf = t.sub(vMagic);
        ExpF32.finish(t, kf.fma(negLn2Lo, kf.fma(negLn2Hi, z)), c2, c3, h0, h1, h2, h3, l0, l1, l2, l3)
            .intoArray(y, o + i);
      }
    }
    return y;
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
      s += SoftmaxF32.expSumBelow(x, r * cols, cols, 0f, 1f, 0f, ExpF32.magic(20), -ExpF32.CUTOFF, 14f, 1.0);
    }
    return s;
  }

  /** Log-softmax's exp pass without a temperature: the sum below the maximum, nothing stored. */
  @Benchmark
  public double expSumBelowUnscaledPass() {
    double s = 0;
    for (int r = 0; r < rows; r++) {
      s += SoftmaxF32.expSumBelowUnscaled(x, r * cols, cols, 0f, ExpF32.magic(20), -ExpF32.CUTOFF, 14f, 1.0);
    }
    return s;
  }

  /** Log-softmax's output pass without a temperature: {@code (x - m) - lambda} in double, rounded once. */
  @Benchmark
  public float[] logSoftmaxOutputPass() {
    for (int r = 0; r < rows; r++) {
      SoftmaxF32.logSoftmaxOutput(x, r * cols, y, r * cols, cols, 14f, 3.0);
    }
    return y;
  }

  /** The whole of log-softmax row by row: the maximum, the exp pass, {@code log1p} and the output pass. */
  @Benchmark
  public float[] logSoftmaxRows() {
    for (int r = 0; r < rows; r++) {
      SoftmaxF32.logSoftmax(x, r * cols, y, r * cols, cols, 1.0, 1f, 0f);
    }
    return y;
  }

  /** The whole of log-softmax two rows at a time, their steps interleaved, as the kernels take it. */
  @Benchmark
  public float[] logSoftmaxRowPairs() {
    for (int r = 0; r < rows; r += 2) {
      SoftmaxF32.logSoftmaxTwo(x, r * cols, (r + 1) * cols, y, r * cols, (r + 1) * cols, cols, 1.0, 1f, 0f);
    }
    return y;
  }
}
