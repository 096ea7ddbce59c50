package io.github.logits4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code bench/run} starts, with stand-ins for Maven and the JDK's {@code java} that record their
 * arguments instead of building and running anything.
 */
class RunScriptTest {
  @TempDir
  Path fake;

  List<String> javaArgs(Map<String, String> env, String... args) throws Exception {
    Path jdk = Files.createDirectories(fake.resolve("jdk/bin"));
    Path bin = Files.createDirectories(fake.resolve("bin"));
    Path out = fake.resolve("java-args");
    script(jdk.resolve("java"), """
        #!/bin/sh
        if [ "$1" = "-XshowSettings:properties" ]; then echo "    java.specification.version = 25" >&2; exit 0; fi
        printf '%s\\n' "$@" > "$FAKE_OUT"
        """);
    script(bin.resolve("mvn"), "#!/bin/sh\nexit 0\n");
    List<String> command = new java.util.ArrayList<>(List.of("bash", "run"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.directory(Path.of("").toAbsolutePath().toFile());
    pb.environment().remove("TORCH_BENCH");
    pb.environment().remove("PYTHON");
    pb.environment().put("JAVA_HOME", jdk.getParent().toString());
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("FAKE_OUT", out.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), output);
    return Files.readAllLines(out);
  }

  static void script(Path file, String text) throws Exception {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void theQuickModeRunsInAJvmThatCompilesBeforeGoingOn() throws Exception {
    List<String> args = javaArgs(Map.of(), "--quick");
    assertEquals(List.of("--add-modules", "jdk.incubator.vector", "-Xbatch", "-cp", "target/benchmarks.jar",
        "io.github.logits4j.bench.BenchMain"), args.subList(0, 6));
    assertEquals("--quick", args.getLast());
  }

  @Test
  void theFullModePassesJmhOptionsThrough() throws Exception {
    List<String> args = javaArgs(Map.of(), "FloatActivations", "-p", "shape=1024x1000");
    assertFalse(args.contains("-Xbatch"));
    assertEquals(List.of("--add-modules", "jdk.incubator.vector", "-cp", "target/benchmarks.jar",
        "io.github.logits4j.bench.BenchMain"), args.subList(0, 5));
    assertEquals(List.of("FloatActivations", "-p", "shape=1024x1000"), args.subList(args.size() - 3, args.size()));
    assertFalse(args.contains("--torch-bench"));
  }

  @Test
  void torchBenchAddsPyTorch() throws Exception {
    List<String> args = javaArgs(Map.of("TORCH_BENCH", "/peers/torch_bench.py"), "--report-only");
    int i = args.indexOf("--torch-bench");
    assertEquals(List.of("--torch-bench", "/peers/torch_bench.py", "--python", "/usr/bin/python3"),
        args.subList(i, i + 4));
    args = javaArgs(Map.of("TORCH_BENCH", "/peers/torch_bench.py", "PYTHON", "/opt/py/bin/python"));
    assertEquals("/opt/py/bin/python", args.get(args.indexOf("--python") + 1));
    assertEquals(1, Collections.frequency(args, "--torch-bench"));
  }
}
