package io.github.logits4j.probe;

import io.github.logits4j.Logits;

/**
 * Run by {@code ModulePathTest} in a child JVM, on the module path or the class path: prints the bits of the
 * JVM's first call, which kernels the library chose, one softmax it computed, whether its internal packages can be reached, the hashes of
 * two larger softmax results computed in place by the JVM's first calls, how many threads the common pool
 * had started after a first call large enough to split, and whether the warm-up thread of the cold start
 * runs.
 */
public final class ModuleProbe {
  private ModuleProbe() {}

  public static void main(String[] args) {
    // the JVM's first call, out of place, over rows whose softmax bits differ between the vector kernels
    // and the scalar ones: it may run before the choice of kernels is known, and must give the chosen bits
    float[] first = new float[64 * 1000], firstOut = new float[first.length];
    for (int i = 0; i < first.length; i++) {
      first[i] = (i * 7919 % 2003 - 1001) / 97f;
    }
    Logits.softmax(first, firstOut, 1000);
    System.out.println("firstCallBits=" + java.util.Arrays.hashCode(firstOut));
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
    // a batch large enough to split across threads: while the twin runs, the call keeps to this thread
    float[] large = new float[1024 * 1000];
    Logits.softmax(large, large, 1000);
    System.out.println("commonPoolThreadsCold=" + java.util.concurrent.ForkJoinPool.commonPool().getPoolSize());
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
