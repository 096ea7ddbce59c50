package io.github.logits4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link VariantsBenchmark} lists every variant of the registry, so that none goes unmeasured. */
class VariantsBenchmarkTest {
  @Test
  void theListHoldsEveryVariantOfTheRegistry() throws Exception {
    assertEquals(Set.of(), VariantsBenchmark.unlisted());
  }
}
