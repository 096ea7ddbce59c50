package io.github.logits4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The strongest softmax a JVM user can call today: ONNX Runtime's CPU kernels through its Java API, on
 * one-node Softmax and LogSoftmax models, with one intra-op thread.
 *
 * <p>{@code *Buffers} hands ONNX Runtime direct {@link FloatBuffer}s made once outside the measured loop,
 * for input and (pinned) output: only the kernel and the call overhead are timed. {@code *Arrays} adds
 * what a caller holding {@code float[]} pays: the copy into the input buffer and out of the output buffer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class OnnxRuntimeBenchmark {
  @Param({"16384x4", "16384x10", "4096x128", "1024x1000", "64x32000", "8x128256"})
  public String shape;

  private OrtEnvironment env;
  private OrtSession softmax, logSoftmax;
  private FloatBuffer inBuffer, outBuffer;
  private OnnxTensor in, out;
  private float[] x, y;

  @Setup(Level.Trial)
  public void setup() throws OrtException {
    int rows = Shapes.rows(shape), cols = Shapes.cols(shape);
    x = Shapes.floats(rows * cols, 1);
    y = new float[x.length];
    env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(1);
    options.setInterOpNumThreads(1);
    options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    softmax = env.createSession(OnnxModels.softmax(), options);
    logSoftmax = env.createSession(OnnxModels.logSoftmax(), options);
    inBuffer = ByteBuffer.allocateDirect(x.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    outBuffer = ByteBuffer.allocateDirect(x.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    inBuffer.put(x).rewind();
    long[] dims = {rows, cols};
    in = OnnxTensor.createTensor(env, inBuffer, dims);
    out = OnnxTensor.createTensor(env, outBuffer, dims);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws OrtException {
    in.close();
    out.close();
    softmax.close();
    logSoftmax.close();
  }

  private FloatBuffer run(OrtSession session) throws OrtException {
    try (OrtSession.Result r = session.run(Map.of("x", in), Map.of("y", out))) {
      return outBuffer;
    }
  }

  private float[] runArrays(OrtSession session) throws OrtException {
    inBuffer.clear();
    inBuffer.put(x);
    run(session);
    outBuffer.clear();
    outBuffer.get(y);
    return y;
  }

  @Benchmark
  public FloatBuffer softmaxBuffers() throws OrtException {
    return run(softmax);
  }

  @Benchmark
  public float[] softmaxArrays() throws OrtException {
    return runArrays(softmax);
  }

  @Benchmark
  public FloatBuffer logSoftmaxBuffers() throws OrtException {
    return run(logSoftmax);
  }

  @Benchmark
  public float[] logSoftmaxArrays() throws OrtException {
    return runArrays(logSoftmax);
  }
}
