package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Each surefire run states which kernels it means to test (system property {@code logits4j.expect}); this
 * test fails if the library picked anything else, so a run can never silently test the wrong path.
 */
class ImplementationTest {
  @Test
  void runsTheExpectedKernels() {
    String expected = System.getProperty("logits4j.expect");
    if (expected == null) {
      return;
    }
    if (expected.endsWith("*")) {
      String prefix = expected.substring(0, expected.length() - 1);
      assertTrue(Logits.implementation().startsWith(prefix), () -> "expected " + expected + ", got "
          + Logits.implementation());
    } else {
      assertEquals(expected, Logits.implementation());
    }
  }
}
