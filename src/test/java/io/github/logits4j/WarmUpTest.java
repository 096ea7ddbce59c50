package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Logits#warmUp()} returns within its limit and changes no result. */
class WarmUpTest {
  @Test
  void warmUpEndsAndChangesNoBits() throws Exception {
    float[] x = ParallelismTest.floats(64 * 1000, 4);
    float[] before = new float[x.length], after = new float[x.length];
    Logits.softmax(x, before, 1000);
    long t = System.nanoTime();
    Thread other = Thread.ofPlatform().start(Logits::warmUp);   // from any thread, concurrently
    Logits.warmUp();
    other.join();
    double seconds = (System.nanoTime() - t) / 1e9;
    assertTrue(seconds < 25, "warmUp took " + seconds + " s");
    Logits.softmax(x, after, 1000);
    assertArrayEquals(before, after);
  }
}
