package io.github.logits4j.cli;

import java.io.PrintWriter;

/**
 * The progress bar of a long run, on stderr, only when stderr is a terminal: the launcher says so with
 * {@code -Dlogits4j.stderr.tty=true} (it tests {@code [ -t 2 ]}; Java cannot ask about stderr alone). It
 * appears after a second and is redrawn at most five times a second.
 */
final class Progress {
  /** A run shorter than this shows no bar; {@code -Dlogits4j.progress.afterMs} sets it (the tests use 0). */
  private static final long AFTER_NS = Long.getLong("logits4j.progress.afterMs", 1000) * 1_000_000L;
  private final PrintWriter err;
  private final long total;
  private final long start = System.nanoTime();
  private long last;
  private boolean shown;

  private Progress(PrintWriter err, long total) {
    this.err = err;
    this.total = total;
  }

  static Progress create(PrintWriter err, long total) {
    return new Progress(Boolean.getBoolean("logits4j.stderr.tty") ? err : null, total);
  }

  void update(long rows) {
    if (err == null) {
      return;
    }
    long now = System.nanoTime();
    if (now - start < AFTER_NS || now - last < 200_000_000L) {
      return;
    }
    last = now;
    shown = true;
    StringBuilder s = new StringBuilder("\r");
    if (total > 0) {
      int width = 30;
      int done = (int) (width * rows / total);
      s.append('[').append("#".repeat(done)).append(" ".repeat(width - done)).append("] ")
          .append(100 * rows / total).append("% ");
    }
    s.append(rows).append(" rows");
    err.print(s);
    err.flush();
  }

  void done() {
    if (err != null && shown) {
      err.print("\r\033[K");
      err.flush();
    }
  }
}
