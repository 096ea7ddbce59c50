package io.github.logits4j.internal;

import io.github.logits4j.internal.parallel.ParallelKernels;
import io.github.logits4j.internal.reference.ScalarReference;
import io.github.logits4j.internal.spi.Kernels;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * Chooses the kernels once per JVM: the Vector API kernels where they help, the scalar reference
 * otherwise, as Lucene's vectorization provider does.
 *
 * <p>The Vector API kernels need all of: the {@code jdk.incubator.vector} module, readable by this one
 * ({@code --add-modules jdk.incubator.vector}); a HotSpot VM whose C2 compiler is on, since without C2
 * every vector is a boxed object and the kernels run many times slower than scalar code; and a preferred
 * vector width of at least 128 bits. When one is missing the provider logs one warning through
 * {@link System.Logger} that says which and how to fix it, and returns the scalar reference. The vector
 * classes are loaded only after these checks pass, and any linkage failure while loading them is caught,
 * so a JVM without the module never sees a {@link NoClassDefFoundError}.
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
  private static final String PANAMA = "io.github.logits4j.internal.panama.PanamaKernels";

  private static final Kernels KERNELS = new ParallelKernels(choose());

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

  private static Kernels choose() {
    if (Boolean.getBoolean(SCALAR_PROPERTY)) {
      log().log(Level.INFO, "logits4j: " + SCALAR_PROPERTY + "=true, using the scalar kernels");
      return ScalarReference.INSTANCE;
    }
    String unsuitable = Platform.whyNotVector(VECTOR_MODULE);
    if (unsuitable != null) {
      log().log(Level.WARNING, "logits4j: " + unsuitable + ", so logits4j runs its scalar kernels, which are"
          + " several times slower.");
      return ScalarReference.INSTANCE;
    }
    try {
      Class<?> panama = Class.forName(PANAMA);
      Kernels kernels = (Kernels) panama.getField("INSTANCE").get(null);
      String problem = (String) panama.getMethod("configurationProblem").invoke(null);
      if (problem != null) {
        log().log(Level.WARNING, "logits4j: ignoring " + problem + "; using " + kernels.name());
      }
      int bits = (Integer) panama.getMethod("bits").invoke(null);
      if (bits < 128) {
        log().log(Level.WARNING, "logits4j: the vector width of " + bits + " bits is below 128, where the Vector"
            + " API kernels do not pay, so logits4j runs its scalar kernels.");
        return ScalarReference.INSTANCE;
      }
      return kernels;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      log().log(Level.WARNING, "logits4j: could not initialise the Vector API kernels (" + e
          + "), so logits4j runs its scalar kernels. Start the JVM with --add-modules " + VECTOR_MODULE
          + " on JDK 25 to enable them.");
      return ScalarReference.INSTANCE;
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
