package io.github.logits4j.bench;

import io.github.logits4j.FastLogits;
import io.github.logits4j.Logits;
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
 * What the accuracy costs: each op of {@link Logits} (the default, accurate mode) beside the same op of
 * {@link FastLogits} (no compensations), in one run at the standard shapes. The report prints the
 * accurate time over the fast one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PrecisionModesBenchmark {
  @Param({"16384x4", "16384x10", "4096x128", "1024x1000", "64x32000", "8x128256"})
  public String shape;

  private int rows, cols;
  private float[] xf, yf, lf;
  private double[] xd, yd, ld;

  @Setup
  public void setup() {
    rows = Shapes.rows(shape);
    cols = Shapes.cols(shape);
    xf = Shapes.floats(rows * cols, 1);
    xd = Shapes.doubles(rows * cols, 1);
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
  public float[] softmaxF32Fast() {
    FastLogits.softmax(xf, yf, cols);
    return yf;
  }

  @Benchmark
  public float[] logSoftmaxF32Accurate() {
    Logits.logSoftmax(xf, yf, cols);
    return yf;
  }

  @Benchmark
  public float[] logSoftmaxF32Fast() {
    FastLogits.logSoftmax(xf, yf, cols);
    return yf;
  }

  @Benchmark
  public float[] logSumExpF32Accurate() {
    Logits.logSumExp(xf, cols, lf);
    return lf;
  }

  @Benchmark
  public float[] logSumExpF32Fast() {
    FastLogits.logSumExp(xf, cols, lf);
    return lf;
  }

  @Benchmark
  public double[] softmaxF64Accurate() {
    Logits.softmax(xd, yd, cols);
    return yd;
  }

  @Benchmark
  public double[] softmaxF64Fast() {
    FastLogits.softmax(xd, yd, cols);
    return yd;
  }

  @Benchmark
  public double[] logSoftmaxF64Accurate() {
    Logits.logSoftmax(xd, yd, cols);
    return yd;
  }

  @Benchmark
  public double[] logSoftmaxF64Fast() {
    FastLogits.logSoftmax(xd, yd, cols);
    return yd;
  }

  @Benchmark
  public double[] logSumExpF64Accurate() {
    Logits.logSumExp(xd, cols, ld);
    return ld;
  }

  @Benchmark
  public double[] logSumExpF64Fast() {
    FastLogits.logSumExp(xd, cols, ld);
    return ld;
  }
}
