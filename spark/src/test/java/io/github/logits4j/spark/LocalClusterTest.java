package io.github.logits4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The example job on {@code local-cluster[2,1,1024]}, as {@code run-example --cluster} starts it: separate
 * executor JVMs, given the vector module through spark.executor.extraJavaOptions, run the vector kernels.
 */
@Execution(ExecutionMode.CONCURRENT)
class LocalClusterTest {
  @Test
  void executorsInTheirOwnJvmsRunTheVectorKernels() throws Exception {
    Path module = Path.of("").toAbsolutePath();
    Path home = module.resolve("target/local-cluster-home");
    Path jars = Files.createDirectories(home.resolve("jars"));
    List<String> classPath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    for (String entry : classPath) {
      Path p = Path.of(entry);
      if (entry.endsWith(".jar") && Files.isRegularFile(p) && !Files.exists(jars.resolve(p.getFileName()))) {
        Files.createSymbolicLink(jars.resolve(p.getFileName()), p.toAbsolutePath());
      }
    }
    String flags = SparkReadmeTest.pomFlags();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(Arrays.asList(flags.split(" ")));
    cmd.add("-Xmx1g");
    cmd.add("-Dlogits4j.executorJavaOptions=" + flags);
    // jars reach the executors through SPARK_HOME/jars; class directories (this module's, and the library's
    // when the reactor resolves it to its target/classes) through spark.executor.extraClassPath
    cmd.add("-Dlogits4j.executorClassPath=" + String.join(File.pathSeparator,
        classPath.stream().filter(e -> !e.endsWith(".jar")).toList()));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.github.logits4j.spark.example.ScoreParquet",
        "--master", "local-cluster[2,1,1024]", "--rows", "5000", "--output", "target/local-cluster-scored.parquet"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(module.resolve("target/local-cluster.log").toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    Process p = pb.start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the example finishes");
    String log = Files.readString(module.resolve("target/local-cluster.log"));
    assertEquals(0, p.exitValue(), log);
    Matcher driver = Pattern.compile("driver kernels: (\\S+) \\(pid (\\d+)\\), master local-cluster\\[2,1,1024\\]")
        .matcher(log);
    assertTrue(driver.find(), log);
    Matcher exec = Pattern.compile("(panama-\\d+|scalar) \\(JDK (\\d+), pid (\\d+)\\)")
        .matcher(log.substring(log.indexOf("executor kernels:")));
    Set<String> pids = new HashSet<>();
    while (exec.find()) {
      assertTrue(exec.group(1).startsWith("panama-"), "executor kernels: " + exec.group(1));
      assertEquals("25", exec.group(2));
      pids.add(exec.group(3));
    }
    assertEquals(2, pids.size(), "two executor JVMs: " + log);
    assertTrue(!pids.contains(driver.group(2)), "executors are not the driver");
    assertTrue(log.contains("rows 5000, labelled 5000, mean loss"), log);
  }
}
