package io.github.logits4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.Logits;
import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The README's Spark section: its code runs as written, and the flags and commands it names are the used ones. */
class SparkReadmeTest {
  static final Path MODULE = Path.of("").toAbsolutePath();
  static final Path README = MODULE.resolve("../README.md").normalize();

  static String section() throws Exception {
    String all = Files.readString(README);
    int from = all.indexOf("\n## Spark\n");
    assertTrue(from >= 0, "README has a ## Spark section");
    int to = all.indexOf("\n## ", from + 5);
    return all.substring(from, to);
  }

  static String normal(String code) {
    return Arrays.stream(code.split("\n")).map(String::strip).filter(l -> !l.isEmpty())
        .collect(Collectors.joining("\n"));
  }

  @Test
  void theSnippetIsTheCodeThisTestRuns() throws Exception {
    Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(section());
    assertTrue(m.find());
    String source = Files.readString(MODULE.resolve("src/test/java/io/github/logits4j/spark/SparkReadmeTest.java"));
    String begin = "// README snippet: begin\n";
    String region = source.substring(source.indexOf(begin) + begin.length(), source.lastIndexOf("// README snippet: end"));
    assertEquals(normal(m.group(1)), normal(region));
  }

  @Test
  void theSnippetRuns() throws Exception {
    SparkSession spark = SharedSpark.get();
    String input = SharedSpark.tempDir("readme-in").resolve("logits.parquet").toString();
    String output = SharedSpark.tempDir("readme-out").resolve("scored.parquet").toString();
    spark.createDataFrame(TestData.rows(300, 5, 3), TestData.SCHEMA).where("xf IS NOT NULL AND label >= 0")
        .selectExpr("id", "xf AS logits", "label").write().parquet(input);
    spark.read().parquet(input).createOrReplaceTempView("logits");
    // README snippet: begin
    Logits4jFunctions.register(spark);
    Dataset<Row> scores = spark.sql("SELECT id, softmax(logits) AS p, argmax(logits) AS y, top_k(logits, 3) AS top,"
        + " cross_entropy(logits, label, 0.1) AS loss FROM logits");

    BatchScorer.Scored scored = BatchScorer.builder()
        .logitsColumn("logits").labelColumn("label")
        .probabilities().prediction().topK(3).loss()
        .build().score(spark.read().parquet(input));
    scored.dataset().write().parquet(output);   // the one job: scores, writes, gathers the metrics
    ScoreMetrics m = scored.metrics();          // m.meanLoss(), m.accuracy(), m.topKAccuracy()
    // README snippet: end
    long n = spark.read().parquet(input).count();
    assertEquals(n, scores.count());
    assertEquals(n, spark.read().parquet(output).count());
    assertEquals(n, m.labelledRows());
    assertTrue(m.meanLoss() > 0 && m.accuracy() >= 0 && m.topKAccuracy() >= m.accuracy());
  }

  static String pomFlags() {
    String flags = System.getProperty("spark.jvm.args");
    assertTrue(flags != null && !flags.isBlank(), "surefire passes spark.jvm.args");
    return flags.strip();
  }

  @Test
  void theFlagsNamedAreTheOnesUsed() throws Exception {
    String sec = section();
    String flag = "--add-modules jdk.incubator.vector";
    assertTrue(sec.contains("--driver-java-options \"" + flag + "\""), "README: driver flag");
    assertTrue(sec.contains("--conf \"spark.executor.extraJavaOptions=" + flag + "\""), "README: executor flag");
    // the tests' JVM (surefire argLine) and the example job run with the same list, which starts with it
    String script = Files.readString(MODULE.resolve("run-example"));
    Matcher f = Pattern.compile("\nFLAGS=\"([^\"]*)\"").matcher(script);
    assertTrue(f.find(), "run-example sets FLAGS");
    assertEquals(pomFlags(), f.group(1));
    assertTrue(pomFlags().startsWith(flag));
    List<String> jvm = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
    assertTrue(jvm.contains("--add-modules=jdk.incubator.vector") || jvm.contains("--add-modules")
        || String.join(" ", jvm).contains("jdk.incubator.vector"), jvm.toString());
    // the example passes FLAGS to the executors as spark.executor.extraJavaOptions
    assertTrue(script.contains("-Dlogits4j.executorJavaOptions=$FLAGS"));
    String example = Files.readString(MODULE.resolve(
        "src/test/java/io/github/logits4j/spark/example/ScoreParquet.java"));
    assertTrue(example.contains("b.config(\"spark.executor.extraJavaOptions\", executorOptions)"));
    assertTrue(script.contains("local-cluster[2,1,1024]") && sec.contains("local-cluster[2,1,1024]"));
    assertTrue(sec.contains("\nspark/run-example\n") && Files.isExecutable(MODULE.resolve("run-example")));
    // the jars named are the two artifacts this build makes
    String pom = Files.readString(MODULE.resolve("pom.xml"));
    assertTrue(pom.contains("<artifactId>logits4j-spark</artifactId>\n  <version>0.1.0-SNAPSHOT</version>"));
    assertTrue(Files.readString(MODULE.resolve("../pom.xml"))
        .contains("<artifactId>logits4j</artifactId>\n  <version>0.1.0-SNAPSHOT</version>"));
    assertTrue(sec.contains("--jars logits4j-0.1.0-SNAPSHOT.jar,logits4j-spark-0.1.0-SNAPSHOT.jar"));
    // with the flags, the kernels here are the vector ones
    assertTrue(Logits.implementation().startsWith("panama-"), Logits.implementation());
  }

  @Test
  void theComparisonQuotedIsTheCommittedOneAndTheBatchScorerIsFastest() throws Exception {
    String script = Files.readString(MODULE.resolve("run-example"));
    assertTrue(script.contains("--compare) args+=(\"--compare\" \"--report\" \"$root/bench/report/sections/spark.md\")"));
    String table = Files.readString(MODULE.resolve("../bench/report/sections/spark.md"));
    assertTrue(table.contains("1000000 rows x 10 classes (float32)"));
    Matcher row = Pattern.compile("\n\\| ([^|]+) \\| (\\d+) \\| \\d+ \\| ([\\d.]+) \\|").matcher(table);
    java.util.Map<String, String[]> rows = new java.util.LinkedHashMap<>();
    while (row.find()) {
      rows.put(row.group(1), new String[] {row.group(2), row.group(3)});
    }
    String[] batch = rows.get("`BatchScorer` (probabilities), blocks of 4096 rows through `Logits.softmax`");
    String[] udf = rows.get("per-row UDF `softmax(logits)` (`Logits4jFunctions`, one `Logits.softmax` call per row)");
    String[] sql = rows.get("Spark SQL: `aggregate` max, `transform` exp(x - max), `aggregate` sum, `transform` divide");
    assertTrue(batch != null && udf != null && sql != null, rows.keySet().toString());
    double b = Double.parseDouble(batch[0]);
    assertTrue(Double.parseDouble(udf[0]) > b && Double.parseDouble(sql[0]) > b, "the batch scorer is fastest");
    assertEquals(String.format(java.util.Locale.ROOT, "%.2f", Double.parseDouble(udf[0]) / b), udf[1]);
    String readme = normal(section()).replace('\n', ' ');
    assertTrue(readme.contains("softmax of 1M rows x 10 classes in " + batch[0] + " ms; per-row UDFs took " + udf[1]
        + "x as long and the Spark SQL expression " + sql[1] + "x."), readme);
    String[] full = rows.get("`BatchScorer`, also gathering the metrics");
    String[] udfs = rows.get("per-row UDFs `softmax`, `argmax`, `top_k`, `cross_entropy` (no metrics)");
    assertTrue(full != null && udfs != null, rows.keySet().toString());
    assertTrue(Double.parseDouble(udfs[0]) > Double.parseDouble(full[0]), "the batch scorer is fastest");
    assertTrue(readme.contains("For probabilities, prediction, top-3 and loss, per-row UDFs took " + udfs[1]
        + "x as long as the batch scorer, which also gathered the metrics."), readme);
  }

  @Test
  void executorsNeedJdk25() throws Exception {
    assertTrue(section().contains("executors must run JDK 25"));
    try (InputStream in = Logits.class.getResourceAsStream("Logits.class");
        DataInputStream d = new DataInputStream(in)) {
      assertEquals(0xCAFEBABE, d.readInt());
      d.readUnsignedShort();
      assertEquals(69, d.readUnsignedShort(), "class file major version 69 is JDK 25");
    }
  }

  @Test
  void sparkIsProvidedAndTheLibraryHasNoRuntimeDependencies() throws Exception {
    String pom = Files.readString(MODULE.resolve("pom.xml"));
    for (String a : List.of("spark-sql_2.13", "spark-mllib_2.13")) {
      Matcher d = Pattern.compile("<artifactId>" + a + "</artifactId>\\s*<version>[^<]*</version>\\s*<scope>provided</scope>")
          .matcher(pom);
      assertTrue(d.find(), a + " is provided");
    }
    String lib = Files.readString(MODULE.resolve("../pom.xml"));
    String deps = lib.substring(lib.indexOf("</dependencyManagement>"), lib.indexOf("<build>"));
    Matcher scopes = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL).matcher(deps);
    while (scopes.find()) {
      assertTrue(scopes.group(1).contains("<scope>test</scope>"), "library dependency not test-scoped: " + scopes.group(1));
    }
    assertTrue(Files.readString(MODULE.resolve("../all/pom.xml")).contains("<module>../spark</module>"));
  }
}
