package io.github.logits4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Logits rows in several value regimes, the same values as float and as double. */
final class TestData {
  static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.IntegerType, false)
      .add("xf", DataTypes.createArrayType(DataTypes.FloatType, false), true)
      .add("xd", DataTypes.createArrayType(DataTypes.DoubleType, false), true)
      .add("label", DataTypes.IntegerType, true);

  private TestData() {
  }

  /** Row {@code i}'s double logits (its float logits are these rounded), or null for a null row. */
  static double[] logits(int i, int cols, Random rnd) {
    double[] x = new double[cols];
    switch (i % 6) {
      case 0 -> { for (int j = 0; j < cols; j++) { x[j] = rnd.nextGaussian() * 3; } }
      case 1 -> { for (int j = 0; j < cols; j++) { x[j] = rnd.nextGaussian() * 40; } }
      case 2 -> { for (int j = 0; j < cols; j++) { x[j] = j == i % cols ? 30 + rnd.nextDouble() : rnd.nextGaussian(); } }
      case 3 -> { for (int j = 0; j < cols; j++) { x[j] = (j % 2 == 0) ? Double.NEGATIVE_INFINITY : rnd.nextGaussian(); } }
      case 4 -> { for (int j = 0; j < cols; j++) { x[j] = rnd.nextGaussian() * 1e30; } }
      default -> { for (int j = 0; j < cols; j++) { x[j] = Math.round(rnd.nextGaussian()); } } // ties
    }
    return x;
  }

  static float[] toFloat(double[] x) {
    float[] f = new float[x.length];
    for (int j = 0; j < x.length; j++) {
      f[j] = (float) x[j];
    }
    return f;
  }

  /** Rows with ids 0..n-1; every 97th has null logits, every 31st the ignore label -100. {@code cols > 1}. */
  static List<Row> rows(int n, int cols, long seed) {
    Random rnd = new Random(seed);
    List<Row> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int label = i % 31 == 5 ? -100 : rnd.nextInt(cols);
      if (i % 6 == 3 && label >= 0) {
        label |= 1; // not on a -inf entry: a finite loss, so the loss sums stay informative
        label = Math.min(label, cols % 2 == 0 ? cols - 1 : cols - 2);
      }
      if (i % 97 == 13) {
        out.add(RowFactory.create(i, null, null, label));
        continue;
      }
      double[] x = logits(i, cols, rnd);
      out.add(RowFactory.create(i, boxF(toFloat(x)), boxD(x), label));
    }
    return out;
  }

  static Float[] boxF(float[] x) {
    Float[] b = new Float[x.length];
    for (int j = 0; j < x.length; j++) {
      b[j] = x[j];
    }
    return b;
  }

  static Double[] boxD(double[] x) {
    return Arrays.stream(x).boxed().toArray(Double[]::new);
  }

  static float[] floats(List<?> l) {
    float[] f = new float[l.size()];
    for (int j = 0; j < f.length; j++) {
      f[j] = ((Number) l.get(j)).floatValue();
    }
    return f;
  }

  static double[] doubles(List<?> l) {
    double[] d = new double[l.size()];
    for (int j = 0; j < d.length; j++) {
      d[j] = ((Number) l.get(j)).doubleValue();
    }
    return d;
  }
}
