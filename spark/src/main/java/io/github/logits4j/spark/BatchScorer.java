package io.github.logits4j.spark;

import io.github.logits4j.CrossEntropy;
import io.github.logits4j.Logits;
import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;
import org.apache.spark.unsafe.Platform;

/**
 * Scores a DataFrame of logits with the logits4j kernels, per partition, a block of rows at a time: each
 * block's logits go to the kernels as one {@code float[]} or {@code double[]} matrix. The result keeps every
 * input row and column and appends the outputs asked for; the aggregate metrics ({@link ScoreMetrics}) are
 * gathered by the same job that computes the rows.
 *
 * <pre>{@code
 * BatchScorer scorer = BatchScorer.builder().logitsColumn("logits").labelColumn("label")
 *     .probabilities().prediction().topK(5).loss().build();
 * BatchScorer.Scored scored = scorer.score(df);
 * scored.dataset().write().parquet("scored.parquet");   // the one job: scores, writes, gathers metrics
 * ScoreMetrics m = scored.metrics();
 * }</pre>
 *
 * <p><b>Input.</b> Logits as {@code array<float>} (outputs in float), {@code array<double>} or Spark ML
 * {@code Vector} (outputs in double). The row width is {@link Builder#numClasses(int)}, or else the length
 * of the first row with non-null logits. Labels (optional) in any integral column, or a float or double
 * column holding integers (Spark ML's convention).
 *
 * <p><b>Outputs</b>, each exactly the bits of the matching {@link Logits} or {@link CrossEntropy} method on
 * the same rows: {@code probabilities} ({@link Logits#softmax}), {@code prediction} ({@link Logits#argmax},
 * int), {@code top_k} ({@link Logits#topK}, {@code array<struct<class:int, prob:T>>}, prob the softmax
 * probability) and {@code loss} (the row's sparse cross-entropy, {@link CrossEntropy#rowLosses}, with the
 * configured smoothing, ignore index and class weights; 0 for a row labelled with the ignore index).
 *
 * <p><b>Bad rows.</b> Null logits give null outputs in both modes. In {@link Mode#STRICT} (the default) a
 * logits array whose length differs from the width above or that holds a null entry, and a null label or a
 * label outside {@code [0, width)} that is not the ignore index, fail the job with an
 * {@link IllegalArgumentException} naming the partition, the row's index within it, the id column's value
 * if one is set, and the bad value. In {@link Mode#LENIENT} such a logits row gets null in every output
 * column and such a label a null loss (its other outputs are computed); neither counts in the loss or the
 * accuracies, and {@link ScoreMetrics} counts them.
 *
 * <p>Immutable and serializable.
 */
public final class BatchScorer implements Serializable {
  @Serial
  private static final long serialVersionUID = 1L;

  /** What to do with a bad row. */
  public enum Mode {
    /** Fail the job, naming the row. */
    STRICT,
    /** Give the row null outputs (bad logits) or a null loss (bad label) and count it. */
    LENIENT
  }

  private enum Kind { F32, F64, VECTOR }

  private final String logitsCol;
  private final String labelCol;
  private final String idCol;
  private final String probCol;
  private final String predCol;
  private final String topKCol;
  private final String lossCol;
  private final int k;
  private final int numClasses;
  private final Mode mode;
  private final double smoothing;
  private final int ignoreIndex;
  private final double[] classWeights;
  private final int blockRows;

  private BatchScorer(Builder b) {
    logitsCol = b.logitsCol;
    labelCol = b.labelCol;
    idCol = b.idCol;
    probCol = b.probCol;
    predCol = b.predCol;
    topKCol = b.topKCol;
    lossCol = b.lossCol;
    k = b.k;
    numClasses = b.numClasses;
    mode = b.mode;
    smoothing = b.smoothing;
    ignoreIndex = b.ignoreIndex;
    classWeights = b.classWeights == null ? null : b.classWeights.clone();
    blockRows = b.blockRows;
  }

  /**
   * A builder with the defaults: logits column {@code logits}, no label, no outputs, strict mode, the
   * {@link CrossEntropy#sparse()} defaults (ignore index -100, no smoothing, no weights), blocks of up to
   * 4096 rows.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures a {@link BatchScorer}. Not thread-safe; {@link #build()} copies it. */
  public static final class Builder {
    private String logitsCol = "logits";
    private String labelCol;
    private String idCol;
    private String probCol;
    private String predCol;
    private String topKCol;
    private String lossCol;
    private int k;
    private int numClasses;
    private Mode mode = Mode.STRICT;
    private double smoothing;
    private int ignoreIndex = -100;
    private double[] classWeights;
    private int blockRows = 4096;

    private Builder() {
    }

    /**
     * The logits column: {@code array<float>}, {@code array<double>} or Spark ML {@code Vector}.
     *
     * @param name column name
     * @return this builder
     */
    public Builder logitsColumn(String name) {
      logitsCol = Objects.requireNonNull(name, "logitsColumn");
      return this;
    }

    /**
     * The label column (integral, or float/double holding integers); enables the loss and the metrics.
     *
     * @param name column name
     * @return this builder
     */
    public Builder labelColumn(String name) {
      labelCol = Objects.requireNonNull(name, "labelColumn");
      return this;
    }

    /**
     * A column whose value names a row in error messages.
     *
     * @param name column name
     * @return this builder
     */
    public Builder idColumn(String name) {
      idCol = Objects.requireNonNull(name, "idColumn");
      return this;
    }

    /**
     * Appends the softmax probabilities as column {@code probabilities}.
     *
     * @return this builder
     */
    public Builder probabilities() {
      return probabilities("probabilities");
    }

    /**
     * Appends the softmax probabilities under the given name.
     *
     * @param name column name
     * @return this builder
     */
    public Builder probabilities(String name) {
      probCol = Objects.requireNonNull(name, "probabilities");
      return this;
    }

    /**
     * Appends the argmax as int column {@code prediction}.
     *
     * @return this builder
     */
    public Builder prediction() {
      return prediction("prediction");
    }

    /**
     * Appends the argmax under the given name.
     *
     * @param name column name
     * @return this builder
     */
    public Builder prediction(String name) {
      predCol = Objects.requireNonNull(name, "prediction");
      return this;
    }

    /**
     * Appends the top {@code k} classes with their probabilities as column {@code top_k}, and makes the
     * metrics report top-k accuracy.
     *
     * @param k in {@code 1..width}
     * @return this builder
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public Builder topK(int k) {
      return topK(k, "top_k");
    }

    /**
     * {@link #topK(int)} under the given name.
     *
     * @param k in {@code 1..width}
     * @param name column name
     * @return this builder
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public Builder topK(int k, String name) {
      if (k < 1) {
        throw new IllegalArgumentException("topK: k must be >= 1, was " + k);
      }
      this.k = k;
      topKCol = Objects.requireNonNull(name, "topK");
      return this;
    }

    /**
     * Appends each row's cross-entropy as column {@code loss} (needs a label column).
     *
     * @return this builder
     */
    public Builder loss() {
      return loss("loss");
    }

    /**
     * {@link #loss()} under the given name.
     *
     * @param name column name
     * @return this builder
     */
    public Builder loss(String name) {
      lossCol = Objects.requireNonNull(name, "loss");
      return this;
    }

    /**
     * The row width; without it, the length of the first row with non-null logits.
     *
     * @param n classes per row, {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public Builder numClasses(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("numClasses must be >= 1, was " + n);
      }
      numClasses = n;
      return this;
    }

    /**
     * Bad rows fail the job (the default).
     *
     * @return this builder
     */
    public Builder strict() {
      mode = Mode.STRICT;
      return this;
    }

    /**
     * Bad rows get null outputs and are counted.
     *
     * @return this builder
     */
    public Builder lenient() {
      mode = Mode.LENIENT;
      return this;
    }

    /**
     * Label smoothing of the loss, as {@link CrossEntropy#labelSmoothing(double)}.
     *
     * @param eps in {@code [0, 1)}
     * @return this builder
     * @throws IllegalArgumentException for {@code eps} outside {@code [0, 1)}
     */
    public Builder labelSmoothing(double eps) {
      CrossEntropy.sparse().labelSmoothing(eps);
      smoothing = eps;
      return this;
    }

    /**
     * The ignore index of the loss, as {@link CrossEntropy#ignoreIndex(int)}: such rows get loss 0 and do
     * not count in the metrics.
     *
     * @param index any int; default -100
     * @return this builder
     */
    public Builder ignoreIndex(int index) {
      ignoreIndex = index;
      return this;
    }

    /**
     * Class weights of the loss, as {@link CrossEntropy#classWeights(double[])} (for float logits, rounded
     * to float); copied.
     *
     * @param w finite, non-negative, one per class
     * @return this builder
     * @throws IllegalArgumentException for a negative or non-finite weight
     */
    public Builder classWeights(double[] w) {
      CrossEntropy.sparse().classWeights(w);
      classWeights = w.clone();
      return this;
    }

    /**
     * Rows per block handed to the kernels (default 4096; capped so that a block holds at most 2^20
     * logits).
     *
     * @param rows {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code rows < 1}
     */
    public Builder blockRows(int rows) {
      if (rows < 1) {
        throw new IllegalArgumentException("blockRows must be >= 1, was " + rows);
      }
      blockRows = rows;
      return this;
    }

    /**
     * The scorer.
     *
     * @return an immutable scorer
     * @throws IllegalArgumentException if a loss is asked for without a label column, or output columns clash
     */
    public BatchScorer build() {
      if (lossCol != null && labelCol == null) {
        throw new IllegalArgumentException("loss: a label column is needed (labelColumn)");
      }
      List<String> outs = Arrays.asList(probCol, predCol, topKCol, lossCol);
      long named = outs.stream().filter(Objects::nonNull).count();
      if (outs.stream().filter(Objects::nonNull).distinct().count() != named) {
        throw new IllegalArgumentException("output columns must have distinct names, were " + outs);
      }
      if (classWeights != null && numClasses != 0 && classWeights.length != numClasses) {
        throw new IllegalArgumentException("classWeights: " + classWeights.length + " weights for numClasses "
            + numClasses);
      }
      return new BatchScorer(this);
    }
  }

  /** A scored dataset and the metrics its computation gathers. */
  public static final class Scored {
    private final Dataset<Row> dataset;
    private final MetricsAccumulator acc;
    private final int partitions;
    private final int k;

    private Scored(Dataset<Row> dataset, MetricsAccumulator acc, int partitions, int k) {
      this.dataset = dataset;
      this.acc = acc;
      this.partitions = partitions;
      this.k = k;
    }

    /**
     * The input rows with the outputs appended. Lazy: an action on it (write, count, collect) runs the job.
     *
     * @return the scored rows
     */
    public Dataset<Row> dataset() {
      return dataset;
    }

    /**
     * The metrics gathered by the action run on {@link #dataset()}.
     *
     * @return the metrics over every partition
     * @throws IllegalStateException if no action has yet computed every partition
     */
    public ScoreMetrics metrics() {
      Map<Integer, MetricsAccumulator.Partial> parts = acc.value();
      if (parts.size() != partitions) {
        throw new IllegalStateException("metrics: " + parts.size() + " of " + partitions + " partitions scored;"
            + " run an action that computes every row of dataset() first (write, count, collect)");
      }
      long rows = 0;
      long nulls = 0;
      long skipped = 0;
      long badLabels = 0;
      long labelled = 0;
      long correct = 0;
      long topK = 0;
      ExactSum loss = new ExactSum();
      for (MetricsAccumulator.Partial p : parts.values()) {
        rows += p.rows;
        nulls += p.nullRows;
        skipped += p.skippedRows;
        badLabels += p.badLabelRows;
        labelled += p.labelledRows;
        correct += p.correct;
        topK += p.topKCorrect;
        loss.add(p.lossSum);
      }
      return new ScoreMetrics(rows, nulls, skipped, badLabels, labelled, loss.value(), correct, topK, k);
    }
  }

  /**
   * Scores {@code in}: checks the schema, finds the row width (one small job unless
   * {@link Builder#numClasses(int)} was given) and returns the lazily scored rows.
   *
   * @param in the rows to score
   * @return the scored dataset and its metrics
   * @throws IllegalArgumentException for a missing or mistyped column, a clash of output and input column
   *     names, {@code k} or class weights that do not fit the width, or a dataset without non-null logits
   */
  public Scored score(Dataset<Row> in) {
    Objects.requireNonNull(in, "in");
    if (!(in instanceof org.apache.spark.sql.classic.Dataset<Row> classic)) {
      throw new IllegalArgumentException("in: a classic (not Spark Connect) Dataset is needed");
    }
    StructType schema = in.schema();
    int lo = index(schema, logitsCol, "logitsColumn");
    DataType lt = schema.fields()[lo].dataType();
    Kind kind;
    if (lt instanceof ArrayType a && a.elementType().equals(DataTypes.FloatType)) {
      kind = Kind.F32;
    } else if (lt instanceof ArrayType a && a.elementType().equals(DataTypes.DoubleType)) {
      kind = Kind.F64;
    } else if (lt.equals(SQLDataTypes.VectorType())) {
      kind = Kind.VECTOR;
    } else {
      throw new IllegalArgumentException("logitsColumn '" + logitsCol
          + "' must be array<float>, array<double> or vector, was " + lt.simpleString());
    }
    int yo = -1;
    DataType yt = null;
    if (labelCol != null) {
      yo = index(schema, labelCol, "labelColumn");
      yt = schema.fields()[yo].dataType();
      if (!(yt.equals(DataTypes.IntegerType) || yt.equals(DataTypes.LongType) || yt.equals(DataTypes.ShortType)
          || yt.equals(DataTypes.ByteType) || yt.equals(DataTypes.DoubleType) || yt.equals(DataTypes.FloatType))) {
        throw new IllegalArgumentException("labelColumn '" + labelCol + "' must be integral, float or double, was "
            + yt.simpleString());
      }
    }
    int io = idCol == null ? -1 : index(schema, idCol, "idColumn");
    DataType it = io < 0 ? null : schema.fields()[io].dataType();
    int cols = numClasses > 0 ? numClasses : width(in, kind);
    if (k > cols) {
      throw new IllegalArgumentException("topK: k = " + k + " exceeds the row width " + cols);
    }
    if (classWeights != null && classWeights.length != cols) {
      throw new IllegalArgumentException("classWeights: " + classWeights.length + " weights for rows of " + cols);
    }
    DataType t = kind == Kind.F32 ? DataTypes.FloatType : DataTypes.DoubleType;
    StructType out = schema;
    if (probCol != null) {
      out = add(out, probCol, DataTypes.createArrayType(t, false));
    }
    if (predCol != null) {
      out = add(out, predCol, DataTypes.IntegerType);
    }
    if (topKCol != null) {
      out = add(out, topKCol, DataTypes.createArrayType(Logits4jFunctions.topKType(t), false));
    }
    if (lossCol != null) {
      out = add(out, lossCol, t);
    }
    RDD<InternalRow> rdd = classic.queryExecution().toRdd();
    MetricsAccumulator acc = new MetricsAccumulator();
    in.sparkSession().sparkContext().register(acc, "logits4j metrics");
    Job job = new Job(this, kind, cols, lo, yo, yt, io, it, schema.fields().length);
    JavaRDD<InternalRow> scored = rdd.toJavaRDD().mapPartitionsWithIndex(
        (p, rows) -> new PartitionScorer(job, p, rows, acc), false);
    Dataset<Row> ds = classic.sparkSession().internalCreateDataFrame(scored.rdd(), out, false);
    return new Scored(ds, acc, rdd.getNumPartitions(), k);
  }

  private static int index(StructType schema, String name, String what) {
    for (int i = 0; i < schema.fields().length; i++) {
      if (schema.fields()[i].name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException(what + ": no column '" + name + "' in " + schema.simpleString());
  }

  private static StructType add(StructType s, String name, DataType t) {
    for (StructField f : s.fields()) {
      if (f.name().equalsIgnoreCase(name)) {
        throw new IllegalArgumentException("output column '" + name + "' already exists in the input");
      }
    }
    return s.add(name, t, true);
  }

  private int width(Dataset<Row> in, Kind kind) {
    var c = org.apache.spark.sql.functions.col(logitsCol);
    Row[] first = (Row[]) in.select(c).where(c.isNotNull()).head(1);
    if (first.length == 0) {
      throw new IllegalArgumentException("logitsColumn '" + logitsCol
          + "': no row with non-null logits to take the width from; set numClasses");
    }
    return kind == Kind.VECTOR ? ((Vector) first[0].get(0)).size() : first[0].getList(0).size();
  }

  /** What the executors need. */
  private record Job(BatchScorer s, Kind kind, int cols, int logits, int label, DataType labelType, int id,
      DataType idType, int inputFields) implements Serializable {
  }

  @SuppressWarnings("unchecked")
  private static final UserDefinedType<Vector> VECTOR_UDT = (UserDefinedType<Vector>) SQLDataTypes.VectorType();

  /** Scores one partition, block by block. */
  private static final class PartitionScorer implements Iterator<InternalRow> {
    private static final byte OK = 0;
    private static final byte NULL = 1;
    private static final byte BAD = 2;
    // label states
    private static final byte COUNTED = 0;
    private static final byte IGNORED = 1;
    private static final byte BAD_LABEL = 2;
    private static final byte NO_LABEL = 3;

    private final Job job;
    private final BatchScorer s;
    private final int partition;
    private final Iterator<InternalRow> in;
    private final MetricsAccumulator acc;
    private final MetricsAccumulator.Partial m;
    private final int cols;
    private final int block;
    private final boolean f32;
    private final InternalRow[] rows;
    private final byte[] state;
    private final byte[] labelState;
    private final int[] slot;
    private final float[] xf;
    private final double[] xd;
    private final float[] pf;
    private final double[] pd;
    private final int[] pred;
    private final int[] labels;
    private final int[] topIdx;
    private final float[] topF;
    private final double[] topD;
    private final float[] lossF;
    private final double[] lossD;
    private final CrossEntropy ce;
    private final boolean wantSoftmax;
    private final boolean wantArgmax;
    private final int outputs;
    private long seen;
    private int n;
    private int next;
    private boolean done;

    PartitionScorer(Job job, int partition, Iterator<InternalRow> in, MetricsAccumulator acc) {
      this.job = job;
      this.s = job.s();
      this.partition = partition;
      this.in = in;
      this.acc = acc;
      this.m = new MetricsAccumulator.Partial(partition);
      this.cols = job.cols();
      this.block = Math.max(1, Math.min(s.blockRows, (1 << 20) / cols));
      this.f32 = job.kind() == Kind.F32;
      rows = new InternalRow[block];
      state = new byte[block];
      labelState = new byte[block];
      slot = new int[block];
      int size = block * cols;
      xf = f32 ? new float[size] : null;
      xd = f32 ? null : new double[size];
      wantSoftmax = s.probCol != null || s.k > 0;
      wantArgmax = s.predCol != null || s.labelCol != null;
      pf = f32 && wantSoftmax ? new float[size] : null;
      pd = !f32 && wantSoftmax ? new double[size] : null;
      pred = new int[block];
      labels = new int[block];
      topIdx = s.k > 0 ? new int[block * s.k] : null;
      topF = f32 && s.k > 0 ? new float[block * s.k] : null;
      topD = !f32 && s.k > 0 ? new double[block * s.k] : null;
      lossF = f32 && s.labelCol != null ? new float[block] : null;
      lossD = !f32 && s.labelCol != null ? new double[block] : null;
      CrossEntropy c = CrossEntropy.sparse().ignoreIndex(s.ignoreIndex).labelSmoothing(s.smoothing);
      if (s.classWeights != null) {
        if (f32) {
          float[] w = new float[s.classWeights.length];
          for (int i = 0; i < w.length; i++) {
            w[i] = (float) s.classWeights[i];
          }
          c = c.classWeights(w);
        } else {
          c = c.classWeights(s.classWeights);
        }
      }
      ce = c;
      int o = 0;
      for (String name : Arrays.asList(s.probCol, s.predCol, s.topKCol, s.lossCol)) {
        if (name != null) {
          o++;
        }
      }
      outputs = o;
    }

    @Override
    public boolean hasNext() {
      if (next < n) {
        return true;
      }
      if (done) {
        return false;
      }
      fill();
      if (n == 0) {
        done = true;
        acc.add(m);
        return false;
      }
      return true;
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int i = next++;
      InternalRow r = emit(i);
      rows[i] = null;
      return r;
    }

    private String where(InternalRow r, long index) {
      String id = job.id() < 0 ? "" : " (" + s.idCol + " = " + (r.isNullAt(job.id()) ? "null"
          : r.get(job.id(), job.idType())) + ")";
      return "BatchScorer: row " + index + " of partition " + partition + id;
    }

    private void fill() {
      n = 0;
      next = 0;
      int valid = 0;
      while (n < block && in.hasNext()) {
        InternalRow r = in.next().copy();
        long index = seen++;
        rows[n] = r;
        byte st = OK;
        if (r.isNullAt(job.logits())) {
          st = NULL;
        } else {
          String bad = read(r, valid * cols);
          if (bad != null) {
            if (s.mode == Mode.STRICT) {
              throw new IllegalArgumentException(where(r, index) + ": logits column '" + s.logitsCol + "' " + bad);
            }
            st = BAD;
          }
        }
        state[n] = st;
        if (st == OK) {
          slot[n] = valid;
          labelState[n] = NO_LABEL;
          if (job.label() >= 0) {
            labels[valid] = label(r, index, n);
          }
          valid++;
        }
        n++;
      }
      if (valid > 0) {
        compute(valid);
      }
      count();
    }

    /** Copies the row's logits to the matrix at {@code at}; the reason if they are bad, else null. */
    private String read(InternalRow r, int at) {
      if (job.kind() == Kind.VECTOR) {
        Vector v = VECTOR_UDT.deserialize(r.getStruct(job.logits(), 4));
        if (v.size() != cols) {
          return "has " + v.size() + " entries, expected " + cols + widthSource();
        }
        System.arraycopy(v.toArray(), 0, xd, at, cols);
        return null;
      }
      ArrayData a = r.getArray(job.logits());
      int len = a.numElements();
      if (len != cols) {
        return "has " + len + " entries, expected " + cols + widthSource();
      }
      for (int j = 0; j < cols; j++) {
        if (a.isNullAt(j)) {
          return "has a null entry at index " + j;
        }
      }
      if (f32) {
        if (a instanceof UnsafeArrayData u) {
          Platform.copyMemory(u.getBaseObject(), u.getBaseOffset() + UnsafeArrayData.calculateHeaderPortionInBytes(len),
              xf, Platform.FLOAT_ARRAY_OFFSET + 4L * at, 4L * len);
        } else {
          for (int j = 0; j < cols; j++) {
            xf[at + j] = a.getFloat(j);
          }
        }
      } else {
        if (a instanceof UnsafeArrayData u) {
          Platform.copyMemory(u.getBaseObject(), u.getBaseOffset() + UnsafeArrayData.calculateHeaderPortionInBytes(len),
              xd, Platform.DOUBLE_ARRAY_OFFSET + 8L * at, 8L * len);
        } else {
          for (int j = 0; j < cols; j++) {
            xd[at + j] = a.getDouble(j);
          }
        }
      }
      return null;
    }

    private String widthSource() {
      return s.numClasses > 0 ? " (numClasses)" : " (the length of the first row with non-null logits)";
    }

    /** The label for the kernel: the row's, or the ignore index for a bad one (lenient). */
    private int label(InternalRow r, long index, int i) {
      int o = job.label();
      String bad = null;
      long y = 0;
      if (r.isNullAt(o)) {
        bad = "is null";
      } else {
        DataType t = job.labelType();
        if (t.equals(DataTypes.DoubleType) || t.equals(DataTypes.FloatType)) {
          double v = t.equals(DataTypes.DoubleType) ? r.getDouble(o) : r.getFloat(o);
          if (v != Math.rint(v) || Math.abs(v) > 1e18) {
            bad = "is " + v + ", not an integer";
          }
          y = (long) v;
        } else if (t.equals(DataTypes.LongType)) {
          y = r.getLong(o);
        } else if (t.equals(DataTypes.IntegerType)) {
          y = r.getInt(o);
        } else if (t.equals(DataTypes.ShortType)) {
          y = r.getShort(o);
        } else {
          y = r.getByte(o);
        }
        if (bad == null && y != s.ignoreIndex && (y < 0 || y >= cols)) {
          bad = "is " + y + ", outside [0, " + cols + ") and not the ignore index " + s.ignoreIndex;
        }
      }
      if (bad != null) {
        if (s.mode == Mode.STRICT) {
          throw new IllegalArgumentException(where(r, index) + ": label column '" + s.labelCol + "' " + bad);
        }
        labelState[i] = BAD_LABEL;
        return s.ignoreIndex;
      }
      labelState[i] = y == s.ignoreIndex ? IGNORED : COUNTED;
      return (int) y;
    }

    private void compute(int rowsIn) {
      int kk = s.k;
      if (f32) {
        if (wantSoftmax) {
          Logits.softmax(xf, 0, pf, 0, rowsIn, cols);
        }
        if (wantArgmax) {
          Logits.argmax(xf, 0, pred, 0, rowsIn, cols);
        }
        if (kk > 0) {
          Logits.topK(xf, 0, rowsIn, cols, kk, topIdx, 0, topF, 0);
        }
        if (lossF != null) {
          ce.rowLosses(xf, 0, rowsIn, cols, labels, 0, lossF, 0);
        }
      } else {
        if (wantSoftmax) {
          Logits.softmax(xd, 0, pd, 0, rowsIn, cols);
        }
        if (wantArgmax) {
          Logits.argmax(xd, 0, pred, 0, rowsIn, cols);
        }
        if (kk > 0) {
          Logits.topK(xd, 0, rowsIn, cols, kk, topIdx, 0, topD, 0);
        }
        if (lossD != null) {
          ce.rowLosses(xd, 0, rowsIn, cols, labels, 0, lossD, 0);
        }
      }
    }

    /** Adds the block's rows to the partition's metrics. */
    private void count() {
      int kk = s.k;
      for (int i = 0; i < n; i++) {
        if (state[i] == NULL) {
          m.nullRows++;
        } else if (state[i] == BAD) {
          m.skippedRows++;
        } else {
          m.rows++;
          int at = slot[i];
          if (labelState[i] == BAD_LABEL) {
            m.badLabelRows++;
          } else if (labelState[i] == COUNTED) {
            m.labelledRows++;
            m.lossSum.add(f32 ? lossF[at] : lossD[at]);
            int y = labels[at];
            if (pred[at] == y) {
              m.correct++;
            }
            for (int j = 0; j < kk; j++) {
              if (topIdx[at * kk + j] == y) {
                m.topKCorrect++;
                break;
              }
            }
          }
        }
      }
    }

    private InternalRow emit(int i) {
      Object[] out = new Object[outputs];
      if (state[i] == OK) {
        int at = slot[i];
        int o = 0;
        if (s.probCol != null) {
          out[o++] = f32
              ? UnsafeArrayData.fromPrimitiveArray(pf, (int) (Platform.FLOAT_ARRAY_OFFSET + 4L * at * cols), cols, 4)
              : UnsafeArrayData.fromPrimitiveArray(pd, (int) (Platform.DOUBLE_ARRAY_OFFSET + 8L * at * cols), cols, 8);
        }
        if (s.predCol != null) {
          out[o++] = pred[at];
        }
        if (s.topKCol != null) {
          int kk = s.k;
          Object[] tk = new Object[kk];
          for (int j = 0; j < kk; j++) {
            int c = topIdx[at * kk + j];
            tk[j] = new GenericInternalRow(new Object[] {c, f32 ? (Object) pf[at * cols + c] : (Object) pd[at * cols + c]});
          }
          out[o++] = new GenericArrayData(tk);
        }
        if (s.lossCol != null) {
          out[o] = labelState[i] == BAD_LABEL ? null : f32 ? (Object) lossF[at] : (Object) lossD[at];
        }
      }
      return new JoinedRow(rows[i], new GenericInternalRow(out));
    }
  }
}
