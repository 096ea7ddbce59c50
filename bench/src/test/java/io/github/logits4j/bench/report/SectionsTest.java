package io.github.logits4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SectionsTest {
  @Test
  void headingsMoveDownSoThatTheHighestIsLevelThree() {
    String fragment = "# Spark\n\ntext\n\n## Setup\n\n```\n# a shell comment, not a heading\n```\n#hashtag\n";
    assertEquals("### Spark\n\ntext\n\n#### Setup\n\n```\n# a shell comment, not a heading\n```\n#hashtag\n",
        Sections.include(fragment, "", 3));
    assertEquals("### low\n###### lower\n", Sections.include("## low\n##### lower\n", "", 3));
    assertEquals("### top\n###### capped at six\n", Sections.include("# top\n##### capped at six\n", "", 3));
    assertEquals("#### already low\n", Sections.include("#### already low\n", "", 3));
  }

  @Test
  void relativeLinksPointFromTheReportToTheFragmentsFolder() {
    String fragment = "![chart](spark.svg) and [data](data/run.json \"the run\") and [site](https://example.org/x) "
        + "and [anchor](#setup) and [root](/abs)\n[ref]: spark.csv\n```\n[kept](as-is.md)\n```\n";
    assertEquals("![chart](sections/spark.svg) and [data](sections/data/run.json \"the run\") and "
        + "[site](https://example.org/x) and [anchor](#setup) and [root](/abs)\n[ref]: sections/spark.csv\n```\n"
        + "[kept](as-is.md)\n```\n", Sections.include(fragment, "sections/", 3));
  }

  @Test
  void fragmentsAreReadInNameOrderWithLinksFromTheReportFolder(@TempDir Path dir) throws Exception {
    Path sections = Files.createDirectories(dir.resolve("bench/report/sections"));
    Files.writeString(sections.resolve("b-spark.md"), "# Spark\n![c](spark.svg)\n");
    Files.writeString(sections.resolve("a-cli.md"), "# CLI cold start\n");
    Files.writeString(sections.resolve("notes.txt"), "not a fragment");
    List<Sections.Fragment> fromReport = Sections.read(sections, dir.resolve("bench/report"));
    assertEquals(List.of("a-cli.md", "b-spark.md"), fromReport.stream().map(Sections.Fragment::name).toList());
    assertEquals("### Spark\n![c](sections/spark.svg)\n", fromReport.get(1).text());
    Path quick = Files.createDirectories(dir.resolve("bench/target/quick-report"));
    assertEquals("### Spark\n![c](../../report/sections/spark.svg)\n", Sections.read(sections, quick).get(1).text());
    assertEquals(List.of(), Sections.read(dir.resolve("none"), quick));
  }
}
