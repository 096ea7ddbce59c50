package io.github.logits4j;

/**
 * Runs {@link AllocationTest}'s mixed workload (every public op, both dtypes, every standard shape but the
 * widest, interleaved) for at least the seconds and the rounds its arguments give, so that C2 compiles
 * every kernel it reaches;
 * {@code InliningBudgetTest} reads the compilation log this JVM writes.
 */
public final class MixedWorkloadCompileProbe {
  private MixedWorkloadCompileProbe() {}

  public static void main(String[] args) {
    int rounds = AllocationTest.warmUp(AllocationTest.workload(), Long.parseLong(args[0]), Integer.parseInt(args[1]));
    System.out.println(Logits.implementation() + ", rounds=" + rounds);
  }
}
