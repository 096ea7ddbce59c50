package io.github.logits4j.spark;

import java.io.Serial;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.util.AccumulatorV2;

/**
 * Collects one {@link Partial} per partition, keyed by partition index: a partition computed twice (a task
 * retried, a second action) replaces its earlier entry with the same figures instead of adding them again.
 */
final class MetricsAccumulator extends AccumulatorV2<MetricsAccumulator.Partial, Map<Integer, MetricsAccumulator.Partial>> {
  @Serial
  private static final long serialVersionUID = 1L;

  /** One partition's figures. */
  static final class Partial implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    final int partition;
    long rows;
    long nullRows;
    long skippedRows;
    long badLabelRows;
    long labelledRows;
    final ExactSum lossSum = new ExactSum();
    long correct;
    long topKCorrect;

    Partial(int partition) {
      this.partition = partition;
    }
  }

  private final TreeMap<Integer, Partial> parts = new TreeMap<>();

  @Override
  public boolean isZero() {
    synchronized (parts) {
      return parts.isEmpty();
    }
  }

  @Override
  public MetricsAccumulator copy() {
    MetricsAccumulator c = new MetricsAccumulator();
    synchronized (parts) {
      c.parts.putAll(parts);
    }
    return c;
  }

  @Override
  public void reset() {
    synchronized (parts) {
      parts.clear();
    }
  }

  @Override
  public void add(Partial p) {
    synchronized (parts) {
      parts.put(p.partition, p);
    }
  }

  @Override
  public void merge(AccumulatorV2<Partial, Map<Integer, Partial>> other) {
    Map<Integer, Partial> o = other.value();
    synchronized (parts) {
      parts.putAll(o);
    }
  }

  @Override
  public Map<Integer, Partial> value() {
    synchronized (parts) {
      return new TreeMap<>(parts);
    }
  }
}
