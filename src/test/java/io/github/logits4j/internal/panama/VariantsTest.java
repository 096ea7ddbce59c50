package io.github.logits4j.internal.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.logits4j.FastLogits;
import io.github.logits4j.Logits;
import io.github.logits4j.gen.Batch;
import io.github.logits4j.gen.Batches;
import io.github.logits4j.gen.Regime;
import io.github.logits4j.internal.panama.Variants.Op;
import io.github.logits4j.internal.panama.Variants.Variant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every kernel variant of {@link Variants}, on every width it serves (1 to 70 and some wider rows), in
 * every value regime, gives exactly the bits of the public API: whichever variant the dispatcher picks for
 * a shape, the result is the same. The batch has a row count that is no multiple of any lane count, so the
 * block variants also leave rows to their row kernels.
 */
class VariantsTest {
  private static final int ROWS = 37;
  private static final int[] WIDTHS = IntStream.concat(IntStream.rangeClosed(1, 70),
      IntStream.of(95, 128, 257, 1025)).toArray();

  @TestFactory
  Stream<DynamicTest> everyVariantGivesThePublicBits() {
    return Variants.all().stream().map(v -> DynamicTest.dynamicTest(v.name(), () -> check(v)));
  }

  private static void check(Variant v) {
    boolean isFloat = v.dtype().equals("float32");
    int widths = 0;
    for (int cols : WIDTHS) {
      if (!v.serves(cols)) {
        continue;
      }
      widths++;
      for (Regime regime : Regime.values()) {
        Batch b = Batches.make(regime, ROWS, cols, 31L * cols + regime.ordinal(), isFloat);
        Object x = isFloat ? b.floats() : b.values();
        Object expected = output(v.op(), isFloat, cols);
        Object got = output(v.op(), isFloat, cols);
        publicApi(v.op(), x, expected, cols);
        v.batch().run(x, 0, got, 0, ROWS, cols);
        int[] expectedBits = bits(expected), gotBits = bits(got);
        for (int i = 0; i < expectedBits.length; i++) {
          if (expectedBits[i] != gotBits[i]) {
            int per = v.op().sameShape() ? cols : 1;
            fail(v.name() + " differs from the public API at " + cols + " columns, " + regime + ", row " + i / per
                + " entry " + i % per + " (" + b + ")");
          }
        }
      }
    }
    assertTrue(widths > 0, v.name() + " serves none of the widths tested");
  }

  private static Object output(Op op, boolean isFloat, int cols) {
    int n = op.sameShape() ? ROWS * cols : ROWS;
    return op == Op.ARGMAX ? new int[n] : isFloat ? new float[n] : new double[n];
  }

  private static void publicApi(Op op, Object x, Object out, int cols) {
    if (x instanceof float[] f) {
      switch (op) {
        case SOFTMAX -> Logits.softmax(f, (float[]) out, cols);
        case LOG_SOFTMAX -> Logits.logSoftmax(f, (float[]) out, cols);
        case LOG_SUM_EXP -> Logits.logSumExp(f, cols, (float[]) out);
        case ARGMAX -> Logits.argmax(f, cols, (int[]) out);
        case SOFTMAX_FAST -> FastLogits.softmax(f, (float[]) out, cols);
        case LOG_SOFTMAX_FAST -> FastLogits.logSoftmax(f, (float[]) out, cols);
        case LOG_SUM_EXP_FAST -> FastLogits.logSumExp(f, cols, (float[]) out);
      }
    } else {
      double[] d = (double[]) x;
      switch (op) {
        case SOFTMAX -> Logits.softmax(d, (double[]) out, cols);
        case LOG_SOFTMAX -> Logits.logSoftmax(d, (double[]) out, cols);
        case LOG_SUM_EXP -> Logits.logSumExp(d, cols, (double[]) out);
        case ARGMAX -> Logits.argmax(d, cols, (int[]) out);
        case SOFTMAX_FAST -> FastLogits.softmax(d, (double[]) out, cols);
        case LOG_SOFTMAX_FAST -> FastLogits.logSoftmax(d, (double[]) out, cols);
        case LOG_SUM_EXP_FAST -> FastLogits.logSumExp(d, cols, (double[]) out);
      }
    }
  }

  /** The raw bits, as ints (a double's two halves folded), so that NaNs and signed zeros compare too. */
  private static int[] bits(Object a) {
    if (a instanceof int[] i) {
      return i;
    }
    if (a instanceof float[] f) {
      int[] out = new int[f.length];
      for (int i = 0; i < f.length; i++) {
        out[i] = Float.floatToRawIntBits(f[i]);
      }
      return out;
    }
    double[] d = (double[]) a;
    int[] out = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      long l = Double.doubleToRawLongBits(d[i]);
      out[i] = (int) (l ^ (l >>> 32)) ^ (int) (l >>> 61);
    }
    return out;
  }

  /** Names are unique, and every op has at least one variant in each dtype. */
  @Test
  void theRegistryCoversEveryOp() {
    Set<String> names = new HashSet<>();
    List<String> missing = new ArrayList<>();
    for (Variant v : Variants.all()) {
      assertTrue(names.add(v.name()), "duplicate " + v.name());
      assertEquals(v, Variants.named(v.name()));
    }
    for (Op op : Op.values()) {
      for (String dtype : new String[] {"float32", "float64"}) {
        if (Variants.all().stream().noneMatch(v -> v.op() == op && v.dtype().equals(dtype))) {
          missing.add(op + " " + dtype);
        }
      }
    }
    assertTrue(missing.isEmpty(), "ops without a variant: " + missing);
  }
}
