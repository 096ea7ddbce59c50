package io.github.logits4j;

import io.github.logits4j.internal.parallel.Split;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * How logits4j spreads a large batch over threads. Every operation of {@link Logits}, {@link FastLogits},
 * {@link CrossEntropy} and {@link BinaryCrossEntropy}, over arrays, segments and buffers alike, splits a
 * batch of at least {@link #threshold()} elements ({@value #DEFAULT_THRESHOLD} by default, about half a
 * megabyte of floats) into contiguous ranges of rows and runs them in parallel; below it, the calling thread
 * does all the work. The calling thread always takes part, and runs whatever ranges no other thread has
 * started, so a busy executor slows a call down but never blocks it.
 *
 * <p><b>Choosing.</b> By default ({@link #automatic()}) batches run on the common {@link
 * java.util.concurrent.ForkJoinPool}, one thread per core. {@link #singleThread()} keeps every call on its
 * thread, and {@link #on(Executor, int)} uses the caller's executor. A choice holds for a scope:
 * <pre>{@code
 * Parallelism.on(myExecutor, 4).run(() -> Logits.softmax(x, y, cols));
 * double loss = Parallelism.singleThread().call(() -> ce.loss(logits, cols, labels));
 * }</pre>
 * Outside any scope the default applies: {@link #automatic()}, or {@link #singleThread()} when the JVM is
 * started with {@code -D}{@value #PROPERTY}{@code =single}.
 *
 * <p><b>Determinism.</b> The results are bit-identical whatever the parallelism, the number of parts and the
 * executor: each row's results do not depend on how the rows are split, and a reduced loss sums its rows in
 * fixed blocks added in a fixed order, so a loss over a million rows is the same double on one thread as on
 * many.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Parallelism {
  /** The default threshold, in elements ({@code rows * cols}): smaller batches run on the calling thread. */
  public static final long DEFAULT_THRESHOLD = Split.DEFAULT_THRESHOLD;

  /** The system property that sets the default: {@code single} or {@code automatic}. */
  public static final String PROPERTY = Split.PROPERTY;

  private static final Parallelism AUTOMATIC = new Parallelism(Split.AUTOMATIC);
  private static final Parallelism SINGLE = new Parallelism(Split.SINGLE);

  private final Split split;

  private Parallelism(Split split) {
    this.split = split;
  }

  /**
   * All cores: the common {@link java.util.concurrent.ForkJoinPool}, one thread per available processor,
   * for batches of at least {@value #DEFAULT_THRESHOLD} elements.
   *
   * @return the automatic parallelism
   */
  public static Parallelism automatic() {
    return AUTOMATIC;
  }

  /**
   * Every call on the calling thread.
   *
   * @return the single-thread parallelism
   */
  public static Parallelism singleThread() {
    return SINGLE;
  }

  /**
   * Batches of at least {@value #DEFAULT_THRESHOLD} elements worked on by at most {@code parts} threads: the
   * calling thread and {@code parts - 1} tasks submitted to {@code executor}, which claim the batch's ranges of
   * rows (one per thread) in order. The calling thread runs whatever the executor rejects or has not
   * started.
   *
   * @param executor runs the parts
   * @param parts the largest number of threads on one batch, {@code >= 1} (1: single thread)
   * @return the parallelism
   * @throws NullPointerException if {@code executor} is null
   * @throws IllegalArgumentException if {@code parts < 1}
   */
  public static Parallelism on(Executor executor, int parts) {
    Objects.requireNonNull(executor, "executor must not be null");
    if (parts < 1) {
      throw new IllegalArgumentException("parts must be >= 1, was " + parts);
    }
    return new Parallelism(new Split(executor, parts, DEFAULT_THRESHOLD));
  }

  /**
   * This parallelism with another threshold: batches of fewer than {@code elements} elements run on the
   * calling thread.
   *
   * @param elements the threshold in elements, {@code >= 0} (0 splits every non-empty batch)
   * @return a new parallelism
   * @throws IllegalArgumentException if {@code elements < 0}
   */
  public Parallelism threshold(long elements) {
    if (elements < 0) {
      throw new IllegalArgumentException("threshold must be >= 0, was " + elements);
    }
    return new Parallelism(split.withThreshold(elements));
  }

  /**
   * The parallelism in force on this thread: the one of the innermost enclosing {@link #run} or
   * {@link #call}, or the default.
   *
   * @return the current parallelism
   */
  public static Parallelism current() {
    Split s = Split.current();
    return s == Split.AUTOMATIC ? AUTOMATIC : s == Split.SINGLE ? SINGLE : new Parallelism(s);
  }

  /**
   * The largest number of threads that work on one batch.
   *
   * @return the parts, 1 for a single thread
   */
  public int parts() {
    return split.parts();
  }

  /**
   * The threshold in elements below which the calling thread does all the work.
   *
   * @return the threshold
   */
  public long threshold() {
    return split.threshold();
  }

  /**
   * Runs {@code action} with this parallelism for every logits4j call it makes on this thread.
   *
   * @param action the work
   * @throws NullPointerException if {@code action} is null
   */
  public void run(Runnable action) {
    Objects.requireNonNull(action, "action must not be null");
    ScopedValue.where(Split.CURRENT, split).run(action);
  }

  /**
   * Calls {@code action} with this parallelism for every logits4j call it makes on this thread, and returns
   * its result.
   *
   * @param <R> the result type
   * @param action the work
   * @return what {@code action} returns
   * @throws NullPointerException if {@code action} is null
   */
  public <R> R call(Supplier<R> action) {
    Objects.requireNonNull(action, "action must not be null");
    return ScopedValue.where(Split.CURRENT, split).call(action::get);
  }

  @Override
  public String toString() {
    return "Parallelism[parts=" + parts() + ", threshold=" + threshold() + "]";
  }
}
