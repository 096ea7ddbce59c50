package io.github.logits4j.bench;

import io.github.logits4j.BinaryCrossEntropy;
import io.github.logits4j.CrossEntropy;
import io.github.logits4j.internal.reference.ScalarReference;
import io.github.logits4j.internal.spi.LossSums;
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
 * Losses from logits, mean-reduced like PyTorch's defaults: float32 sparse cross-entropy forward, forward
 * with gradient, and binary cross-entropy with logits, each beside the scalar reference, and float64 sparse
 * cross-entropy forward and forward with gradient on the same logits widened; binary cross-entropy with a
 * {@code posWeight} per column (uniform in [0.5, 3)), as multi-label training weighs its rare labels, in
 * both dtypes. Labels and targets are drawn as in {@code torch_bench.py}: uniform labels, targets uniform in
 * [0, 1).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LossesBenchmark {
  @Param({"16384x4", "16384x10", "4096x128", "1024x1000", "64x32000", "8x128256"})
  public String shape;

  private int rows, cols, blocks;
  private double[] partials;
  private float[] x, grad, targets;
  private double[] xd, gradD, targetsD;
  private int[] labels;
  private final CrossEntropy ce = CrossEntropy.sparse();
  private final BinaryCrossEntropy bce = BinaryCrossEntropy.withLogits();
  private BinaryCrossEntropy bcePw, bcePwD;

  @Setup
  public void setup() {
    rows = Shapes.rows(shape);
    cols = Shapes.cols(shape);
    x = Shapes.floats(rows * cols, 1);
    grad = new float[x.length];
    xd = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      xd[i] = x[i];
    }
    gradD = new double[x.length];
    blocks = LossSums.blocks(rows, cols);
    partials = new double[2 * blocks];
    SplittableRandom rnd = new SplittableRandom(2);
    labels = new int[rows];
    for (int r = 0; r < rows; r++) {
      labels[r] = rnd.nextInt(cols);
    }
    targets = new float[x.length];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = (float) rnd.nextDouble();
    }
    targetsD = new double[x.length];
    for (int i = 0; i < targets.length; i++) {
      targetsD[i] = targets[i];
    }
    float[] pw = new float[cols];
    double[] pwD = new double[cols];
    for (int j = 0; j < cols; j++) {
      pw[j] = (float) rnd.nextDouble(0.5, 3);
      pwD[j] = pw[j];
    }
    bcePw = bce.posWeight(pw);
    bcePwD = bce.posWeight(pwD);
  }

  @Benchmark
  public double crossEntropy() {
    return ce.loss(x, cols, labels);
  }

  @Benchmark
  public double crossEntropyScalar() {
    ScalarReference.INSTANCE.crossEntropy(x, 0, rows, cols, labels, 0, -100, null, 0, null, 0, null, 0, 1, null, 0,
        0, partials, 0);
    return LossSums.quotient(partials, 0, blocks, rows, 0);
  }

  @Benchmark
  public double crossEntropyFwdBwd() {
    return ce.lossAndGradient(x, cols, labels, grad);
  }

  @Benchmark
  public double crossEntropyFwdBwdScalar() {
    ScalarReference.INSTANCE.crossEntropy(x, 0, rows, cols, labels, 0, -100, null, 0, null, 0, grad, 0, 1.0 / rows,
        null, 0, 0, partials, 0);
    return LossSums.quotient(partials, 0, blocks, rows, 0);
  }

  /** float64 sparse cross-entropy forward, on the same logits widened. */
  @Benchmark
  public double crossEntropyF64() {
    return ce.loss(xd, cols, labels);
  }

  @Benchmark
  public double crossEntropyFwdBwdF64() {
    return ce.lossAndGradient(xd, cols, labels, gradD);
  }

  @Benchmark
  public double bceWithLogits() {
    return bce.loss(x, cols, targets);
  }

  @Benchmark
  public double bceWithLogitsFwdBwd() {
    return bce.lossAndGradient(x, cols, targets, grad);
  }

  @Benchmark
  public double bceWithLogitsF64() {
    return bce.loss(xd, cols, targetsD);
  }

  @Benchmark
  public double bceWithLogitsFwdBwdF64() {
    return bce.lossAndGradient(xd, cols, targetsD, gradD);
  }

  @Benchmark
  public double bcePosWeightFwdBwd() {
    return bcePw.lossAndGradient(x, cols, targets, grad);
  }

  @Benchmark
  public double bcePosWeightFwdBwdF64() {
    return bcePwD.lossAndGradient(xd, cols, targetsD, gradD);
  }

  @Benchmark
  public double bceWithLogitsScalar() {
    ScalarReference.INSTANCE.binaryCrossEntropy(x, 0, rows, cols, targets, 0, null, null, 0, null, 0, 1, null, 0, 0,
        partials, 0);
    return LossSums.quotient(partials, 0, blocks, x.length, 0);
  }
}
