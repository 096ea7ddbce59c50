package io.github.logits4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactSumTest {
  @Test
  void matchesBigDecimalInAnyOrderAndSplit() {
    Random rnd = new Random(7);
    for (int trial = 0; trial < 50; trial++) {
      List<Double> xs = new ArrayList<>();
      int n = 1 + rnd.nextInt(2000);
      for (int i = 0; i < n; i++) {
        double v = switch (i % 4) {
          case 0 -> rnd.nextDouble() * 10;
          case 1 -> Math.scalb(rnd.nextDouble(), rnd.nextInt(2000) - 1070);
          case 2 -> -rnd.nextGaussian() * 1e-3;
          default -> Math.scalb(rnd.nextGaussian(), rnd.nextInt(60) - 30);
        };
        xs.add(v);
      }
      BigDecimal exact = BigDecimal.ZERO;
      for (double v : xs) {
        exact = exact.add(new BigDecimal(v));
      }
      double expected = exact.doubleValue();
      ExactSum whole = new ExactSum();
      xs.forEach(whole::add);
      assertEquals(expected, whole.value(), 0.0);
      Collections.shuffle(xs, rnd);
      int parts = 1 + rnd.nextInt(7);
      ExactSum merged = new ExactSum();
      for (int p = 0; p < parts; p++) {
        ExactSum part = new ExactSum();
        for (int i = p; i < xs.size(); i += parts) {
          part.add(xs.get(i));
        }
        merged.add(part);
      }
      assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(merged.value()));
    }
  }

  @Test
  void specialValuesAndCancellation() {
    ExactSum s = new ExactSum();
    s.add(1e308);
    s.add(1e308);
    s.add(-1e308);
    s.add(Double.MIN_VALUE);
    assertEquals(new BigDecimal(1e308).add(new BigDecimal(Double.MIN_VALUE)).doubleValue(), s.value(), 0.0);
    s.add(Double.POSITIVE_INFINITY);
    assertEquals(Double.POSITIVE_INFINITY, s.value(), 0.0);
    s.add(Double.NEGATIVE_INFINITY);
    assertEquals(Double.NaN, s.value(), 0.0);
    assertEquals(0.0, new ExactSum().value(), 0.0);
  }
}
