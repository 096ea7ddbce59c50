package io.github.logits4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.CrossEntropy;
import io.github.logits4j.Logits;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every SQL function, float and double, bit for bit against Logits/CrossEntropy; Parquet in and out. */
class FunctionsTest {
  static final int COLS = 7;
  static final int N = 400;
  static SparkSession spark;
  static List<Row> out;
  static final float[] WF = {1f, 0.5f, 2f, 1f, 0.25f, 3f, 1f};

  @BeforeAll
  static void run() throws Exception {
    spark = SharedSpark.get();
    String in = SharedSpark.tempDir("fn-in").resolve("in.parquet").toString();
    spark.createDataFrame(TestData.rows(N, COLS, 11), TestData.SCHEMA).write().parquet(in);
    spark.read().parquet(in).createOrReplaceTempView("fn_in");
    String res = SharedSpark.tempDir("fn-out").resolve("out.parquet").toString();
    spark.sql("""
        SELECT id, xf, xd, label,
          softmax(xf) AS sf, softmax(xd) AS sd,
          log_softmax(xf) AS lsf, log_softmax(xd) AS lsd,
          logsumexp(xf) AS lef, logsumexp(xd) AS led,
          argmax(xf) AS af, argmax(xd) AS ad,
          top_k(xf, 3) AS tf, top_k(xd, 3) AS td,
          cross_entropy(xf, label) AS cf, cross_entropy(xd, label) AS cd,
          cross_entropy(xf, label, 0.1, -100, array(1f, 0.5f, 2f, 1f, 0.25f, 3f, 1f)) AS cfo,
          cross_entropy(xd, label, 0.1, -100, array(1d, 0.5d, 2d, 1d, 0.25d, 3d, 1d)) AS cdo,
          sigmoid(xf) AS gf, sigmoid(xd) AS gd,
          sigmoid(element_at(xf, 1)) AS gsf, sigmoid(element_at(xd, 1)) AS gsd
        FROM fn_in""").write().parquet(res);
    out = spark.read().parquet(res).orderBy("id").collectAsList();
  }

  private static void same(float[] e, List<?> a, String what, int id) {
    assertEquals(e.length, a.size(), what);
    for (int j = 0; j < e.length; j++) {
      assertEquals(Float.floatToIntBits(e[j]), Float.floatToIntBits((Float) a.get(j)), what + " row " + id + " col " + j);
    }
  }

  private static void same(double[] e, List<?> a, String what, int id) {
    assertEquals(e.length, a.size(), what);
    for (int j = 0; j < e.length; j++) {
      assertEquals(Double.doubleToLongBits(e[j]), Double.doubleToLongBits((Double) a.get(j)),
          what + " row " + id + " col " + j);
    }
  }

  @Test
  void everyFunctionGivesTheLibrarysBits() {
    assertEquals(N, out.size());
    int nulls = 0;
    for (Row r : out) {
      int id = r.getInt(0);
      if (r.isNullAt(1)) {
        nulls++;
        for (int c = 4; c < r.length(); c++) {
          assertNull(r.get(c), "null logits give null in column " + c);
        }
        continue;
      }
      float[] xf = TestData.floats(r.getList(1));
      double[] xd = TestData.doubles(r.getList(2));
      int label = r.getInt(3);
      int n = COLS;
      float[] yf = new float[n];
      double[] yd = new double[n];
      Logits.softmax(xf, yf, n);
      same(yf, r.getList(4), "softmax f32", id);
      float[] pf = yf.clone();
      Logits.softmax(xd, yd, n);
      same(yd, r.getList(5), "softmax f64", id);
      double[] pd = yd.clone();
      Logits.logSoftmax(xf, yf, n);
      same(yf, r.getList(6), "log_softmax f32", id);
      Logits.logSoftmax(xd, yd, n);
      same(yd, r.getList(7), "log_softmax f64", id);
      float[] lf = new float[1];
      Logits.logSumExp(xf, n, lf);
      assertEquals(Float.floatToIntBits(lf[0]), Float.floatToIntBits(r.getFloat(8)), "logsumexp f32 " + id);
      double[] ld = new double[1];
      Logits.logSumExp(xd, n, ld);
      assertEquals(Double.doubleToLongBits(ld[0]), Double.doubleToLongBits(r.getDouble(9)), "logsumexp f64 " + id);
      int[] am = new int[1];
      Logits.argmax(xf, n, am);
      assertEquals(am[0], r.getInt(10), "argmax f32 " + id);
      Logits.argmax(xd, n, am);
      assertEquals(am[0], r.getInt(11), "argmax f64 " + id);
      int[] ti = new int[3];
      Logits.topK(xf, n, 3, ti, new float[3]);
      List<Row> tf = r.getList(12);
      for (int j = 0; j < 3; j++) {
        assertEquals(ti[j], tf.get(j).getInt(0), "top_k f32 class " + id);
        assertEquals(Float.floatToIntBits(pf[ti[j]]), Float.floatToIntBits(tf.get(j).getFloat(1)), "top_k f32 prob " + id);
      }
      Logits.topK(xd, n, 3, ti, new double[3]);
      List<Row> td = r.getList(13);
      for (int j = 0; j < 3; j++) {
        assertEquals(ti[j], td.get(j).getInt(0), "top_k f64 class " + id);
        assertEquals(Double.doubleToLongBits(pd[ti[j]]), Double.doubleToLongBits(td.get(j).getDouble(1)),
            "top_k f64 prob " + id);
      }
      int[] y = {label};
      CrossEntropy.sparse().rowLosses(xf, n, y, lf);
      assertEquals(Float.floatToIntBits(lf[0]), Float.floatToIntBits(r.getFloat(14)), "cross_entropy f32 " + id);
      CrossEntropy.sparse().rowLosses(xd, n, y, ld);
      assertEquals(Double.doubleToLongBits(ld[0]), Double.doubleToLongBits(r.getDouble(15)), "cross_entropy f64 " + id);
      CrossEntropy.sparse().labelSmoothing(0.1).ignoreIndex(-100).classWeights(WF).rowLosses(xf, n, y, lf);
      assertEquals(Float.floatToIntBits(lf[0]), Float.floatToIntBits(r.getFloat(16)), "cross_entropy options f32 " + id);
      double[] wd = new double[WF.length];
      for (int j = 0; j < wd.length; j++) {
        wd[j] = WF[j];
      }
      CrossEntropy.sparse().labelSmoothing(0.1).ignoreIndex(-100).classWeights(wd).rowLosses(xd, n, y, ld);
      assertEquals(Double.doubleToLongBits(ld[0]), Double.doubleToLongBits(r.getDouble(17)),
          "cross_entropy options f64 " + id);
      Logits.sigmoid(xf, yf);
      same(yf, r.getList(18), "sigmoid f32", id);
      Logits.sigmoid(xd, yd);
      same(yd, r.getList(19), "sigmoid f64", id);
      assertEquals(Float.floatToIntBits(yf[0]), Float.floatToIntBits(r.getFloat(20)), "sigmoid scalar f32 " + id);
      assertEquals(Double.doubleToLongBits(yd[0]), Double.doubleToLongBits(r.getDouble(21)), "sigmoid scalar f64 " + id);
    }
    assertTrue(nulls > 0);
  }

  @Test
  void dataFrameApiAndTypes() {
    Dataset<Row> df = spark.table("fn_in").where("id = 1")
        .select(functions.call_function("softmax", functions.col("xf")).as("p"), functions.expr("argmax(xd)").as("a"));
    assertEquals("array<float>", df.schema().fields()[0].dataType().simpleString());
    assertEquals("int", df.schema().fields()[1].dataType().simpleString());
    Row r = df.first();
    Row in = spark.table("fn_in").where("id = 1").first();
    float[] x = TestData.floats(in.getList(1));
    Logits.softmax(x, x, x.length);
    same(x, r.getList(0), "softmax via call_function", 1);
    assertEquals("array<double>", spark.sql("SELECT softmax(xd) FROM fn_in").schema().fields()[0].dataType().simpleString());
  }

  @Test
  void badArgumentsAreNamed() {
    Exception e = assertThrows(Exception.class,
        () -> spark.sql("SELECT cross_entropy(xf, 7) FROM fn_in WHERE xf IS NOT NULL").collect());
    assertTrue(chain(e).contains("cross_entropy: label 7 is outside [0, 7)"), chain(e));
    e = assertThrows(Exception.class, () -> spark.sql("SELECT top_k(xf, 8) FROM fn_in WHERE xf IS NOT NULL").collect());
    assertTrue(chain(e).contains("top_k: k must be in 1..7"), chain(e));
    e = assertThrows(Exception.class, () -> spark.sql("SELECT softmax(id) FROM fn_in").collect());
    assertTrue(chain(e).contains("softmax: the logits argument must be array<float> or array<double>, was int"), chain(e));
    assertNull(spark.sql("SELECT cross_entropy(xf, CAST(NULL AS INT)) FROM fn_in WHERE id = 1").first().get(0));
  }

  static String chain(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c.getMessage()).append(" | ");
    }
    return sb.toString();
  }
}
