package io.github.logits4j.internal.parallel;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How a batch is split between threads: an executor, a number of parts and a size threshold in elements
 * below which the calling thread does all the work. The public {@code Parallelism} wraps one and binds it
 * to {@link #CURRENT} for a scope; outside any scope, {@link #current()} is the default of the JVM.
 *
 * <p>A split batch runs as contiguous ranges of units (rows, or elements for the elementwise ops) whose
 * boundaries are multiples of a grain, one per thread. Each range is claimed in order by whichever thread
 * comes first, the calling thread included: the caller submits {@code parts - 1} tasks, then claims ranges
 * itself until none is left, then waits for the ranges others claimed. So a busy or saturated executor, or a call from inside the
 * executor's own threads, never deadlocks: the caller simply does more of the work.
 */
public final class Split {
  /** The default threshold, in elements. */
  public static final long DEFAULT_THRESHOLD = 131072;

  /** The system property that selects the default; {@code single} keeps every call on its thread. */
  public static final String PROPERTY = "logits4j.parallelism";

  /** The split of the current scope, if one is bound. */
  public static final ScopedValue<Split> CURRENT = ScopedValue.newInstance();

  /** Every call on its own thread. */
  public static final Split SINGLE = new Split(null, 1, DEFAULT_THRESHOLD);

  /** The common ForkJoinPool, one part per core. */
  public static final Split AUTOMATIC =
      new Split(ForkJoinPool.commonPool(), Runtime.getRuntime().availableProcessors(), DEFAULT_THRESHOLD);

  /** The default of this JVM: {@link #AUTOMATIC} unless {@value #PROPERTY} is {@code single}. */
  public static final Split DEFAULT = defaultSplit(System.getProperty(PROPERTY));

  private final Executor executor;
  private final int parts;
  private final long threshold;

  /**
   * A split over {@code executor} in at most {@code parts} parts, for batches of at least
   * {@code threshold} elements; {@code executor} null or {@code parts} 1 means single-threaded.
   */
  public Split(Executor executor, int parts, long threshold) {
    if (parts < 1) {
      throw new IllegalArgumentException("parts must be >= 1, was " + parts);
    }
    if (threshold < 0) {
      throw new IllegalArgumentException("threshold must be >= 0, was " + threshold);
    }
    this.executor = executor;
    this.parts = executor == null ? 1 : parts;
    this.threshold = threshold;
  }

  public static Split defaultSplit(String property) {
    if (property == null || property.isEmpty() || property.equals("automatic")) {
      return AUTOMATIC;
    }
    if (property.equals("single")) {
      return SINGLE;
    }
    System.getLogger("io.github.logits4j").log(System.Logger.Level.WARNING, "logits4j: ignoring " + PROPERTY
        + "=" + property + " (expected single or automatic); using all cores");
    return AUTOMATIC;
  }

  /** The split of the current scope, or the JVM's default. */
  public static Split current() {
    return CURRENT.orElse(DEFAULT);
  }

  public Executor executor() {
    return executor;
  }

  public int parts() {
    return parts;
  }

  public long threshold() {
    return threshold;
  }

  /** A copy with another threshold. */
  public Split withThreshold(long elements) {
    return new Split(executor, parts, elements);
  }

  /**
   * The number of ranges for a batch of {@code elements} elements in {@code units} units split at multiples
   * of {@code grain}: 1 below the threshold, otherwise {@link #PIECES_PER_THREAD} per thread, at most one
   * per grain.
   */
  public int partsFor(long elements, long units, long grain) {
    if (parts == 1 || elements < threshold || elements == 0) {
      return 1;
    }
    long grains = (units + grain - 1) / grain;
    return (int) Math.min((long) parts * PIECES_PER_THREAD, grains);
  }

  /**
   * Ranges per thread. One: contiguous halves on two threads. (Four per thread, so that a thread descheduled
   * on a busy machine would hold up a small range only, made the vector kernels allocate on some ranges of
   * 64 rows, and was left out.)
   */
  static final int PIECES_PER_THREAD = 1;

  /** A body of work over units {@code [from, to)}. */
  @FunctionalInterface
  public interface Range {
    void run(long from, long to);
  }

  /**
   * Runs {@code body} over {@code [0, units)} in {@code n} contiguous ranges whose boundaries are multiples
   * of {@code grain}, on the calling thread and at most {@code parts - 1} tasks of the executor, returning
   * when all are done; rethrows the first failure of any range.
   */
  public void run(int n, long units, long grain, Range body) {
    Objects.requireNonNull(body);
    if (n <= 1) {
      body.run(0, units);
      return;
    }
    Job job = new Job(n, units, grain, body);
    int helpers = Math.min(parts, n) - 1;
    for (int i = 0; i < helpers; i++) {
      try {
        executor.execute(job);
      } catch (RejectedExecutionException e) {
        break;  // the calling thread does the rest
      }
    }
    job.run();
    job.await();
  }

  /** The parts of one split batch, claimed in order by whichever thread comes first. */
  private static final class Job implements Runnable {
    private final int parts;
    private final long units;
    private final long grains;
    private final long grain;
    private final Range body;
    private final AtomicInteger next = new AtomicInteger();
    private final CountDownLatch done;
    private volatile Throwable failure;

    Job(int parts, long units, long grain, Range body) {
      this.parts = parts;
      this.units = units;
      this.grain = grain;
      this.grains = (units + grain - 1) / grain;
      this.body = body;
      this.done = new CountDownLatch(parts);
    }

    /** The first unit of part {@code i}: a multiple of the grain, {@code units} for {@code i == parts}. */
    private long start(int i) {
      long g = grains / parts * i + grains % parts * i / parts;  // floor(grains * i / parts), no overflow
      return Math.min(units, g * grain);
    }

    @Override
    public void run() {
      for (int i; (i = next.getAndIncrement()) < parts; ) {
        try {
          if (failure == null) {
            long from = start(i), to = start(i + 1);
            if (from < to) {
              body.run(from, to);
            }
          }
        } catch (Throwable t) {
          if (failure == null) {
            failure = t;
          }
        } finally {
          done.countDown();
        }
      }
    }

    void await() {
      boolean interrupted = false;
      while (true) {
        try {
          done.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      Throwable t = failure;
      if (t instanceof RuntimeException r) {
        throw r;
      }
      if (t instanceof Error e) {
        throw e;
      }
      if (t != null) {
        throw new IllegalStateException(t);
      }
    }
  }
}
