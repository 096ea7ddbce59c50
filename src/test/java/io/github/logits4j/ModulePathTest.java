package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The library as users start it, each in a child JVM running {@code probe.ModuleProbe}: on the module path
 * and on the class path, with and without the Vector API module, and on VMs where C2 will not compile the
 * kernels. Where the vector kernels cannot run the library says why in one warning and computes with its
 * scalar kernels; on the module path its internal packages are closed to callers.
 */
class ModulePathTest {
  private static final Path CLASSES = Path.of("target", "classes");
  private static final Path TEST_CLASSES = Path.of("target", "test-classes");
  private static final String PROBE = "io.github.logits4j.probe.ModuleProbe";

  /** The probe's {@code key=value} lines, and its stderr under the key {@code stderr}. */
  static Map<String, String> probe(boolean modulePath, String... jvmArgs) throws IOException, InterruptedException {
    assertTrue(Files.exists(CLASSES.resolve("module-info.class")), "the library is a named module");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmArgs));
    if (modulePath) {
      command.addAll(List.of("--module-path", CLASSES.toString(), "--add-modules", "io.github.logits4j", "-cp",
          TEST_CLASSES.toString()));
    } else {
      command.addAll(List.of("-cp", CLASSES + java.io.File.pathSeparator + TEST_CLASSES));
    }
    command.add(PROBE);
    Process p = new ProcessBuilder(command).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe timed out");
    assertEquals(0, p.exitValue(), () -> "probe failed: " + command + "\n" + out + err);
    Map<String, String> result = new TreeMap<>();
    for (String line : out.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        result.put(line.substring(0, eq), line.substring(eq + 1).trim());
      }
    }
    result.put("stderr", err);
    result.put("stdout", out);
    return result;
  }

  /** Lines of stderr that carry a warning from the library. */
  static long warnings(String stderr) {
    return stderr.lines().filter(l -> l.contains("WARNING") && l.contains("logits4j")).count();
  }

  static void assertComputes(Map<String, String> r) {
    assertEquals("0.25,0.75", r.get("softmax"), "softmax of [0, ln 3]");
  }

  @Test
  void modulePathWithoutTheVectorModuleFallsBackWithOneWarning() throws Exception {
    Map<String, String> r = probe(true);
    assertEquals("io.github.logits4j", r.get("module"));
    assertEquals("scalar", r.get("implementation"));
    assertComputes(r);
    assertEquals(1, warnings(r.get("stderr")), r.get("stderr"));
    assertTrue(r.get("stderr").contains("--add-modules jdk.incubator.vector"), r.get("stderr"));
  }

  @Test
  void modulePathWithTheVectorModuleRunsTheVectorKernels() throws Exception {
    Map<String, String> r = probe(true, "--add-modules", "jdk.incubator.vector");
    assertTrue(r.get("implementation").startsWith("panama-"), r.toString());
    assertComputes(r);
    assertEquals(0, warnings(r.get("stderr")), r.get("stderr"));
  }

  @Test
  void modulePathClosesTheInternalPackages() throws Exception {
    assertEquals("inaccessible", probe(true).get("internal"));
  }

  @Test
  void classPathWithoutTheVectorModuleFallsBackWithOneWarning() throws Exception {
    Map<String, String> r = probe(false);
    assertEquals("scalar", r.get("implementation"));
    assertComputes(r);
    assertEquals(1, warnings(r.get("stderr")), r.get("stderr"));
    assertTrue(r.get("stderr").contains("--add-modules jdk.incubator.vector"), r.get("stderr"));
  }

  @Test
  void classPathWithTheVectorModuleRunsTheVectorKernels() throws Exception {
    Map<String, String> r = probe(false, "--add-modules", "jdk.incubator.vector");
    assertTrue(r.get("implementation").startsWith("panama-"), r.toString());
    assertComputes(r);
  }

  /**
   * Without C2 every vector is a boxed object: the guard keeps the vector kernels off and says why. The
   * first two show in {@code java.vm.info}; the last two only in the VM's options, which the provider reads
   * on a thread of its own while the kernels' classes load.
   */
  @Test
  void withoutC2TheScalarKernelsRun() throws Exception {
    String scalarBits = probe(true, "--add-modules", "jdk.incubator.vector", "-Dlogits4j.scalar=true")
        .get("firstCallBits");
    String vectorBits = probe(true, "--add-modules", "jdk.incubator.vector").get("firstCallBits");
    assertNotEquals(vectorBits, scalarBits, "the first call's rows must tell the two kernels apart");
    for (String[] flags : new String[][] {{"-Xint"}, {"-XX:TieredStopAtLevel=1"}, {"-XX:TieredStopAtLevel=3"},
        {"-XX:-UseCompiler"}}) {
      List<String> args = new ArrayList<>(List.of(flags));
      args.addAll(List.of("--add-modules", "jdk.incubator.vector"));
      Map<String, String> r = probe(true, args.toArray(String[]::new));
      assertEquals("scalar", r.get("implementation"), flags[0]);
      assertComputes(r);
      assertEquals(1, warnings(r.get("stderr")), r.get("stderr"));
      // the first call ran the twin before the check answered, then the scalar kernels over the same rows
      assertEquals(scalarBits, r.get("firstCallBits"), flags[0]);
    }
  }

  /**
   * A cold JVM's first float softmax calls run the scalar twin while a daemon thread warms the vector
   * kernels, and give the bits of the vector kernels, which {@code -Dlogits4j.coldStart=vector} runs from
   * the first call without the thread; at every width. While the twin runs, a float softmax call large
   * enough to split keeps to its calling thread (the vector kernels' calls split).
   */
  @Test
  void aColdJvmRunsTheTwinWithTheVectorKernelsBits() throws Exception {
    for (String bits : new String[] {"512", "256", "128"}) {
      String width = "-Dlogits4j.vectorBits=" + bits;
      Map<String, String> twin = probe(false, "--add-modules", "jdk.incubator.vector", width);
      Map<String, String> vector = probe(false, "--add-modules", "jdk.incubator.vector", width,
          "-Dlogits4j.coldStart=vector");
      assertEquals("false", twin.get("warmUpThreadEarly"), bits + " bits: " + twin);
      assertEquals("true", twin.get("warmUpThread"), bits + " bits: " + twin);
      assertEquals("false", vector.get("warmUpThread"), bits + " bits: " + vector);
      assertEquals(vector.get("softmaxBits"), twin.get("softmaxBits"), bits + " bits");
      assertEquals(vector.get("firstCallBits"), twin.get("firstCallBits"), bits + " bits");
      // split, a cold call's second thread took the core the JIT compiles on
      assertEquals("0", twin.get("commonPoolThreadsCold"), bits + " bits: " + twin);
      if (Runtime.getRuntime().availableProcessors() > 1) {
        assertNotEquals("0", vector.get("commonPoolThreadsCold"), bits + " bits: " + vector);
      }
      assertTrue(twin.get("implementation").startsWith("panama-"), twin.toString());
    }
  }

  /**
   * A cold JVM's first float softmax calls, the twin's, create no vector species: creating them loads and
   * initialises the Vector API's vector classes, about 50 ms of the first call, which the warm-up thread
   * pays later instead. Checked in the class-loading log, up to the probe's line after its first calls;
   * with {@code -Dlogits4j.coldStart=vector} the same log shows the species' classes, so the check can fail.
   */
  @Test
  void aColdJvmsFirstSoftmaxCallsCreateNoVectorSpecies() throws Exception {
    Pattern speciesClasses = Pattern.compile(
        "io\\.github\\.logits4j\\.internal\\.panama\\.VectorWidth |jdk\\.incubator\\.vector\\.Float(64|128|256|512|Max)Vector ");
    for (String bits : new String[] {"512", "256", "128"}) {
      String width = "-Dlogits4j.vectorBits=" + bits;
      String twin = beforeFirstCallsEnd(probe(false, "--add-modules", "jdk.incubator.vector", width,
          "-Xlog:class+load=info:stdout"));
      String vector = beforeFirstCallsEnd(probe(false, "--add-modules", "jdk.incubator.vector", width,
          "-Dlogits4j.coldStart=vector", "-Xlog:class+load=info:stdout"));
      Matcher loaded = speciesClasses.matcher(twin);
      assertFalse(loaded.find(), () -> bits + " bits: loaded during the first calls: " + loaded.group());
      assertTrue(speciesClasses.matcher(vector).find(), bits + " bits, vector kernels from the first call");
    }
  }

  private static String beforeFirstCallsEnd(Map<String, String> r) {
    String out = r.get("stdout");
    int end = out.indexOf("warmUpThreadEarly=");
    assertTrue(end > 0, out);
    return out.substring(0, end);
  }

  /** Vectors narrower than 128 bits do not pay for the kernels' setup: the scalar kernels run, and say why. */
  @Test
  void narrowVectorsRunTheScalarKernels() throws Exception {
    Map<String, String> r = probe(true, "--add-modules", "jdk.incubator.vector", "-XX:MaxVectorSize=8");
    assertEquals("scalar", r.get("implementation"), r.toString());
    assertComputes(r);
    assertEquals(1, warnings(r.get("stderr")), r.get("stderr"));
  }

  /** {@code logits4j.vectorBits} narrows the vector width, for tests and tuning. */
  @Test
  void vectorBitsNarrowsTheWidth() throws Exception {
    Map<String, String> r = probe(true, "--add-modules", "jdk.incubator.vector", "-Dlogits4j.vectorBits=128");
    assertEquals("panama-128", r.get("implementation"));
    assertComputes(r);
  }

  /** {@code logits4j.scalar=true} forces the scalar kernels, without a warning. */
  @Test
  void scalarPropertyForcesTheScalarKernels() throws Exception {
    Map<String, String> r = probe(true, "--add-modules", "jdk.incubator.vector", "-Dlogits4j.scalar=true");
    assertEquals("scalar", r.get("implementation"));
    assertEquals(0, warnings(r.get("stderr")), r.get("stderr"));
  }
}
