package io.github.logits4j.cli;

import io.github.logits4j.CrossEntropy;
import io.github.logits4j.Logits;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code logits4j score INPUT}: probabilities, log-probabilities, predictions, top-k and per-row losses of
 * a file of logits, streamed in blocks of rows. The library has no thread option: with {@code --threads N}
 * the command splits each block into N ranges of rows, computed on a fixed pool; every result is per row,
 * so the output's bytes do not depend on N or on the block size.
 */
@Command(name = "score", sortOptions = false, mixinStandardHelpOptions = true,
    description = {
        "Score a file of logits: one row per example, one column per class.",
        "INPUT is .npy (float32 or float64, 2-D, C order) or .csv (one row per line, optional header line).",
        "Each output's format follows its extension: .npy, .csv or .jsonl (--top-out: .npz, .csv or .jsonl).",
        "A summary goes to stdout: rows, classes, rows/s; with --labels also the mean loss and accuracies."})
public final class Score implements Callable<Integer> {
  /** Elements per block by default: 4 MiB of float32 logits. */
  static final int BLOCK_ELEMENTS = 1 << 20;
  /** Rows of the first block; the next ones grow fourfold up to the block size. */
  static final int WARMUP_ROWS = 64;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "INPUT", description = "logits, .npy or .csv")
  Path input;

  @Option(names = "--labels", paramLabel = "FILE", description = "class labels, one per row: .npy (int32 or int64) or .csv")
  Path labels;

  @Option(names = "--probs", paramLabel = "FILE", description = "write the softmax probabilities")
  Path probs;

  @Option(names = "--log-probs", paramLabel = "FILE", description = "write the log-softmax")
  Path logProbs;

  @Option(names = "--pred", paramLabel = "FILE", description = "write the predicted class (argmax) of each row")
  Path pred;

  @Option(names = "--loss", paramLabel = "FILE", description = "write each row's cross-entropy (needs --labels)")
  Path loss;

  @Option(names = "--top", paramLabel = "K", description = "the K most probable classes of each row (with --top-out)")
  Integer top;

  @Option(names = "--top-out", paramLabel = "FILE", description = "write the top K classes and their probabilities")
  Path topOut;

  @Option(names = "--temperature", paramLabel = "T", defaultValue = "1",
      description = "divide the logits by T (finite, > 0) before softmax, log-softmax and loss; default 1")
  double temperature;

  @Option(names = "--threads", paramLabel = "N", description = "threads; default: all cores (${DEFAULT-VALUE})")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--dtype", paramLabel = "DTYPE",
      description = "float32 (default) or float64: the dtype a .csv input is computed in; a .npy input keeps its own")
  String dtype;

  @Option(names = "--block-rows", hidden = true, description = "rows per block (default: 2^20 values per block)")
  Integer blockRows;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    checkOptions();
    List<Output> outputs = new ArrayList<>();
    if (probs != null) {
      outputs.add(Output.of("--probs", probs, Output.Kind.PROBS));
    }
    if (logProbs != null) {
      outputs.add(Output.of("--log-probs", logProbs, Output.Kind.LOG_PROBS));
    }
    if (pred != null) {
      outputs.add(Output.of("--pred", pred, Output.Kind.PRED));
    }
    if (loss != null) {
      outputs.add(Output.of("--loss", loss, Output.Kind.LOSS));
    }
    if (topOut != null) {
      outputs.add(Output.of("--top-out", topOut, Output.Kind.TOP));
    }
    long t0 = System.nanoTime();
    try (LogitSource src = LogitSource.open(input, dtype);
        LabelSource lab = labels == null ? null : LabelSource.open(labels)) {
      if (lab instanceof LabelSource.NpyLabels n) {
        n.checkCount(src);
      }
      if (top != null && top > src.cols) {
        throw new CliException("--top " + top + ": " + input + " has only " + src.cols + " classes");
      }
      for (Output o : outputs) {
        o.check();
      }
      Result r;
      try {
        for (Output o : outputs) {
          o.open();
        }
        r = run(src, lab, outputs);
        for (Output o : outputs) {
          o.commit();
        }
      } catch (Throwable e) {
        for (Output o : outputs) {
          o.abort();
        }
        throw e;
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      summary(out, src, r, secs);
    }
    return 0;
  }

  private void checkOptions() {
    if (dtype != null && !dtype.equals("float32") && !dtype.equals("float64")) {
      throw new CliException("--dtype " + dtype + ": must be float32 or float64");
    }
    if (!(temperature > 0) || !Double.isFinite(temperature)) {
      throw new CliException("--temperature " + temperature + ": must be finite and > 0");
    }
    if (threads < 1) {
      throw new CliException("--threads " + threads + ": must be at least 1");
    }
    if ((top == null) != (topOut == null)) {
      throw new CliException(top == null ? "--top-out needs --top K" : "--top needs --top-out FILE");
    }
    if (top != null && top < 1) {
      throw new CliException("--top " + top + ": must be at least 1");
    }
    if (loss != null && labels == null) {
      throw new CliException("--loss " + loss + ": needs --labels");
    }
    if (blockRows != null && blockRows < 1) {
      throw new CliException("--block-rows " + blockRows + ": must be at least 1");
    }
  }

  /** What the summary reports. */
  record Result(long rows, double lossSum, long correct, long topCorrect, int topK) {}

  private Result run(LogitSource src, LabelSource lab, List<Output> outputs) throws Exception {
    int cols = src.cols;
    boolean dbl = src.dbl;
    int cap = blockRows != null ? blockRows : Math.max(1, BLOCK_ELEMENTS / cols);
    if (src.rows >= 0) {
      cap = (int) Math.max(1, Math.min(cap, src.rows));
    }
    Block b = new Block(dbl, cols, cap);
    boolean withLabels = lab != null;
    int kAcc = cols < 5 ? 1 : 5;
    int k = top == null ? 0 : top;
    int kc = Math.max(k, withLabels ? kAcc : 0);
    boolean needProbs = probs != null || k > 0;
    boolean needLogProbs = logProbs != null || (withLabels && temperature != 1);
    boolean needPred = pred != null || withLabels;
    int n = cap * cols;
    if (needProbs) {
      if (dbl) {
        b.pd = new double[n];
      } else {
        b.pf = new float[n];
      }
    }
    if (needLogProbs) {
      if (dbl) {
        b.lpd = new double[n];
      } else {
        b.lpf = new float[n];
      }
    }
    if (needPred) {
      b.pred = new int[cap];
    }
    if (withLabels) {
      b.labels = new int[cap];
      if (dbl) {
        b.lossd = new double[cap];
      } else {
        b.lossf = new float[cap];
      }
    }
    b.kc = kc;
    b.k = k;
    if (kc > 0) {
      b.topIdx = new int[cap * kc];
      if (dbl) {
        b.topVald = new double[cap * kc];
      } else {
        b.topValf = new float[cap * kc];
      }
    }
    if (k > 0) {
      b.topCls = new int[cap * k];
      if (dbl) {
        b.topPd = new double[cap * k];
      } else {
        b.topPf = new float[cap * k];
      }
    }
    for (Output o : outputs) {
      if (o instanceof Output.NpzOut z) {
        z.kOf = k;
      }
    }
    CrossEntropy ce = CrossEntropy.sparse();
    Progress progress = Progress.create(spec.commandLine().getErr(), src.rows);
    ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "logits4j-score");
      t.setDaemon(true);
      return t;
    }) : null;
    long total = 0;
    double lossSum = 0;
    long correct = 0;
    long topCorrect = 0;
    // The first blocks are small and grow fourfold: a cold JVM runs the kernels interpreted, where the
    // Vector API is very slow, until C2 has compiled them; small blocks keep that phase short.
    b.limit = Math.min(cap, blockRows != null ? cap : WARMUP_ROWS);
    try {
      while (true) {
        b.firstRow = total;
        int rows = src.next(b);
        if (rows == 0) {
          break;
        }
        b.rows = rows;
        if (withLabels) {
          lab.next(b.labels, rows, total, cols, src);
        }
        computeAll(b, ce, pool);
        if (withLabels) {
          for (int r = 0; r < rows; r++) {
            lossSum += dbl ? b.lossd[r] : b.lossf[r];
            int label = b.labels[r];
            if (b.pred[r] == label) {
              correct++;
            }
            for (int j = 0; j < kAcc; j++) {
              if (b.topIdx[r * kc + j] == label) {
                topCorrect++;
                break;
              }
            }
          }
        }
        for (Output o : outputs) {
          o.write(b);
        }
        total += rows;
        progress.update(total);
        b.limit = (int) Math.min(cap, 4L * b.limit);
      }
      if (withLabels) {
        lab.finish(total, src);
      }
      for (Output o : outputs) {
        o.end(total, cols, dbl);
      }
    } finally {
      progress.done();
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    return new Result(total, lossSum, correct, topCorrect, withLabels ? kAcc : 0);
  }

  private void computeAll(Block b, CrossEntropy ce, ExecutorService pool) throws Exception {
    int parts = pool == null ? 1 : Math.min(threads, b.rows);
    if (parts <= 1) {
      compute(b, ce, 0, b.rows);
      return;
    }
    List<Future<?>> fs = new ArrayList<>(parts);
    for (int p = 0; p < parts; p++) {
      int from = (int) ((long) b.rows * p / parts);
      int to = (int) ((long) b.rows * (p + 1) / parts);
      fs.add(pool.submit(() -> {
        compute(b, ce, from, to);
        return null;
      }));
    }
    for (Future<?> f : fs) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Exception x) {
          throw x;
        }
        throw e;
      }
    }
  }

  /** Rows {@code from .. to-1} of the block, through the library's public API only. */
  private void compute(Block b, CrossEntropy ce, int from, int to) {
    int rows = to - from;
    int cols = b.cols;
    int off = from * cols;
    boolean t1 = temperature == 1;
    if (b.dbl) {
      double t = temperature;
      if (b.pd != null) {
        Logits.softmax(b.xd, off, b.pd, off, rows, cols, t);
      }
      if (b.lpd != null) {
        Logits.logSoftmax(b.xd, off, b.lpd, off, rows, cols, t);
      }
      if (b.pred != null) {
        Logits.argmax(b.xd, off, b.pred, from, rows, cols);
      }
      if (b.kc > 0) {
        Logits.topK(b.xd, off, rows, cols, b.kc, b.topIdx, from * b.kc, b.topVald, from * b.kc);
      }
      if (b.labels != null) {
        if (t1) {
          ce.rowLosses(b.xd, off, rows, cols, b.labels, from, b.lossd, from);
        } else {
          for (int r = from; r < to; r++) {
            b.lossd[r] = -b.lpd[r * cols + b.labels[r]];
          }
        }
      }
      for (int r = from; r < to; r++) {
        for (int j = 0; j < b.k; j++) {
          int c = b.topIdx[r * b.kc + j];
          b.topCls[r * b.k + j] = c;
          b.topPd[r * b.k + j] = b.pd[r * cols + c];
        }
      }
    } else {
      float t = (float) temperature;
      if (b.pf != null) {
        Logits.softmax(b.xf, off, b.pf, off, rows, cols, t);
      }
      if (b.lpf != null) {
        Logits.logSoftmax(b.xf, off, b.lpf, off, rows, cols, t);
      }
      if (b.pred != null) {
        Logits.argmax(b.xf, off, b.pred, from, rows, cols);
      }
      if (b.kc > 0) {
        Logits.topK(b.xf, off, rows, cols, b.kc, b.topIdx, from * b.kc, b.topValf, from * b.kc);
      }
      if (b.labels != null) {
        if (t1) {
          ce.rowLosses(b.xf, off, rows, cols, b.labels, from, b.lossf, from);
        } else {
          for (int r = from; r < to; r++) {
            b.lossf[r] = -b.lpf[r * cols + b.labels[r]];
          }
        }
      }
      for (int r = from; r < to; r++) {
        for (int j = 0; j < b.k; j++) {
          int c = b.topIdx[r * b.kc + j];
          b.topCls[r * b.k + j] = c;
          b.topPf[r * b.k + j] = b.pf[r * cols + c];
        }
      }
    }
  }

  private void summary(PrintWriter out, LogitSource src, Result r, double secs) {
    out.println("rows: " + r.rows());
    out.println("classes: " + src.cols);
    out.println("rows/s: " + (secs > 0 ? String.format(Locale.ROOT, "%.0f", r.rows() / secs) : "-"));
    if (r.topK() > 0) {
      double n = r.rows();
      out.println("mean loss: " + (r.rows() == 0 ? "-" : String.format(Locale.ROOT, "%.6g", r.lossSum() / n)));
      out.println("accuracy: " + fraction(r.correct(), r.rows()));
      out.println("top-" + r.topK() + " accuracy: " + fraction(r.topCorrect(), r.rows()));
    }
    out.flush();
  }

  private static String fraction(long k, long n) {
    return n == 0 ? "-" : String.format(Locale.ROOT, "%.4f (%d of %d)", (double) k / n, k, n);
  }
}
