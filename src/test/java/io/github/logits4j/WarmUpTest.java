package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Logits#warmUp()} returns within its limits (the cold start's warm-up thread, 10 s at most, then its
 * own rounds, 10 s at most), after that thread has ended, and changes no result.
 */
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
    assertTrue(seconds < 35, "warmUp took " + seconds + " s");
    // it waited for the cold start's warm-up thread, which is gone once it has counted down (see ColdStart)
    Thread.sleep(50);
    assertFalse(Thread.getAllStackTraces().keySet().stream()
        .anyMatch(th -> th.getName().equals("logits4j-warm-up") && th.isAlive()), "the warm-up thread still runs");
    Logits.softmax(x, after, 1000);
    assertArrayEquals(before, after);
  }
}
