package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.logits4j.gen.Batch;
import io.github.logits4j.gen.Batches;
import io.github.logits4j.internal.reference.ScalarReference;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * argmax and top-k against a definition written with a sort, on batches that also carry NaNs, infinities
 * and signed zeros.
 */
class ArgmaxTopKPropertiesTest {

  @Provide
  Arbitrary<Batch> batches() {
    // Sprinkle NaN, +-inf and -0.0 into the generated values: argmax and top-k must order them too.
    return Arbitraries.oneOf(Batches.floats(), Batches.doubles()).flatMap(b -> Arbitraries.longs().map(seed -> {
      java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
      double[] v = b.values().clone();
      int specials = rnd.nextInt(4);
      double[] pool = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0};
      for (int i = 0; i < specials * v.length / 16; i++) {
        v[rnd.nextInt(v.length)] = pool[rnd.nextInt(pool.length)];
      }
      return b.with(v);
    }));
  }

  @Provide
  Arbitrary<Integer> ks() {
    return Arbitraries.integers().between(1, 40);
  }

  /** The definition: rank by (NaN first, then value descending, then index ascending). */
  static Integer[] ranking(double[] row) {
    Integer[] order = IntStream.range(0, row.length).boxed().toArray(Integer[]::new);
    Comparator<Integer> byRank = Comparator.<Integer>comparingInt(j -> Double.isNaN(row[j]) ? 0 : 1)
        .thenComparing(j -> Double.isNaN(row[j]) ? 0.0 : -row[j] + 0.0, Double::compare)
        .thenComparingInt(j -> j);
    Arrays.sort(order, byRank);
    return order;
  }

  @Property
  void argmaxIsTheFirstOfTheRanking(@ForAll("batches") Batch b) {
    int[] out = Ops.argmax(b);
    for (int r = 0; r < b.rows(); r++) {
      assertEquals(ranking(b.row(r))[0], out[r], "row " + r + " of " + b);
    }
  }

  @Property
  void argmaxAgreesWithReference(@ForAll("batches") Batch b) {
    int[] out = Ops.argmax(b);
    int[] ref = new int[b.rows()];
    if (b.isFloat()) {
      ScalarReference.INSTANCE.argmax(b.floats(), 0, ref, 0, b.rows(), b.cols());
    } else {
      ScalarReference.INSTANCE.argmax(b.values(), 0, ref, 0, b.rows(), b.cols());
    }
    assertArrayEquals(ref, out, () -> b.toString());
  }

  @Property
  void topKIsThePrefixOfTheRanking(@ForAll("batches") Batch b, @ForAll("ks") int kWanted) {
    int k = Math.min(kWanted, b.cols());
    int[] indices = new int[b.rows() * k];
    double[] values = new double[b.rows() * k];
    if (b.isFloat()) {
      float[] fv = new float[values.length];
      float[] x = b.floats();
      Logits.topK(x, b.cols(), k, indices, fv);
      for (int i = 0; i < fv.length; i++) {
        int r = i / k;
        assertEquals(Float.floatToRawIntBits(x[r * b.cols() + indices[i]]), Float.floatToRawIntBits(fv[i]),
            "values must be the logits bit for bit in " + b);
        values[i] = fv[i];
      }
    } else {
      Logits.topK(b.values(), b.cols(), k, indices, values);
      for (int i = 0; i < values.length; i++) {
        int r = i / k;
        assertEquals(Double.doubleToRawLongBits(b.values()[r * b.cols() + indices[i]]),
            Double.doubleToRawLongBits(values[i]), "values must be the logits bit for bit in " + b);
      }
    }
    for (int r = 0; r < b.rows(); r++) {
      Integer[] expected = Arrays.copyOf(ranking(b.row(r)), k);
      int[] actual = Arrays.copyOfRange(indices, r * k, (r + 1) * k);
      assertArrayEquals(Arrays.stream(expected).mapToInt(Integer::intValue).toArray(), actual,
          "row " + r + " k=" + k + " of " + b);
    }
  }
}
