package io.github.logits4j.bench.report;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Where and how a run was made, recorded next to its results ({@code environment.json}) when it starts, so
 * that a report made again later from the same files describes the machine the run was made on, not the one
 * the report is made on. Any field may be null when unknown.
 *
 * @param date when the run started (ISO-8601)
 * @param mode {@code full} or {@code quick}
 * @param arguments the JMH options given on the command line
 * @param commit the source revision, {@code -dirty} when the work tree had changes
 * @param note free text about the run, shown in the report
 * @param cpuModel the CPU's model name
 * @param cpuFlags the vector instruction sets the CPU reports (e.g. {@code avx2}, {@code avx512f}, {@code asimd})
 * @param logicalCpus the processors available to the JVM
 * @param javaVersion {@code java.runtime.version}
 * @param javaVendor {@code java.vendor}
 * @param javaVmName {@code java.vm.name}
 * @param implementation what {@code Logits.implementation()} says: the kernels and their vector width
 * @param onnxRuntime the ONNX Runtime version on the class path
 */
public record Environment(String date, String mode, List<String> arguments, String commit, String note,
    String cpuModel, List<String> cpuFlags, Integer logicalCpus, String osArch, String osName, String javaVersion,
    String javaVendor, String javaVmName, String implementation, String onnxRuntime) {
  static final String FILE = "environment.json";

  /** The CPU flags worth naming for SIMD kernels, in the order the report lists them. */
  static final List<String> VECTOR_FLAGS = List.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw",
      "avx512vl", "avx512dq", "asimd", "sve", "sve2");

  public Environment {
    arguments = arguments == null ? List.of() : List.copyOf(arguments);
    cpuFlags = cpuFlags == null ? List.of() : List.copyOf(cpuFlags);
  }

  /**
   * This machine and JVM now.
   *
   * @param cpuinfo the text of {@code /proc/cpuinfo}, or empty
   * @param lscpu the output of {@code lscpu}, asked for only when {@code cpuinfo} names no model
   */
  public static Environment capture(String date, String mode, List<String> arguments, String commit, String cpuinfo,
      Supplier<String> lscpu, Properties system, int logicalCpus, String implementation, String onnxRuntime) {
    String model = field(cpuinfo, "model name");
    if (model == null) {
      model = field(lscpu.get(), "Model name");
    }
    String flags = field(cpuinfo, "flags");
    if (flags == null) {
      flags = field(cpuinfo, "Features");
    }
    List<String> vector = new ArrayList<>();
    if (flags != null) {
      Set<String> present = Set.of(flags.trim().split("\\s+"));
      VECTOR_FLAGS.stream().filter(present::contains).forEach(vector::add);
    }
    return new Environment(date, mode, arguments, commit, null, model, vector, logicalCpus,
        system.getProperty("os.arch"), system.getProperty("os.name"), system.getProperty("java.runtime.version"),
        system.getProperty("java.vendor"), system.getProperty("java.vm.name"), implementation, onnxRuntime);
  }

  /** The value of the first {@code name : value} line of {@code text}, or null. */
  static String field(String text, String name) {
    if (text == null) {
      return null;
    }
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
        String value = line.substring(colon + 1).trim();
        return value.isEmpty() ? null : value;
      }
    }
    return null;
  }

  /** The same environment with a note. */
  Environment withNote(String text) {
    return new Environment(date, mode, arguments, commit, text, cpuModel, cpuFlags, logicalCpus, osArch, osName,
        javaVersion, javaVendor, javaVmName, implementation, onnxRuntime);
  }

  public void write(Path file) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("date", date);
    m.put("mode", mode);
    m.put("arguments", arguments);
    m.put("commit", commit);
    m.put("note", note);
    m.put("cpuModel", cpuModel);
    m.put("cpuFlags", cpuFlags);
    m.put("logicalCpus", logicalCpus);
    m.put("osArch", osArch);
    m.put("osName", osName);
    m.put("javaVersion", javaVersion);
    m.put("javaVendor", javaVendor);
    m.put("javaVmName", javaVmName);
    m.put("implementation", implementation);
    m.put("onnxRuntime", onnxRuntime);
    Files.writeString(file, JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(m) + "\n");
  }

  public static Environment read(Path file) throws IOException {
    Map<String, Object> m = JSON.std.mapFrom(Files.readString(file));
    return new Environment(string(m, "date"), string(m, "mode"), strings(m, "arguments"), string(m, "commit"),
        string(m, "note"), string(m, "cpuModel"), strings(m, "cpuFlags"),
        m.get("logicalCpus") instanceof Number n ? n.intValue() : null, string(m, "osArch"), string(m, "osName"),
        string(m, "javaVersion"), string(m, "javaVendor"), string(m, "javaVmName"), string(m, "implementation"),
        string(m, "onnxRuntime"));
  }

  private static String string(Map<String, Object> m, String key) {
    return m.get(key) == null ? null : String.valueOf(m.get(key));
  }

  private static List<String> strings(Map<String, Object> m, String key) {
    List<String> out = new ArrayList<>();
    if (m.get(key) instanceof List<?> l) {
      l.forEach(o -> out.add(String.valueOf(o)));
    }
    return out;
  }
}
