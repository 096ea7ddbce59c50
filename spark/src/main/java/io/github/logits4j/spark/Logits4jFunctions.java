package io.github.logits4j.spark;

import io.github.logits4j.CrossEntropy;
import io.github.logits4j.Logits;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.api.java.UDF5;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * SQL functions over logits4j's kernels, for {@code array<float>} and {@code array<double>} columns, usable
 * from SQL and from the DataFrame API ({@code functions.call_function("softmax", col("logits"))} or
 * {@code expr("softmax(logits)")}). Each function gives, row by row, exactly the bits the matching
 * {@link Logits} or {@link CrossEntropy} method gives on that row; a float array gives float results, a
 * double array double results. A null argument gives null.
 *
 * <ul>
 *   <li>{@code softmax(x)}, {@code log_softmax(x)}: an array of the same length;</li>
 *   <li>{@code logsumexp(x)}: a scalar;</li>
 *   <li>{@code argmax(x)}: an int, ties to the lowest index;</li>
 *   <li>{@code top_k(x, k)}: {@code array<struct<class:int, prob:T>>}, the {@code k} largest logits in
 *       descending order ({@link Logits#topK}) with their softmax probabilities;</li>
 *   <li>{@code cross_entropy(x, label [, label_smoothing [, ignore_index [, class_weights]]])}: the row's
 *       sparse cross-entropy ({@link CrossEntropy#rowLosses}); 0 for a row whose label is the ignore index
 *       (default -100); a label outside {@code [0, n)} that is not the ignore index is an error;</li>
 *   <li>{@code sigmoid(x)}: elementwise, on an array or on a float or double scalar.</li>
 * </ul>
 * An empty array, a null element or a bad {@code k} is an error naming the function and the value.
 */
public final class Logits4jFunctions {
  /** The names {@link #register} registers. */
  public static final List<String> NAMES =
      List.of("softmax", "log_softmax", "logsumexp", "argmax", "top_k", "cross_entropy", "sigmoid");

  private static final String IMPL = "logits4j_impl_";

  private Logits4jFunctions() {
  }

  /**
   * Registers the functions in {@link #NAMES} (and their typed implementations, named
   * {@code logits4j_impl_*}) as temporary functions of {@code spark}'s session. Idempotent.
   *
   * @param spark a classic (not Spark Connect) session
   * @throws NullPointerException if {@code spark} is null
   * @throws IllegalArgumentException if {@code spark} is not a classic session
   */
  public static void register(SparkSession spark) {
    Objects.requireNonNull(spark, "spark");
    if (!(spark instanceof org.apache.spark.sql.classic.SparkSession classic)) {
      throw new IllegalArgumentException("spark: a classic SparkSession is needed, was " + spark.getClass());
    }
    var udf = spark.udf();
    DataType f = DataTypes.FloatType;
    DataType d = DataTypes.DoubleType;
    DataType i = DataTypes.IntegerType;
    udf.register(IMPL + "softmax_f32", (UDF1<scala.collection.Seq<?>, float[]>) s -> {
      float[] x = floats("softmax", s);
      if (x == null) {
        return null;
      }
      Logits.softmax(x, x, x.length);
      return x;
    }, DataTypes.createArrayType(f, false));
    udf.register(IMPL + "softmax_f64", (UDF1<scala.collection.Seq<?>, double[]>) s -> {
      double[] x = doubles("softmax", s);
      if (x == null) {
        return null;
      }
      Logits.softmax(x, x, x.length);
      return x;
    }, DataTypes.createArrayType(d, false));
    udf.register(IMPL + "log_softmax_f32", (UDF1<scala.collection.Seq<?>, float[]>) s -> {
      float[] x = floats("log_softmax", s);
      if (x == null) {
        return null;
      }
      Logits.logSoftmax(x, x, x.length);
      return x;
    }, DataTypes.createArrayType(f, false));
    udf.register(IMPL + "log_softmax_f64", (UDF1<scala.collection.Seq<?>, double[]>) s -> {
      double[] x = doubles("log_softmax", s);
      if (x == null) {
        return null;
      }
      Logits.logSoftmax(x, x, x.length);
      return x;
    }, DataTypes.createArrayType(d, false));
    udf.register(IMPL + "logsumexp_f32", (UDF1<scala.collection.Seq<?>, Float>) s -> {
      float[] x = floats("logsumexp", s);
      if (x == null) {
        return null;
      }
      float[] out = new float[1];
      Logits.logSumExp(x, x.length, out);
      return out[0];
    }, f);
    udf.register(IMPL + "logsumexp_f64", (UDF1<scala.collection.Seq<?>, Double>) s -> {
      double[] x = doubles("logsumexp", s);
      if (x == null) {
        return null;
      }
      double[] out = new double[1];
      Logits.logSumExp(x, x.length, out);
      return out[0];
    }, d);
    udf.register(IMPL + "argmax_f32", (UDF1<scala.collection.Seq<?>, Integer>) s -> {
      float[] x = floats("argmax", s);
      if (x == null) {
        return null;
      }
      int[] out = new int[1];
      Logits.argmax(x, x.length, out);
      return out[0];
    }, i);
    udf.register(IMPL + "argmax_f64", (UDF1<scala.collection.Seq<?>, Integer>) s -> {
      double[] x = doubles("argmax", s);
      if (x == null) {
        return null;
      }
      int[] out = new int[1];
      Logits.argmax(x, x.length, out);
      return out[0];
    }, i);
    udf.register(IMPL + "top_k_f32", (UDF2<scala.collection.Seq<?>, Number, Row[]>) (s, k) -> {
      float[] x = floats("top_k", s);
      if (x == null || k == null) {
        return null;
      }
      int kk = k("top_k", k, x.length);
      int[] idx = new int[kk];
      float[] val = new float[kk];
      Logits.topK(x, x.length, kk, idx, val);
      Logits.softmax(x, x, x.length);
      Row[] out = new Row[kk];
      for (int j = 0; j < kk; j++) {
        out[j] = RowFactory.create(idx[j], x[idx[j]]);
      }
      return out;
    }, DataTypes.createArrayType(topKType(f), false));
    udf.register(IMPL + "top_k_f64", (UDF2<scala.collection.Seq<?>, Number, Row[]>) (s, k) -> {
      double[] x = doubles("top_k", s);
      if (x == null || k == null) {
        return null;
      }
      int kk = k("top_k", k, x.length);
      int[] idx = new int[kk];
      double[] val = new double[kk];
      Logits.topK(x, x.length, kk, idx, val);
      Logits.softmax(x, x, x.length);
      Row[] out = new Row[kk];
      for (int j = 0; j < kk; j++) {
        out[j] = RowFactory.create(idx[j], x[idx[j]]);
      }
      return out;
    }, DataTypes.createArrayType(topKType(d), false));
    udf.register(IMPL + "cross_entropy_f32_2", (UDF2<scala.collection.Seq<?>, Number, Float>) (s, y) ->
        lossF(s, y, null, null, null), f);
    udf.register(IMPL + "cross_entropy_f32_3", (UDF3<scala.collection.Seq<?>, Number, Number, Float>) (s, y, e) ->
        lossF(s, y, e, null, null), f);
    udf.register(IMPL + "cross_entropy_f32_4",
        (UDF4<scala.collection.Seq<?>, Number, Number, Number, Float>) (s, y, e, ii) -> lossF(s, y, e, ii, null), f);
    udf.register(IMPL + "cross_entropy_f32_5",
        (UDF5<scala.collection.Seq<?>, Number, Number, Number, scala.collection.Seq<?>, Float>) (s, y, e, ii, w) ->
            lossF(s, y, e, ii, w), f);
    udf.register(IMPL + "cross_entropy_f64_2", (UDF2<scala.collection.Seq<?>, Number, Double>) (s, y) ->
        lossD(s, y, null, null, null), d);
    udf.register(IMPL + "cross_entropy_f64_3", (UDF3<scala.collection.Seq<?>, Number, Number, Double>) (s, y, e) ->
        lossD(s, y, e, null, null), d);
    udf.register(IMPL + "cross_entropy_f64_4",
        (UDF4<scala.collection.Seq<?>, Number, Number, Number, Double>) (s, y, e, ii) -> lossD(s, y, e, ii, null), d);
    udf.register(IMPL + "cross_entropy_f64_5",
        (UDF5<scala.collection.Seq<?>, Number, Number, Number, scala.collection.Seq<?>, Double>) (s, y, e, ii, w) ->
            lossD(s, y, e, ii, w), d);
    udf.register(IMPL + "sigmoid_f32", (UDF1<scala.collection.Seq<?>, float[]>) s -> {
      float[] x = floats("sigmoid", s);
      if (x == null) {
        return null;
      }
      Logits.sigmoid(x, x);
      return x;
    }, DataTypes.createArrayType(f, false));
    udf.register(IMPL + "sigmoid_f64", (UDF1<scala.collection.Seq<?>, double[]>) s -> {
      double[] x = doubles("sigmoid", s);
      if (x == null) {
        return null;
      }
      Logits.sigmoid(x, x);
      return x;
    }, DataTypes.createArrayType(d, false));
    udf.register(IMPL + "sigmoid_f32s", (UDF1<Float, Float>) v -> {
      if (v == null) {
        return null;
      }
      float[] x = {v};
      Logits.sigmoid(x, x);
      return x[0];
    }, f);
    udf.register(IMPL + "sigmoid_f64s", (UDF1<Double, Double>) v -> {
      if (v == null) {
        return null;
      }
      double[] x = {v};
      Logits.sigmoid(x, x);
      return x[0];
    }, d);

    FunctionRegistry registry = classic.sessionState().functionRegistry();
    for (String name : NAMES) {
      registry.createOrReplaceTempFunction(name,
          (scala.Function1<scala.collection.immutable.Seq<Expression>, Expression>) args -> dispatch(registry, name, args),
          "java_udf");
    }
  }

  private static Expression dispatch(FunctionRegistry registry, String name,
      scala.collection.immutable.Seq<Expression> args) {
    if (args.isEmpty()) {
      throw new IllegalArgumentException(name + ": the logits argument is missing");
    }
    DataType t = args.head().dataType();
    String suffix;
    if (t instanceof ArrayType a && a.elementType().equals(DataTypes.FloatType)) {
      suffix = "_f32";
    } else if (t instanceof ArrayType a && a.elementType().equals(DataTypes.DoubleType)) {
      suffix = "_f64";
    } else if (name.equals("sigmoid") && t.equals(DataTypes.FloatType)) {
      suffix = "_f32s";
    } else if (name.equals("sigmoid") && t.equals(DataTypes.DoubleType)) {
      suffix = "_f64s";
    } else {
      throw new IllegalArgumentException(name + ": the logits argument must be array<float> or array<double>"
          + (name.equals("sigmoid") ? ", float or double" : "") + ", was " + t.simpleString());
    }
    if (name.equals("cross_entropy")) {
      if (args.size() < 2 || args.size() > 5) {
        throw new IllegalArgumentException("cross_entropy takes (logits, label [, label_smoothing [, ignore_index"
            + " [, class_weights]]]), was given " + args.size() + " arguments");
      }
      suffix += "_" + args.size();
    }
    try {
      return registry.lookupFunction(tempId(IMPL + name + suffix), args);
    } catch (AnalysisException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  /** A temporary function's identifier: system.session.name. */
  private static FunctionIdentifier tempId(String name) {
    return new FunctionIdentifier(name,
        scala.Option.apply(org.apache.spark.sql.connector.catalog.CatalogManager.SESSION_NAMESPACE()),
        scala.Option.apply(org.apache.spark.sql.connector.catalog.CatalogManager.SYSTEM_CATALOG_NAME()));
  }

  static StructType topKType(DataType prob) {
    return new StructType().add("class", DataTypes.IntegerType, false).add("prob", prob, false);
  }

  private static float[] floats(String fn, scala.collection.Seq<?> s) {
    if (s == null) {
      return null;
    }
    int n = s.length();
    if (n == 0) {
      throw new IllegalArgumentException(fn + ": empty logits array");
    }
    float[] x = new float[n];
    for (int j = 0; j < n; j++) {
      Object v = s.apply(j);
      if (v == null) {
        throw new IllegalArgumentException(fn + ": null entry at index " + j + " of the logits array");
      }
      x[j] = ((Number) v).floatValue();
    }
    return x;
  }

  private static double[] doubles(String fn, scala.collection.Seq<?> s) {
    if (s == null) {
      return null;
    }
    int n = s.length();
    if (n == 0) {
      throw new IllegalArgumentException(fn + ": empty logits array");
    }
    double[] x = new double[n];
    for (int j = 0; j < n; j++) {
      Object v = s.apply(j);
      if (v == null) {
        throw new IllegalArgumentException(fn + ": null entry at index " + j + " of the logits array");
      }
      x[j] = ((Number) v).doubleValue();
    }
    return x;
  }

  private static int k(String fn, Number k, int cols) {
    long kk = k.longValue();
    if (kk < 1 || kk > cols || k.doubleValue() != kk) {
      throw new IllegalArgumentException(fn + ": k must be in 1.." + cols + " (the row length), was " + k);
    }
    return (int) kk;
  }

  /** A label as an int: integral and within int range, else an error naming it. */
  static int label(String fn, Number y) {
    double v = y.doubleValue();
    if (!(y instanceof Integer || y instanceof Short || y instanceof Byte)
        && (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
      throw new IllegalArgumentException(fn + ": label " + y + " is not an int");
    }
    return y.intValue();
  }

  private static CrossEntropy config(Number eps, Number ignore) {
    CrossEntropy ce = CrossEntropy.sparse();
    if (eps != null) {
      ce = ce.labelSmoothing(eps.doubleValue());
    }
    if (ignore != null) {
      ce = ce.ignoreIndex(label("cross_entropy ignore_index", ignore));
    }
    return ce;
  }

  private static void checkLabel(int y, int cols, Number ignore) {
    int ii = ignore == null ? -100 : ignore.intValue();
    if (y != ii && (y < 0 || y >= cols)) {
      throw new IllegalArgumentException("cross_entropy: label " + y + " is outside [0, " + cols
          + ") and is not the ignore index " + ii);
    }
  }

  private static Float lossF(scala.collection.Seq<?> s, Number y, Number eps, Number ignore,
      scala.collection.Seq<?> w) {
    float[] x = floats("cross_entropy", s);
    if (x == null || y == null) {
      return null;
    }
    int label = label("cross_entropy", y);
    checkLabel(label, x.length, ignore);
    CrossEntropy ce = config(eps, ignore);
    if (w != null) {
      ce = ce.classWeights(floats("cross_entropy class_weights", w));
    }
    float[] out = new float[1];
    ce.rowLosses(x, x.length, new int[] {label}, out);
    return out[0];
  }

  private static Double lossD(scala.collection.Seq<?> s, Number y, Number eps, Number ignore,
      scala.collection.Seq<?> w) {
    double[] x = doubles("cross_entropy", s);
    if (x == null || y == null) {
      return null;
    }
    int label = label("cross_entropy", y);
    checkLabel(label, x.length, ignore);
    CrossEntropy ce = config(eps, ignore);
    if (w != null) {
      ce = ce.classWeights(doubles("cross_entropy class_weights", w));
    }
    double[] out = new double[1];
    ce.rowLosses(x, x.length, new int[] {label}, out);
    return out[0];
  }
}
