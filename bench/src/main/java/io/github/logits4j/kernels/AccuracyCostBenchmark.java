package io.github.logits4j.kernels;

import io.github.logits4j.Logits;
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
 * What the accuracy costs: each accurate op of {@link Logits} (the library's default and only mode) beside
 * the same op without compensations ({@link Uncompensated}), in one run at the standard shapes. The report
 * prints the accurate time over the uncompensated one; a fast mode is warranted only above 1.15.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class AccuracyCostBenchmark {
  @Param({"16384x4", "16384x10", "4096x128", "1024x1000", "64x32000", "8x128256"})
  public String shape;

  private int rows, cols;
  private float[] xf, yf, lf;
  private double[] xd, yd, ld;

  @Setup
  public void setup() {
    rows = Integer.parseInt(shape.substring(0, shape.indexOf('x')));
    cols = Integer.parseInt(shape.substring(shape.indexOf('x') + 1));
    SplittableRandom rnd = new SplittableRandom(42);
    xf = new float[rows * cols];
    xd = new double[rows * cols];
    for (int i = 0; i < xf.length; i++) {
      xd[i] = rnd.nextGaussian() * 4;
      xf[i] = (float) xd[i];
    }
    yf = new float[xf.length];
    yd = new double[xd.length];
    lf = new float[rows];
    ld = new double[rows];
  }

  @Benchmark
  public float[] softmaxF32Accurate() {
    Logits.softmax(xf, yf, cols);
    return yf;
  }

  @Benchmark
  public float[] softmaxF32Uncompensated() {
    for (int r = 0; r < rows; r++) {
      Uncompensated.softmax(xf, r * cols, yf, r * cols, cols);
    }
    return yf;
  }

  @Benchmark
  public float[] logSoftmaxF32Accurate() {
    Logits.logSoftmax(xf, yf, cols);
    return yf;
  }

  @Benchmark
  public float[] logSoftmaxF32Uncompensated() {
    for (int r = 0; r < rows; r++) {
      Uncompensated.logSoftmax(xf, r * cols, yf, r * cols, cols);
    }
    return yf;
  }

  @Benchmark
  public float[] logSumExpF32Accurate() {
    Logits.logSumExp(xf, cols, lf);
    return lf;
  }

  @Benchmark
  public float[] logSumExpF32Uncompensated() {
    for (int r = 0; r < rows; r++) {
      lf[r] = Uncompensated.logSumExp(xf, r * cols, cols);
    }
    return lf;
  }

  @Benchmark
  public double[] softmaxF64Accurate() {
    Logits.softmax(xd, yd, cols);
    return yd;
  }

  @Benchmark
  public double[] softmaxF64Uncompensated() {
    for (int r = 0; r < rows; r++) {
      Uncompensated.softmax(xd, r * cols, yd, r * cols, cols);
    }
    return yd;
  }

  @Benchmark
  public double[] logSoftmaxF64Accurate() {
    Logits.logSoftmax(xd, yd, cols);
    return yd;
  }

  @Benchmark
  public double[] logSoftmaxF64Uncompensated() {
    for (int r = 0; r < rows; r++) {
      Uncompensated.logSoftmax(xd, r * cols, yd, r * cols, cols);
    }
    return yd;
  }

  @Benchmark
  public double[] logSumExpF64Accurate() {
    Logits.logSumExp(xd, cols, ld);
    return ld;
  }

  @Benchmark
  public double[] logSumExpF64Uncompensated() {
    for (int r = 0; r < rows; r++) {
      ld[r] = Uncompensated.logSumExp(xd, r * cols, cols);
    }
    return ld;
  }
}
