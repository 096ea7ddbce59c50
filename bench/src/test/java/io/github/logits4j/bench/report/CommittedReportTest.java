package io.github.logits4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed report ({@code bench/report/}) is what the generator makes of the committed run's files:
 * after a new run, a new fragment in {@code sections/} or a change to the generator, {@code bench/run
 * --report-only} brings it up to date.
 */
class CommittedReportTest {
  static final Path COMMITTED = Path.of("report");

  @Test
  void isWhatTheGeneratorMakesOfTheCommittedRun(@TempDir Path tmp) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("report"));
    try (Stream<Path> s = Files.list(COMMITTED)) {
      for (Path f : s.toList()) {
        String name = f.getFileName().toString();
        if (name.equals(Report.JMH) || name.equals(Environment.FILE) || name.matches("torch.*\\.json")) {
          Files.copy(f, dir.resolve(name));
        }
      }
    }
    Path sections = Files.createDirectories(dir.resolve("sections"));
    if (Files.isDirectory(COMMITTED.resolve("sections"))) {
      try (Stream<Path> s = Files.list(COMMITTED.resolve("sections"))) {
        for (Path f : s.toList()) {
          Files.copy(f, sections.resolve(f.getFileName()));
        }
      }
    }
    String md = Report.generate(dir, sections);
    String stale = "bench/report/ is not what the generator makes of its files: run bench/run --report-only";
    assertEquals(Files.readString(COMMITTED.resolve(Report.MARKDOWN)), md, stale);
    List<String> charts = names(dir.resolve(Report.CHARTS));
    assertEquals(charts, names(COMMITTED.resolve(Report.CHARTS)), stale);
    for (String chart : charts) {
      assertArrayEquals(Files.readAllBytes(dir.resolve(Report.CHARTS).resolve(chart)),
          Files.readAllBytes(COMMITTED.resolve(Report.CHARTS).resolve(chart)), stale + " (" + chart + ")");
    }
  }

  static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
