package io.github.logits4j.bench;

import io.github.logits4j.Logits;
import io.github.logits4j.reference.ScalarReference;
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
 * float64 activations: each op through the public API (the Vector API kernels) and through the scalar
 * reference, side by side in one class. One thread; the report divides by rows*cols.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DoubleActivationsBenchmark {
  @Param({"16384x4", "16384x10", "4096x128", "1024x1000", "64x32000", "8x128256"})
  public String shape;

  private int rows, cols;
  private double[] x, y, perRow;
  private int[] classes;

  @Setup
  public void setup() {
    rows = Shapes.rows(shape);
    cols = Shapes.cols(shape);
    x = Shapes.doubles(rows * cols, 1);
    y = new double[rows * cols];
    perRow = new double[rows];
    classes = new int[rows];
  }

  @Benchmark
  public double[] softmax() {
    Logits.softmax(x, y, cols);
    return y;
  }

  @Benchmark
  public double[] softmaxScalar() {
    ScalarReference.INSTANCE.softmax(x, 0, y, 0, rows, cols, 1.0);
    return y;
  }

  @Benchmark
  public double[] logSoftmax() {
    Logits.logSoftmax(x, y, cols);
    return y;
  }

  @Benchmark
  public double[] logSoftmaxScalar() {
    ScalarReference.INSTANCE.logSoftmax(x, 0, y, 0, rows, cols, 1.0);
    return y;
  }

  @Benchmark
  public double[] logSumExp() {
    Logits.logSumExp(x, cols, perRow);
    return perRow;
  }

  @Benchmark
  public double[] logSumExpScalar() {
    ScalarReference.INSTANCE.logSumExp(x, 0, perRow, 0, rows, cols);
    return perRow;
  }

  @Benchmark
  public int[] argmax() {
    Logits.argmax(x, cols, classes);
    return classes;
  }

  @Benchmark
  public int[] argmaxScalar() {
    ScalarReference.INSTANCE.argmax(x, 0, classes, 0, rows, cols);
    return classes;
  }
}
