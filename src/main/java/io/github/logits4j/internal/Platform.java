package io.github.logits4j.internal;

import java.lang.management.ManagementFactory;

/**
 * The platform checks before the Vector API kernels are used: the module, the VM, its JIT compiler.
 *
 * <p>On HotSpot, the Vector API is fast only once C2 has compiled the kernels: the interpreter and C1
 * run every vector operation as Java code over boxed objects. So a VM without C2 ({@code -Xint},
 * {@code -XX:TieredStopAtLevel=1} to 3, {@code -XX:-UseCompiler}, a client build) and any VM that is not
 * HotSpot get the scalar kernels. The VM options are read through {@code jdk.management}'s diagnostic
 * bean where that module is present (on a thread of its own, {@link CompilerCheck}), and otherwise from
 * {@code java.vm.info}.
 */
final class Platform {
  private Platform() {}

  /**
   * Why the Vector API kernels should not run here, or null if they should: the checks that cost nothing
   * (the module, the VM's name and mode). The compiler's options are read by {@link CompilerCheck}.
   */
  static String whyNotVector(String module) {
    String missing = KernelProvider.missingModule(module).orElse(null);
    if (missing != null) {
      return missing;
    }
    String vm = System.getProperty("java.vm.name", "");
    if (!vm.contains("HotSpot") && !vm.contains("OpenJDK")) {
      return "the Java VM is " + vm + ", not HotSpot, where the Vector API kernels are not known to be fast";
    }
    String info = System.getProperty("java.vm.info", "");
    if (info.contains("interpreted mode")) {
      return "the JVM runs in interpreted mode (-Xint), where every vector is a boxed object; remove -Xint";
    }
    if (info.contains("emulated-client")) {
      return "the JVM runs without C2 (client emulation), where every vector is a boxed object";
    }
    return null;
  }

  /** Why the JIT's options keep C2 from compiling the kernels, or null if they do not. */
  static String whyNotCompiled() {
    String useCompiler = vmOption("UseCompiler");
    if ("false".equals(useCompiler)) {
      return "the JIT compiler is off (-XX:-UseCompiler), where every vector is a boxed object";
    }
    String level = vmOption("TieredStopAtLevel");
    if (level != null && !level.isEmpty() && Integer.parseInt(level) < 4) {
      return "-XX:TieredStopAtLevel=" + level + " keeps C2 from compiling the kernels, where every vector"
          + " is a boxed object";
    }
    return null;
  }

  /** A HotSpot VM option's value, or null where it cannot be read. */
  static String vmOption(String name) {
    try {
      return ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
          .getVMOption(name).getValue();
    } catch (LinkageError | RuntimeException e) {
      return null;  // jdk.management absent, or an option this VM does not have
    }
  }

  /**
   * {@link #whyNotCompiled} on a thread of its own, started before the kernels' classes load and joined
   * by the first call that needs the choice of kernels: the diagnostic bean that reads the options starts
   * the management library, 10 to 25 ms of a cold JVM's first call, which this overlaps with the loading
   * of the kernels and a first float softmax (see {@code KernelProvider}). A class rather than a lambda: a
   * cold JVM's first lambda costs milliseconds of its own.
   */
  static final class CompilerCheck extends Thread {
    private volatile String reason;

    CompilerCheck() {
      super("logits4j-compiler-check");
      setDaemon(true);
    }

    static CompilerCheck begin() {
      CompilerCheck check = new CompilerCheck();
      check.start();
      return check;
    }

    @Override
    public void run() {
      reason = whyNotCompiled();
    }

    /** The check's answer, waiting for it; on an interrupt, the check runs on the calling thread. */
    String reason() {
      try {
        join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return whyNotCompiled();
      }
      return reason;
    }
  }
}
