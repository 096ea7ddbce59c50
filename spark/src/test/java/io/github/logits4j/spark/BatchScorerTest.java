package io.github.logits4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.CrossEntropy;
import io.github.logits4j.Logits;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The batch scorer against Logits/CrossEntropy on the whole matrix, Parquet in and out, bad rows. */
class BatchScorerTest {
  static final int COLS = 10;
  static final int N = 6000;
  static SparkSession spark;
  static String input;

  @BeforeAll
  static void data() throws Exception {
    spark = SharedSpark.get();
    input = SharedSpark.tempDir("bs-in").resolve("in.parquet").toString();
    spark.createDataFrame(TestData.rows(N, COLS, 23), TestData.SCHEMA).write().parquet(input);
  }

  static BatchScorer.Builder all(String logits) {
    return BatchScorer.builder().logitsColumn(logits).labelColumn("label").idColumn("id")
        .probabilities().prediction().topK(3).loss().blockRows(1000);
  }

  /** Scores the input at the given partition count, writes Parquet, reads it back sorted by id. */
  static Object[] scoreToParquet(BatchScorer scorer, Dataset<Row> in, String name) throws Exception {
    BatchScorer.Scored s = scorer.score(in);
    String out = SharedSpark.tempDir(name).resolve("out.parquet").toString();
    s.dataset().write().parquet(out);
    List<Row> rows = spark.read().parquet(out).orderBy("id").collectAsList();
    return new Object[] {rows, s.metrics()};
  }

  @Test
  @SuppressWarnings("unchecked")
  void floatMatchesLibraryAndMetricsDoNotDependOnPartitions() throws Exception {
    // the expected values: the library on the whole matrix of non-null rows at once
    List<Row> src = spark.read().parquet(input).orderBy("id").collectAsList();
    List<float[]> xs = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (Row r : src) {
      if (!r.isNullAt(1)) {
        xs.add(TestData.floats(r.getList(1)));
        labels.add(r.getInt(3));
      }
    }
    int m = xs.size();
    float[] x = new float[m * COLS];
    int[] y = new int[m];
    for (int i = 0; i < m; i++) {
      System.arraycopy(xs.get(i), 0, x, i * COLS, COLS);
      y[i] = labels.get(i);
    }
    float[] p = new float[x.length];
    Logits.softmax(x, p, COLS);
    int[] am = new int[m];
    Logits.argmax(x, COLS, am);
    int[] ti = new int[m * 3];
    Logits.topK(x, COLS, 3, ti, new float[m * 3]);
    float[] loss = new float[m];
    CrossEntropy.sparse().rowLosses(x, COLS, y, loss);
    // independent metrics: BigDecimal sum, plain counts
    BigDecimal sum = BigDecimal.ZERO;
    long labelled = 0;
    long correct = 0;
    long topK = 0;
    for (int i = 0; i < m; i++) {
      if (y[i] == -100) {
        continue;
      }
      labelled++;
      sum = sum.add(new BigDecimal(loss[i]));
      correct += am[i] == y[i] ? 1 : 0;
      for (int j = 0; j < 3; j++) {
        topK += ti[i * 3 + j] == y[i] ? 1 : 0;
      }
    }
    double expectedSum = sum.doubleValue();

    BatchScorer scorer = all("xf").build();
    ScoreMetrics first = null;
    for (int parts : new int[] {1, 3, 7}) {
      Object[] res = scoreToParquet(scorer, spark.read().parquet(input).repartition(parts), "bs-f32-" + parts);
      List<Row> rows = (List<Row>) res[0];
      ScoreMetrics mt = (ScoreMetrics) res[1];
      assertEquals(N, rows.size());
      int i = 0;
      for (Row r : rows) {
        int id = r.getInt(0);
        if (r.isNullAt(1)) {
          for (String c : List.of("probabilities", "prediction", "top_k", "loss")) {
            assertTrue(r.isNullAt(r.fieldIndex(c)), "null logits, null " + c);
          }
          continue;
        }
        List<Float> pr = r.getList(r.fieldIndex("probabilities"));
        for (int j = 0; j < COLS; j++) {
          assertEquals(Float.floatToIntBits(p[i * COLS + j]), Float.floatToIntBits(pr.get(j)), "prob " + id);
        }
        assertEquals(am[i], r.getInt(r.fieldIndex("prediction")), "prediction " + id);
        List<Row> tk = r.getList(r.fieldIndex("top_k"));
        for (int j = 0; j < 3; j++) {
          assertEquals(ti[i * 3 + j], tk.get(j).getInt(0), "top_k " + id);
          assertEquals(Float.floatToIntBits(p[i * COLS + ti[i * 3 + j]]), Float.floatToIntBits(tk.get(j).getFloat(1)));
        }
        assertEquals(Float.floatToIntBits(loss[i]), Float.floatToIntBits(r.getFloat(r.fieldIndex("loss"))), "loss " + id);
        i++;
      }
      assertEquals(m, i);
      assertEquals(m, mt.rows());
      assertEquals(N - m, mt.nullRows());
      assertEquals(labelled, mt.labelledRows());
      assertEquals(Double.doubleToLongBits(expectedSum), Double.doubleToLongBits(mt.lossSum()), "loss sum at " + parts);
      assertEquals(expectedSum / labelled, mt.meanLoss(), 0.0);
      assertEquals((double) correct / labelled, mt.accuracy(), 0.0);
      assertEquals((double) topK / labelled, mt.topKAccuracy(), 0.0);
      if (first == null) {
        first = mt;
      } else {
        assertEquals(first, mt, "metrics at " + parts + " partitions");
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void doubleAndVectorInputsMatchTheLibrary() throws Exception {
    Dataset<Row> in = spark.read().parquet(input).where("id < 700");
    List<Row> src = in.orderBy("id").collectAsList();
    StructType vs = new StructType().add("id", DataTypes.IntegerType).add("v", SQLDataTypes.VectorType())
        .add("label", DataTypes.IntegerType);
    List<Row> vrows = new ArrayList<>();
    for (Row r : src) {
      vrows.add(RowFactory.create(r.getInt(0), r.isNullAt(2) ? null
          : r.getInt(0) % 5 == 0 ? Vectors.dense(TestData.doubles(r.getList(2))).toSparse()
          : Vectors.dense(TestData.doubles(r.getList(2))), r.getInt(3)));
    }
    Dataset<Row> vin = spark.createDataFrame(vrows, vs).repartition(3);
    ScoreMetrics md = null;
    for (String col : List.of("xd", "v")) {
      Object[] res = col.equals("xd") ? scoreToParquet(all("xd").build(), in.repartition(2), "bs-f64")
          : scoreToParquet(all("v").build(), vin, "bs-vec");
      List<Row> rows = (List<Row>) res[0];
      assertEquals(src.size(), rows.size());
      for (int k = 0; k < rows.size(); k++) {
        Row r = rows.get(k);
        Row s = src.get(k);
        assertEquals(s.getInt(0), r.getInt(0));
        if (s.isNullAt(2)) {
          assertTrue(r.isNullAt(r.fieldIndex("probabilities")));
          continue;
        }
        double[] x = TestData.doubles(s.getList(2));
        double[] p = new double[COLS];
        Logits.softmax(x, p, COLS);
        List<Double> pr = r.getList(r.fieldIndex("probabilities"));
        for (int j = 0; j < COLS; j++) {
          assertEquals(Double.doubleToLongBits(p[j]), Double.doubleToLongBits(pr.get(j)), col + " prob " + s.getInt(0));
        }
        int[] a = new int[1];
        Logits.argmax(x, COLS, a);
        assertEquals(a[0], r.getInt(r.fieldIndex("prediction")));
        int[] ti = new int[3];
        Logits.topK(x, COLS, 3, ti, new double[3]);
        List<Row> tk = r.getList(r.fieldIndex("top_k"));
        for (int j = 0; j < 3; j++) {
          assertEquals(ti[j], tk.get(j).getInt(0));
          assertEquals(Double.doubleToLongBits(p[ti[j]]), Double.doubleToLongBits(tk.get(j).getDouble(1)));
        }
        double[] l = new double[1];
        CrossEntropy.sparse().rowLosses(x, COLS, new int[] {s.getInt(3)}, l);
        assertEquals(Double.doubleToLongBits(l[0]), Double.doubleToLongBits(r.getDouble(r.fieldIndex("loss"))));
      }
      ScoreMetrics mt = (ScoreMetrics) res[1];
      if (md == null) {
        md = mt;
      } else {
        assertEquals(md, mt, "vector and array<double> metrics");
      }
    }
  }

  static final StructType BAD = new StructType().add("id", DataTypes.IntegerType)
      .add("x", DataTypes.createArrayType(DataTypes.FloatType, true)).add("label", DataTypes.LongType);

  static Dataset<Row> bad(Object[]... rows) {
    List<Row> l = new ArrayList<>();
    for (Object[] r : rows) {
      l.add(RowFactory.create(r));
    }
    return spark.createDataFrame(l, BAD).coalesce(1);
  }

  static Object[] row(int id, Float[] x, Long label) {
    return new Object[] {id, x, label};
  }

  static final Float[] GOOD = {1f, 2f, 3f, 0.5f};
  static final Float[] GOOD2 = {-1f, 4f, 3f, 0.5f};
  static final Float[] RAGGED = {1f, 2f, 3f};
  static final Float[] NULL_ENTRY = {1f, null, 3f, 0.5f};

  @Test
  void strictModeNamesTheBadRow() {
    BatchScorer s = BatchScorer.builder().logitsColumn("x").labelColumn("label").idColumn("id").loss().build();
    String e = error(() -> s.score(bad(row(10, GOOD, 1L), row(11, RAGGED, 1L), row(12, GOOD, 1L)))
        .dataset().count());
    assertTrue(e.contains("BatchScorer: row 1 of partition 0 (id = 11): logits column 'x' has 3 entries, expected 4"
        + " (the length of the first row with non-null logits)"), e);
    e = error(() -> s.score(bad(row(10, GOOD, 1L), row(11, GOOD, null))).dataset().count());
    assertTrue(e.contains("row 1 of partition 0 (id = 11): label column 'label' is null"), e);
    e = error(() -> s.score(bad(row(10, GOOD, 4L))).dataset().count());
    assertTrue(e.contains("row 0 of partition 0 (id = 10): label column 'label' is 4, outside [0, 4)"), e);
    e = error(() -> s.score(bad(row(10, GOOD, -1L))).dataset().count());
    assertTrue(e.contains("label column 'label' is -1, outside [0, 4) and not the ignore index -100"), e);
    e = error(() -> s.score(bad(row(10, GOOD, 0L), row(11, NULL_ENTRY, 0L))).dataset().count());
    assertTrue(e.contains("(id = 11): logits column 'x' has a null entry at index 1"), e);
  }

  @Test
  void lenientModeGivesDocumentedNulls() {
    BatchScorer s = BatchScorer.builder().logitsColumn("x").labelColumn("label").lenient()
        .probabilities().prediction().topK(2).loss().build();
    BatchScorer.Scored sc = s.score(bad(row(0, GOOD, 2L), row(1, RAGGED, 1L), row(2, GOOD2, null),
        row(3, GOOD, 9L), row(4, null, 1L), row(5, NULL_ENTRY, 0L), row(6, GOOD2, 1L)));
    List<Row> rows = sc.dataset().orderBy("id").collectAsList();
    ScoreMetrics m = sc.metrics();
    for (int id : new int[] {1, 4, 5}) {
      Row r = rows.get(id);
      for (String c : List.of("probabilities", "prediction", "top_k", "loss")) {
        assertTrue(r.isNullAt(r.fieldIndex(c)), "row " + id + " " + c);
      }
    }
    for (int id : new int[] {2, 3}) {
      Row r = rows.get(id);
      assertTrue(r.isNullAt(r.fieldIndex("loss")));
      assertFalse(r.isNullAt(r.fieldIndex("prediction")));
      assertFalse(r.isNullAt(r.fieldIndex("probabilities")));
    }
    float[] x = {1f, 2f, 3f, 0.5f, -1f, 4f, 3f, 0.5f};
    float[] l = new float[2];
    CrossEntropy.sparse().rowLosses(x, 4, new int[] {2, 1}, l);
    assertEquals(l[0], rows.get(0).getFloat(rows.get(0).fieldIndex("loss")), 0f);
    assertEquals(l[1], rows.get(6).getFloat(rows.get(6).fieldIndex("loss")), 0f);
    assertEquals(new ScoreMetrics(4, 1, 2, 2, 2, new BigDecimal(l[0]).add(new BigDecimal(l[1])).doubleValue(),
        2, 2, 2), m);
    assertEquals(1.0, m.accuracy(), 0.0);
  }

  @Test
  void aBlockOfNullLogitsIsCounted() {
    BatchScorer.Scored sc = BatchScorer.builder().logitsColumn("x").labelColumn("label").numClasses(4).loss().build()
        .score(bad(row(0, null, 1L), row(1, null, null)));
    List<Row> rows = sc.dataset().collectAsList();
    assertTrue(rows.get(0).isNullAt(3) && rows.get(1).isNullAt(3));
    ScoreMetrics m = sc.metrics();
    assertEquals(new ScoreMetrics(0, 2, 0, 0, 0, 0.0, 0, 0, 0), m);
    assertTrue(Double.isNaN(m.meanLoss()) && Double.isNaN(m.accuracy()) && Double.isNaN(m.topKAccuracy()));
  }

  @Test
  void metricsNeedAFullAction() {
    BatchScorer s = BatchScorer.builder().logitsColumn("xf").numClasses(COLS).prediction().build();
    BatchScorer.Scored sc = s.score(spark.read().parquet(input).repartition(3));
    IllegalStateException e = assertThrows(IllegalStateException.class, sc::metrics);
    assertTrue(e.getMessage().contains("0 of 3 partitions scored"), e.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> BatchScorer.builder().logitsColumn("label").build().score(spark.read().parquet(input)));
    assertTrue(bad.getMessage().contains("logitsColumn 'label' must be array<float>, array<double> or vector, was int"));
  }

  static String error(Runnable r) {
    return FunctionsTest.chain(assertThrows(Exception.class, r::run));
  }
}
