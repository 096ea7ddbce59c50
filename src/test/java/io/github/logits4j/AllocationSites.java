package io.github.logits4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the calls that {@link AllocationTest} found allocating allocate: a flight recording of their
 * allocations, started only once they were found (a recording armed from the start changes the JIT's
 * history enough to hide the case), summarised by allocated class, the two innermost frames and the innermost
 * frames of the library. Compiled frames include the inlined ones, so the summary names the operation that
 * was left to its Java fallback or the call that boxed.
 */
final class AllocationSites {
  private AllocationSites() {}

  /** Runs each allocating call many times under a recording and returns a summary of its allocation sites. */
  static String record(List<AllocationTest.Call> calls, List<String> allocating) {
    try (Recording recording = new Recording()) {
      for (String event : List.of("jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB")) {
        recording.enable(event).withStackTrace();
      }
      recording.enable("jdk.ObjectAllocationSample").withStackTrace().with("throttle", "off");
      recording.start();
      for (AllocationTest.Call call : calls) {
        if (allocating.stream().anyMatch(a -> a.startsWith(call.name() + ":"))) {
          long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
          for (int i = 0; i < 5 || System.nanoTime() < end; i++) {
            call.run().run();
          }
        }
      }
      recording.stop();
      Path file = Files.createTempFile("allocation-sites", ".jfr");
      recording.dump(file);
      Map<String, Long> sites = new TreeMap<>();
      for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
        if (!event.getThread("eventThread").getJavaName().equals(Thread.currentThread().getName())
            || event.getStackTrace() == null) {
          continue;
        }
        List<RecordedFrame> frames = event.getStackTrace().getFrames();
        String site = frames.stream().limit(2).map(AllocationSites::frame).collect(Collectors.joining(" < "))
            + " ... " + frames.stream().filter(f -> f.getMethod().getType().getName().startsWith("io.github.logits4j"))
                .limit(4).map(AllocationSites::frame).collect(Collectors.joining(" < "));
        sites.merge(event.getClass("objectClass").getName() + " at " + site, 1L, Long::sum);
      }
      return "allocation sites (class at innermost frames, events), recorded in " + file + ":\n  "
          + sites.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
              .map(e -> e.getValue() + "  " + e.getKey()).collect(Collectors.joining("\n  "));
    } catch (IOException | RuntimeException e) {
      return "allocation sites not recorded: " + e;
    }
  }

  private static String frame(RecordedFrame f) {
    String type = f.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName() + ":" + f.getLineNumber()
        + "(" + f.getType() + ")";
  }
}
