package io.github.logits4j.internal;

import io.github.logits4j.internal.panama.PanamaKernels;
import io.github.logits4j.internal.parallel.ParallelKernels;
import io.github.logits4j.internal.reference.ScalarReference;
import io.github.logits4j.internal.spi.Kernels;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Chooses the kernels once per JVM: the Vector API kernels where they help, the scalar reference
 * otherwise, as Lucene's vectorization provider does.
 *
 * <p>The Vector API kernels need all of: the {@code jdk.incubator.vector} module, readable by this one
 * ({@code --add-modules jdk.incubator.vector}); a HotSpot VM whose C2 compiler is on, since without C2
 * every vector is a boxed object and the kernels run many times slower than scalar code; and a preferred
 * vector width of at least 128 bits. When one is missing the provider logs one warning through
 * {@link System.Logger} that says which and how to fix it, and returns the scalar reference. The vector
 * classes are loaded only once the module and the VM are found fit, and any linkage failure while loading
 * them is caught, so a JVM without the module never sees a {@link NoClassDefFoundError}. Whether the VM's
 * options let C2 compile is read meanwhile on another thread, and the choice waits for it at the first
 * call that needs it ({@link #kernelsOfThisJvm}).
 *
 * <p>System properties, for testing and tuning: {@value #SCALAR_PROPERTY}{@code =true} forces the scalar
 * kernels; {@code logits4j.vectorBits} (128, 256 or 512) narrows the vector width, which is how the tests
 * exercise every width on one machine (a width above the CPU's preferred one is refused).
 */
public final class KernelProvider {
  /** System property that forces the scalar kernels when set to {@code true}. */
  public static final String SCALAR_PROPERTY = "logits4j.scalar";

  static final String VECTOR_MODULE = "jdk.incubator.vector";
  private static final String LOGGER = "io.github.logits4j";

  private static final Kernels KERNELS = kernelsOfThisJvm();

  private KernelProvider() {}

  /**
   * The kernels every call uses in this JVM, split across threads by the current
   * {@link io.github.logits4j.internal.parallel.Split} ({@link ParallelKernels}).
   */
  public static Kernels kernels() {
    return KERNELS;
  }

  /** The kernels that {@link #kernels()} splits, for callers that split the work themselves. */
  public static Kernels unsplit() {
    return ((ParallelKernels) KERNELS).inner();
  }

  /**
   * The kernels, or for the Vector API kernels the part of the choice that costs nothing: the last check,
   * whether the JVM's options let C2 compile them, reads the diagnostic bean, about 10 ms of a cold JVM's
   * first call. It runs on a thread of its own ({@link Platform.CompilerCheck}) and is joined at the first
   * call that needs the choice ({@link Choice}); a cold JVM's first float softmax calls run the Vector API
   * kernels' scalar twin meanwhile and recompute with the scalar kernels if those are chosen
   * ({@link ParallelKernels}).
   */
  private static Kernels kernelsOfThisJvm() {
    if (Boolean.getBoolean(SCALAR_PROPERTY)) {
      log().log(Level.INFO, "logits4j: " + SCALAR_PROPERTY + "=true, using the scalar kernels");
      return new ParallelKernels(ScalarReference.INSTANCE);
    }
    String unsuitable = Platform.whyNotVector(VECTOR_MODULE);
    if (unsuitable != null) {
      log().log(Level.WARNING, "logits4j: " + unsuitable + ", so logits4j runs its scalar kernels, which are"
          + " several times slower.");
      return new ParallelKernels(ScalarReference.INSTANCE);
    }
    Platform.CompilerCheck compiler = Platform.CompilerCheck.begin();
    Kernels kernels;
    try {
      // referenced only here, past the checks: the JVM loads PanamaKernels (and through it the vector
      // classes) when this line first runs, so a JVM without the module never reaches them; reflection here
      // cost a cold JVM's first call some 5 ms of method-handle spinning
      kernels = PanamaKernels.INSTANCE;
      String problem = PanamaKernels.configurationProblem();
      if (problem != null) {
        log().log(Level.WARNING, "logits4j: ignoring " + problem + "; using " + kernels.name());
      }
      int bits = PanamaKernels.bits();
      if (bits < 128) {
        log().log(Level.WARNING, "logits4j: the vector width of " + bits + " bits is below 128, where the Vector"
            + " API kernels do not pay, so logits4j runs its scalar kernels.");
        return new ParallelKernels(ScalarReference.INSTANCE);
      }
    } catch (LinkageError | RuntimeException e) {
      log().log(Level.WARNING, "logits4j: could not initialise the Vector API kernels (" + e
          + "), so logits4j runs its scalar kernels. Start the JVM with --add-modules " + VECTOR_MODULE
          + " on JDK 25 to enable them.");
      return new ParallelKernels(ScalarReference.INSTANCE);
    }
    return new ParallelKernels(kernels, new Choice(kernels, compiler));
  }

  /** The Vector API kernels unless the compiler check finds that C2 cannot compile them. */
  private static final class Choice implements Supplier<Kernels> {
    private final Kernels vector;
    private final Platform.CompilerCheck compiler;

    Choice(Kernels vector, Platform.CompilerCheck compiler) {
      this.vector = vector;
      this.compiler = compiler;
    }

    @Override
    public Kernels get() {
      String notCompiled = compiler.reason();
      if (notCompiled != null) {
        log().log(Level.WARNING, "logits4j: " + notCompiled + ", so logits4j runs its scalar kernels, which are"
            + " several times slower.");
        return ScalarReference.INSTANCE;
      }
      return vector;
    }
  }

  /**
   * The logger, fetched only to say something: {@code System.getLogger} starts {@code java.util.logging},
   * some 10 ms of a cold JVM's first call.
   */
  private static System.Logger log() {
    return System.getLogger(LOGGER);
  }

  /** Whether the optional module is there and readable; otherwise the warning's reason. */
  static Optional<String> missingModule(String name) {
    Optional<Module> vector = ModuleLayer.boot().findModule(name);
    if (vector.isEmpty() || !KernelProvider.class.getModule().canRead(vector.get())) {
      return Optional.of("the Java Vector API module " + name + " is not available; start the JVM with"
          + " --add-modules " + name + " to enable the SIMD kernels");
    }
    return Optional.empty();
  }
}
