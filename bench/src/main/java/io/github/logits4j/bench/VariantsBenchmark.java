package io.github.logits4j.bench;

import io.github.logits4j.internal.panama.Variants;
import io.github.logits4j.internal.panama.Variants.Variant;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
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
 * Every kernel variant of the library's registry ({@code Variants}), each forced over the whole batch, at
 * the standard shapes it serves (a shape whose width it does not serve fails its setup, and JMH goes on
 * with the next). The variant list below must be the registry's: the setup fails otherwise, so a new
 * variant cannot go unmeasured. Run on demand: {@code bench/run VariantsBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class VariantsBenchmark {
  @Param({
      "softmax.float32.row_blocks",
      "softmax.float32.fused",
      "softmax.float32.passes",
      "log_softmax.float32.row_blocks",
      "log_softmax.float32.rows",
      "log_softmax.float32.row_pairs",
      "log_softmax.float32.row_pairs_next_max",
      "log_sum_exp.float32.row_blocks",
      "log_sum_exp.float32.rows",
      "softmax.float64.row_blocks",
      "softmax.float64.rows",
      "softmax.float64.rows_next_max",
      "log_softmax.float64.row_blocks",
      "log_softmax.float64.rows",
      "log_softmax.float64.rows_next_max",
      "log_sum_exp.float64.row_blocks",
      "log_sum_exp.float64.rows",
      "log_sum_exp.float64.rows_next_max",
      "argmax.float32.row_blocks",
      "argmax.float32.lane_groups",
      "argmax.float32.max_tree",
      "argmax.float32.rows",
      "softmax_fast.float32.rows",
      "log_softmax_fast.float32.rows",
      "log_sum_exp_fast.float32.rows",
      "argmax.float64.row_blocks",
      "argmax.float64.lane_groups",
      "argmax.float64.max_tree",
      "argmax.float64.rows",
      "softmax_fast.float64.rows",
      "log_softmax_fast.float64.rows",
      "log_sum_exp_fast.float64.rows"})
  public String variant;

  @Param({"16384x4", "16384x10", "4096x128", "1024x1000", "64x32000", "8x128256"})
  public String shape;

  private Variant v;
  private int rows, cols;
  private Object x, out;

  /**
   * The registry's variants this benchmark's list leaves out (none, unless the list has fallen behind); the
   * list may name one that this machine's lane count leaves out of the registry.
   */
  static Set<String> unlisted() throws NoSuchFieldException {
    Set<String> registry = new TreeSet<>();
    Variants.all().forEach(r -> registry.add(r.name()));
    registry.removeAll(Arrays.asList(VariantsBenchmark.class.getField("variant").getAnnotation(Param.class).value()));
    return registry;
  }

  @Setup
  public void setup() throws NoSuchFieldException {
    Set<String> unlisted = unlisted();
    if (!unlisted.isEmpty()) {
      throw new IllegalStateException("VariantsBenchmark does not list the registry's " + unlisted);
    }
    v = Variants.named(variant);
    rows = Shapes.rows(shape);
    cols = Shapes.cols(shape);
    if (!v.serves(cols)) {
      throw new IllegalStateException(variant + " does not serve rows of " + cols);
    }
    boolean isFloat = v.dtype().equals("float32");
    x = isFloat ? Shapes.floats(rows * cols, 1) : Shapes.doubles(rows * cols, 1);
    int n = v.op().sameShape() ? rows * cols : rows;
    out = v.op() == Variants.Op.ARGMAX ? new int[n] : isFloat ? new float[n] : new double[n];
  }

  @Benchmark
  public Object run() {
    v.batch().run(x, 0, out, 0, rows, cols);
    return out;
  }
}
