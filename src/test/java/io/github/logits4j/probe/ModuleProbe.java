package io.github.logits4j.probe;

import io.github.logits4j.Logits;

/**
 * Run by {@code ModulePathTest} in a child JVM, on the module path or the class path: prints which kernels
 * the library chose, one softmax it computed, and whether its internal packages can be reached.
 */
public final class ModuleProbe {
  private ModuleProbe() {}

  public static void main(String[] args) {
    float[] y = new float[2];
    Logits.softmax(new float[] {0f, (float) Math.log(3)}, y, 2);
    System.out.println("implementation=" + Logits.implementation());
    System.out.println("module=" + Logits.class.getModule().getName());
    System.out.println("softmax=" + y[0] + "," + y[1]);
    String internal;
    try {
      Class.forName("io.github.logits4j.internal.KernelProvider").getMethod("kernels").invoke(null);
      internal = "accessible";
    } catch (IllegalAccessException e) {
      internal = "inaccessible";
    } catch (ReflectiveOperationException e) {
      internal = "error " + e;
    }
    System.out.println("internal=" + internal);
  }
}
