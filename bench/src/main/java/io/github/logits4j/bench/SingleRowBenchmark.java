package io.github.logits4j.bench;

import io.github.logits4j.Logits;
import io.github.logits4j.internal.reference.ScalarReference;
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
 * A batch of one float32 row, as a service scoring one request calls it: ns per call through the public API
 * and through the scalar reference. The target is a 4-column row no slower than the reference. Runs only
 * when named ({@code bench/run SingleRowBenchmark}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SingleRowBenchmark {
  @Param({"4", "10"})
  public int cols;

  private float[] x, y;

  @Setup
  public void setup() {
    x = Shapes.floats(cols, 1);
    y = new float[cols];
  }

  @Benchmark
  public float[] softmax() {
    Logits.softmax(x, y, cols);
    return y;
  }

  @Benchmark
  public float[] softmaxScalar() {
    ScalarReference.INSTANCE.softmax(x, 0, y, 0, 1, cols, 1f);
    return y;
  }

  @Benchmark
  public float[] logSoftmax() {
    Logits.logSoftmax(x, y, cols);
    return y;
  }

  @Benchmark
  public float[] logSoftmaxScalar() {
    ScalarReference.INSTANCE.logSoftmax(x, 0, y, 0, 1, cols, 1f);
    return y;
  }
}
