package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /** {@link Logits#version()} is the version in the library's pom, not a placeholder. */
  @Test
  void saysItsOwnVersion() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher m = Pattern.compile("<artifactId>logits4j</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
    assertTrue(m.find(), "the library's version in pom.xml");
    assertEquals(m.group(1), Logits.version());
  }
}
