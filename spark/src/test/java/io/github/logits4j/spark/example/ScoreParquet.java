package io.github.logits4j.spark.example;

import io.github.logits4j.Logits;
import io.github.logits4j.spark.BatchScorer;
import io.github.logits4j.spark.Logits4jFunctions;
import io.github.logits4j.spark.ScoreMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The example job behind {@code spark/run-example}: scores a Parquet file of logits (generating one if none
 * is given) with {@link BatchScorer}, writes the scored rows to Parquet and prints the metrics. With
 * {@code --compare} it times the batch scorer against per-row UDFs and a plain Spark SQL softmax instead.
 *
 * <pre>
 * --master M       local[2] (default), or e.g. local-cluster[2,1,1024] (run-example --cluster sets it up)
 * --input F        a Parquet file with an array&lt;float&gt; column "logits" and an int column "label"
 * --output D       where the scored rows go (default target/example/scored.parquet)
 * --rows N         rows to generate without --input (default 200000), --classes C (default 10)
 * --compare        the comparison (default 1000000 rows x 10 classes); --report F writes its table there
 * </pre>
 */
public final class ScoreParquet {
  private ScoreParquet() {
  }

  /**
   * Runs the example.
   *
   * @param args see the class comment
   * @throws IOException if a file cannot be written
   */
  public static void main(String[] args) throws IOException {
    String master = "local[2]";
    String input = null;
    String output = "target/example/scored.parquet";
    String report = null;
    long rows = -1;
    int classes = 10;
    boolean compare = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--master" -> master = args[++i];
        case "--input" -> input = args[++i];
        case "--output" -> output = args[++i];
        case "--rows" -> rows = Long.parseLong(args[++i]);
        case "--classes" -> classes = Integer.parseInt(args[++i]);
        case "--compare" -> compare = true;
        case "--report" -> report = args[++i];
        default -> throw new IllegalArgumentException("argument " + (i + 1) + ": unknown option " + args[i]);
      }
    }
    if (rows < 0) {
      rows = compare ? 1_000_000 : 200_000;
    }
    SparkSession.Builder b = SparkSession.builder().master(master).appName("logits4j example")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1");
    String executorOptions = System.getProperty("logits4j.executorJavaOptions");
    if (executorOptions != null) {
      b.config("spark.executor.extraJavaOptions", executorOptions);
    }
    String executorClassPath = System.getProperty("logits4j.executorClassPath");
    if (executorClassPath != null) {
      b.config("spark.executor.extraClassPath", executorClassPath);
    }
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      System.out.println("driver kernels: " + Logits.implementation() + " (pid " + ProcessHandle.current().pid()
          + "), master " + master);
      List<String> impl = spark.range(0, 8, 1, 4).map(
          (org.apache.spark.api.java.function.MapFunction<Long, String>) x -> Logits.implementation()
              + " (JDK " + Runtime.version().feature() + ", pid " + ProcessHandle.current().pid() + ")",
          org.apache.spark.sql.Encoders.STRING()).distinct().collectAsList();
      System.out.println("executor kernels: " + impl);
      if (input == null) {
        input = "target/example/logits-" + rows + "x" + classes + ".parquet";
        if (!Files.exists(Path.of(input))) {
          generate(spark, rows, classes).write().parquet(input);
          System.out.println("generated " + input + ": " + rows + " rows x " + classes + " classes");
        }
      }
      if (compare) {
        compare(spark, input, classes, report);
      } else {
        score(spark, input, output);
      }
    } finally {
      spark.stop();
    }
  }

  /** {@code rows} rows: id, logits (array of float), label (int): a noisy linear classifier's outputs. */
  static Dataset<Row> generate(SparkSession spark, long rows, int classes) {
    Dataset<Row> ids = spark.range(0, rows, 1, 4).toDF("id")
        .withColumn("label", functions.pmod(functions.xxhash64(functions.col("id")), functions.lit(classes)).cast("int"));
    List<org.apache.spark.sql.Column> xs = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      xs.add(functions.when(functions.col("label").equalTo(c), 2.0).otherwise(0.0)
          .plus(functions.randn(1000L + c).multiply(1.5)).cast("float"));
    }
    return ids.withColumn("logits", functions.array(xs.toArray(new org.apache.spark.sql.Column[0])));
  }

  static void score(SparkSession spark, String input, String output) {
    BatchScorer scorer = BatchScorer.builder().logitsColumn("logits").labelColumn("label")
        .probabilities().prediction().topK(3).loss().build();
    long t0 = System.nanoTime();
    BatchScorer.Scored scored = scorer.score(spark.read().parquet(input));
    scored.dataset().write().mode("overwrite").parquet(output);
    ScoreMetrics m = scored.metrics();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf(Locale.ROOT, "scored %s -> %s in %d ms%n", input, output, ms);
    System.out.printf(Locale.ROOT, "rows %d, labelled %d, mean loss %.6f, accuracy %.4f, top-3 accuracy %.4f%n",
        m.rows(), m.labelledRows(), m.meanLoss(), m.accuracy(), m.topKAccuracy());
  }

  /**
   * Times {@code runs} rounds of noop writes of every dataset, round-robin so that the machine's load drifts
   * over all of them alike, after one warm-up write of each; returns the median of each in ms.
   */
  static double[] time(List<Dataset<Row>> variants, int runs) {
    for (Dataset<Row> ds : variants) {
      ds.write().format("noop").mode("overwrite").save();
    }
    double[][] t = new double[variants.size()][runs];
    for (int r = 0; r < runs; r++) {
      for (int v = 0; v < variants.size(); v++) {
        long t0 = System.nanoTime();
        variants.get(v).write().format("noop").mode("overwrite").save();
        t[v][r] = (System.nanoTime() - t0) / 1e6;
      }
    }
    double[] median = new double[variants.size()];
    for (int v = 0; v < median.length; v++) {
      Arrays.sort(t[v]);
      median[v] = t[v][runs / 2];
    }
    return median;
  }

  static String loadAverage() throws IOException {
    Path p = Path.of("/proc/loadavg");
    return Files.exists(p) ? String.join(" ", Arrays.copyOf(Files.readString(p).trim().split(" "), 3)) : "?";
  }

  static void compare(SparkSession spark, String input, int classes, String report) throws IOException {
    Logits4jFunctions.register(spark);
    Dataset<Row> in = spark.read().parquet(input).repartition(2).cache();
    long n = in.count();
    int runs = 7;
    String before = loadAverage();
    in.createOrReplaceTempView("compare_in");
    // softmax as one plain SQL expression per row, O(cols): the row maximum and the sum each come from an
    // aggregate whose finishing lambda uses them, so neither is recomputed per element
    Dataset<Row> sqlSoftmax = spark.sql("""
        SELECT id, label, logits,
               aggregate(e, 0D, (a, v) -> a + v, s -> transform(e, v -> CAST(v / s AS FLOAT))) AS probabilities
        FROM (SELECT *, aggregate(logits, CAST('-Infinity' AS DOUBLE), (a, v) -> greatest(a, CAST(v AS DOUBLE)),
                                  m -> transform(logits, v -> exp(CAST(v AS DOUBLE) - m))) AS e
              FROM compare_in)""");
    System.out.println(sqlSoftmax.queryExecution().optimizedPlan());
    BatchScorer.Scored all = BatchScorer.builder().logitsColumn("logits").labelColumn("label").numClasses(classes)
        .probabilities().prediction().topK(3).loss().build().score(in);
    double[] ms = time(List.of(
        in,
        BatchScorer.builder().logitsColumn("logits").numClasses(classes).probabilities().build().score(in).dataset(),
        in.withColumn("probabilities", functions.call_function("softmax", functions.col("logits"))),
        sqlSoftmax,
        all.dataset(),
        in.withColumn("probabilities", functions.call_function("softmax", functions.col("logits")))
            .withColumn("prediction", functions.call_function("argmax", functions.col("logits")))
            .withColumn("top_k", functions.call_function("top_k", functions.col("logits"), functions.lit(3)))
            .withColumn("loss", functions.call_function("cross_entropy", functions.col("logits"),
                functions.col("label")))), runs);
    double scan = ms[0];
    double batch = ms[1];
    double udf = ms[2];
    double sql = ms[3];
    double full = ms[4];
    double udfFull = ms[5];
    String after = loadAverage();
    String table = String.format(Locale.ROOT, """
        # Spark: batch scorer against per-row UDFs and a Spark SQL softmax

        %d rows x %d classes (float32), Spark %s, master %s, in-memory cached input in 2 partitions; each
        figure is the median of %d timed runs (after one warm-up; the variants take turns) of a `noop` write of
        the result, in ms, and the time over the batch scorer's with the same outputs. Machine: %d cores, load average (1, 5, 15
        minutes) `%s` before the run and `%s` after it. Made by `spark/run-example --compare`.

        | softmax of every row, written to the `noop` sink | ms | ns per row | / batch scorer |
        |---|---:|---:|---:|
        | `BatchScorer` (probabilities), blocks of 4096 rows through `Logits.softmax` | %.0f | %.0f | 1.00 |
        | per-row UDF `softmax(logits)` (`Logits4jFunctions`, one `Logits.softmax` call per row) | %.0f | %.0f | %.2f |
        | Spark SQL: `aggregate` max, `transform` exp(x - max), `aggregate` sum, `transform` divide | %.0f | %.0f | %.2f |
        | (reading the cached input alone) | %.0f | %.0f | %.2f |

        | probabilities, prediction, top-3 and loss of every row | ms | ns per row | / batch scorer |
        |---|---:|---:|---:|
        | `BatchScorer`, also gathering the metrics | %.0f | %.0f | 1.00 |
        | per-row UDFs `softmax`, `argmax`, `top_k`, `cross_entropy` (no metrics) | %.0f | %.0f | %.2f |
        """, n, classes, spark.version(), spark.sparkContext().master(), runs,
        Runtime.getRuntime().availableProcessors(), before, after,
        batch, batch * 1e6 / n, udf, udf * 1e6 / n, udf / batch, sql, sql * 1e6 / n, sql / batch,
        scan, scan * 1e6 / n, scan / batch, full, full * 1e6 / n, udfFull, udfFull * 1e6 / n, udfFull / full);
    System.out.print(table);
    ScoreMetrics m = all.metrics();
    System.out.printf(Locale.ROOT, "metrics of the last run: mean loss %.6f, accuracy %.4f, top-3 accuracy %.4f%n",
        m.meanLoss(), m.accuracy(), m.topKAccuracy());
    if (report != null) {
      Files.createDirectories(Path.of(report).toAbsolutePath().getParent());
      Files.writeString(Path.of(report), table);
      System.out.println("wrote " + report);
    }
  }
}
