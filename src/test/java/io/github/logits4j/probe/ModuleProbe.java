package io.github.logits4j.probe;

import io.github.logits4j.Logits;

/**
 * Run by {@code ModulePathTest} in a child JVM, on the module path or the class path: prints which kernels
 * the library chose, one softmax it computed, whether its internal packages can be reached, the hashes of
 * two larger softmax results computed in place by the JVM's first calls, and whether the warm-up thread of
 * the cold start runs.
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
    // a batch of wide and one of narrow rows, whose bits a cold JVM's first calls must give whichever code
    // runs them, and whether the background warm-up of the vector kernels runs
    float[] wide = new float[64 * 1000], narrow = new float[256 * 10];
    for (int i = 0; i < wide.length; i++) {
      wide[i] = (i * 7919 % 2003 - 1001) / 97f;
    }
    for (int i = 0; i < narrow.length; i++) {
      narrow[i] = (i * 104729 % 4099 - 2049) / 301f;
    }
    Logits.softmax(wide, wide, 1000);
    Logits.softmax(narrow, 0, narrow, 0, 256, 10);
    System.out.println("softmaxBits=" + java.util.Arrays.hashCode(wide) + "," + java.util.Arrays.hashCode(narrow));
    // the warm-up thread starts once the twin has run 2^22 entries, not before
    System.out.println("warmUpThreadEarly=" + warmUpThread());
    float[] out = new float[wide.length];
    for (int i = 0; i < 66; i++) {
      Logits.softmax(wide, out, 1000);
    }
    System.out.println("warmUpThread=" + warmUpThread());
  }

  private static boolean warmUpThread() {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("logits4j-warm-up"));
  }
}
