package io.github.logits4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentTest {
  static final String X86 = """
      processor\t: 0
      vendor_id\t: AuthenticAMD
      model name\t: AMD EPYC
      flags\t\t: fpu sse sse2 sse4_2 avx fma avx2 avx512f avx512dq avx512bw avx512vl sha_ni

      processor\t: 1
      model name\t: AMD EPYC
      """;
  static final String ARM = """
      processor\t: 0
      BogoMIPS\t: 50.00
      Features\t: fp asimd evtstrm aes sve
      CPU implementer\t: 0x41
      """;

  static Properties system() {
    Properties p = new Properties();
    p.setProperty("os.arch", "amd64");
    p.setProperty("os.name", "Linux");
    p.setProperty("java.runtime.version", "25.0.3+9-LTS");
    p.setProperty("java.vendor", "Eclipse Adoptium");
    p.setProperty("java.vm.name", "OpenJDK 64-Bit Server VM");
    return p;
  }

  @Test
  void readsTheCpuModelAndItsVectorInstructions() {
    Environment e = Environment.capture("2026-12-02T16:00:00Z", "quick", List.of("-f", "1"), "abc1234", X86,
        () -> {
          throw new AssertionError("lscpu is not needed when /proc/cpuinfo names the model");
        }, system(), 2, "panama-512", "1.24.1");
    assertEquals("AMD EPYC", e.cpuModel());
    assertEquals(List.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq"), e.cpuFlags());
    assertEquals(2, e.logicalCpus());
    assertEquals("25.0.3+9-LTS", e.javaVersion());
    assertEquals("Eclipse Adoptium", e.javaVendor());
    assertEquals("panama-512", e.implementation());
  }

  @Test
  void asksLscpuWhenCpuinfoNamesNoModel() {
    Environment e = Environment.capture("d", "full", List.of(), null, ARM, () -> "Architecture: aarch64\n"
        + "Model name:            Neoverse-N1\n", system(), 4, "panama-128", null);
    assertEquals("Neoverse-N1", e.cpuModel());
    assertEquals(List.of("asimd", "sve"), e.cpuFlags());
  }

  @Test
  void writtenAndReadBackUnchanged(@TempDir Path dir) throws Exception {
    Environment e = Environment.capture("2026-12-02T16:00:00Z", "quick", List.of("-f", "1"), "abc1234", X86,
        () -> "", system(), 2, "panama-512", "1.24.1").withNote("a \"quoted\" note");
    e.write(dir.resolve("environment.json"));
    assertEquals(e, Environment.read(dir.resolve("environment.json")));
  }
}
