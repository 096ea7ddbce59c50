package io.github.logits4j.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** The one SparkSession of the test JVM (local[2]), with the logits4j functions registered. */
final class SharedSpark {
  private static SparkSession spark;
  private static Path dir;

  private SharedSpark() {
  }

  static synchronized SparkSession get() {
    if (spark == null) {
      spark = SparkSession.builder().master("local[2]").appName("logits4j-spark-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.driver.host", "127.0.0.1")
          .getOrCreate();
      spark.sparkContext().setLogLevel("ERROR");
      Logits4jFunctions.register(spark);
      Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
    }
    return spark;
  }

  /** A fresh directory under target/ for Parquet files. */
  static synchronized Path tempDir(String name) throws java.io.IOException {
    if (dir == null) {
      dir = Files.createDirectories(Path.of("target", "spark-test-data"));
    }
    return Files.createTempDirectory(dir, name);
  }
}
