package io.github.logits4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.bench.report.LineChart.Point;
import io.github.logits4j.bench.report.LineChart.Series;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;

class LineChartTest {
  // columns of each shape, as the tests read the x tick labels back
  static final Map<String, Double> COLS = Map.of("16384x4", 4.0, "16384x10", 10.0, "1024x1000", 1000.0,
      "8x128256", 128256.0);

  static final Series OURS = new Series("logits4j", "#0072B2", true, List.of(new Point(4, 14.36, "16384x4"),
      new Point(10, 11.13, "16384x10"), new Point(1000, 0.397, "1024x1000"), new Point(128256, 0.461, "8x128256")));
  static final Series SCALAR = new Series("scalar reference", "#D55E00", false,
      List.of(new Point(1000, 17.19, "1024x1000"), new Point(4, 18.40, "16384x4")));
  static final Series ONE_POINT = new Series("ONNX Runtime", "#009E73", false, List.of(new Point(1000, 0.314,
      "1024x1000")));

  static Element chart(Series... series) throws Exception {
    String svg = new LineChart("softmax, float32", "lower is faster", "columns", "ns per element", "ns per element",
        List.of(series)).svg();
    return Xml.parse(svg).getDocumentElement();
  }

  @Test
  void isWellFormedSvgWithATitle() throws Exception {
    Element svg = chart(OURS, SCALAR, ONE_POINT);
    assertEquals("svg", svg.getLocalName());
    assertEquals(Svg.NAMESPACE, svg.getNamespaceURI());
    assertTrue(Xml.number(svg, "width") > LineChart.RIGHT);
    assertTrue(Xml.number(svg, "height") > LineChart.BOTTOM);
    assertEquals("softmax, float32", Xml.one(svg, "text", "title").getTextContent());
    assertEquals("softmax, float32", Xml.children(svg, "title").getFirst().getTextContent());
  }

  @Test
  void xTicksAreTheShapesInOrderOfColumns() throws Exception {
    Element xAxis = Xml.one(chart(OURS, SCALAR, ONE_POINT), "g", "x-axis");
    Xml.one(xAxis, "line", "axis-line");
    assertEquals("columns", Xml.one(xAxis, "text", "axis-title").getTextContent());
    List<String> labels = new ArrayList<>();
    double previous = Double.NEGATIVE_INFINITY;
    for (Element tick : Xml.find(xAxis, "g", "tick")) {
      labels.add(Xml.children(tick, "text").getFirst().getTextContent());
      double x = Xml.number(Xml.children(tick, "line").getFirst(), "x1");
      assertTrue(x > previous, "ticks left to right");
      previous = x;
    }
    assertEquals(List.of("16384x4", "16384x10", "1024x1000", "8x128256"), labels);
  }

  @Test
  void yTicksAreOneTwoFiveAndSpanTheData() throws Exception {
    Element yAxis = Xml.one(chart(OURS, SCALAR, ONE_POINT), "g", "y-axis");
    Xml.one(yAxis, "line", "axis-line");
    assertEquals("ns per element", Xml.one(yAxis, "text", "axis-title").getTextContent());
    List<Element> ticks = Xml.find(yAxis, "g", "tick");
    List<String> labels = ticks.stream().map(t -> Xml.children(t, "text").getFirst().getTextContent()).toList();
    // data from 0.314 to 18.40
    assertEquals(List.of("0.2", "0.5", "1", "2", "5", "10", "20"), labels);
    double previous = Double.POSITIVE_INFINITY;
    for (Element tick : ticks) {
      double y = Xml.number(Xml.children(tick, "line").getFirst(), "y1");
      assertTrue(y < previous, "larger values higher up");
      previous = y;
    }
  }

  @Test
  void pointsSitWhereTheTicksSayTheirValuesAre() throws Exception {
    Element svg = chart(OURS, SCALAR, ONE_POINT);
    // log-scale positions from the first and last tick of each axis, read back from the drawing
    List<Element> xTicks = Xml.find(Xml.one(svg, "g", "x-axis"), "g", "tick");
    List<Element> yTicks = Xml.find(Xml.one(svg, "g", "y-axis"), "g", "tick");
    double xa = tickPosition(xTicks.getFirst(), "x1"), xb = tickPosition(xTicks.getLast(), "x1");
    double va = COLS.get(tickLabel(xTicks.getFirst())), vb = COLS.get(tickLabel(xTicks.getLast()));
    double ya = tickPosition(yTicks.getFirst(), "y1"), yb = tickPosition(yTicks.getLast(), "y1");
    double wa = Double.parseDouble(tickLabel(yTicks.getFirst())), wb = Double.parseDouble(tickLabel(yTicks.getLast()));
    int checked = 0;
    for (Series s : List.of(OURS, SCALAR, ONE_POINT)) {
      Element g = series(svg, s.label());
      List<Element> circles = Xml.children(g, "circle");
      List<Point> expected = s.points().stream().sorted(Comparator.comparingDouble(Point::x)).toList();
      assertEquals(expected.size(), circles.size(), s.label());
      for (int i = 0; i < circles.size(); i++) {
        Point p = expected.get(i);
        double cx = xa + (Math.log(p.x()) - Math.log(va)) / (Math.log(vb) - Math.log(va)) * (xb - xa);
        double cy = ya + (Math.log(p.y()) - Math.log(wa)) / (Math.log(wb) - Math.log(wa)) * (yb - ya);
        assertEquals(cx, Xml.number(circles.get(i), "cx"), 0.02, s.label() + " " + p);
        assertEquals(cy, Xml.number(circles.get(i), "cy"), 0.02, s.label() + " " + p);
        String tooltip = Xml.children(circles.get(i), "title").getFirst().getTextContent();
        assertEquals(s.label() + ", " + p.xLabel() + ": " + Format.time(p.y()) + " ns per element", tooltip);
        checked++;
      }
    }
    assertEquals(7, checked);
  }

  @Test
  void theLineJoinsTheSeriesPointsLeftToRight() throws Exception {
    Element g = series(chart(OURS, SCALAR, ONE_POINT), "scalar reference");
    String[] points = Xml.children(g, "polyline").getFirst().getAttribute("points").split(" ");
    List<Element> circles = Xml.children(g, "circle");
    assertEquals(circles.size(), points.length);
    for (int i = 0; i < points.length; i++) {
      String[] xy = points[i].split(",");
      assertEquals(Xml.number(circles.get(i), "cx"), Double.parseDouble(xy[0]), 1e-9);
      assertEquals(Xml.number(circles.get(i), "cy"), Double.parseDouble(xy[1]), 1e-9);
    }
    // a single point has no line
    assertEquals(0, Xml.children(series(chart(OURS, SCALAR, ONE_POINT), "ONNX Runtime"), "polyline").size());
  }

  @Test
  void theLegendNamesEverySeriesInItsColour() throws Exception {
    Element svg = chart(OURS, SCALAR, ONE_POINT);
    List<Element> entries = Xml.find(Xml.one(svg, "g", "legend"), "g", "legend-entry");
    List<Series> all = List.of(OURS, SCALAR, ONE_POINT);
    assertEquals(all.size(), entries.size());
    assertEquals(all.size(), Xml.find(svg, "g", "series").size());
    for (int i = 0; i < all.size(); i++) {
      Series s = all.get(i);
      assertEquals(s.label(), Xml.children(entries.get(i), "text").getFirst().getTextContent());
      assertEquals(s.color(), Xml.children(entries.get(i), "line").getFirst().getAttribute("stroke"));
      for (Element c : Xml.children(series(svg, s.label()), "circle")) {
        assertEquals(s.color(), c.getAttribute("fill"));
      }
    }
    double ours = Xml.number(Xml.children(series(svg, "logits4j"), "polyline").getFirst(), "stroke-width");
    double theirs = Xml.number(Xml.children(series(svg, "scalar reference"), "polyline").getFirst(), "stroke-width");
    assertTrue(ours > theirs, "the emphasised series is drawn thicker");
  }

  @Test
  void labelsAreEscaped() throws Exception {
    String label = "peer <b> & \"friends\" 'quoted'";
    Series odd = new Series(label, "#000", false, List.of(new Point(10, 1, "x<10>"), new Point(100, 2, "x&100")));
    Element svg = chart(odd);
    assertEquals(label, Xml.children(Xml.one(svg, "g", "legend-entry"), "text").getFirst().getTextContent());
    assertEquals(label, Xml.one(svg, "g", "series").getAttribute("data-label"));
    List<String> ticks = Xml.find(Xml.one(svg, "g", "x-axis"), "g", "tick").stream().map(LineChartTest::tickLabel)
        .toList();
    assertEquals(List.of("x<10>", "x&100"), ticks);
  }

  @Test
  void oneColumnCountOrOneValueStillGivesFiniteCoordinates() throws Exception {
    Series flat = new Series("flat", "#000", false, List.of(new Point(1000, 1, "8x1000"), new Point(1000, 1,
        "64x1000")));
    Element svg = chart(flat);
    Element tick = Xml.one(Xml.one(svg, "g", "x-axis"), "g", "tick");
    assertEquals("8x1000, 64x1000", tickLabel(tick));
    for (Element c : Xml.find(svg, "circle", null)) {
      assertEquals(tickPosition(tick, "x1"), Xml.number(c, "cx"), 0.01);
    }
    assertEquals(List.of("0.5", "1", "2"), Xml.find(Xml.one(svg, "g", "y-axis"), "g", "tick").stream()
        .map(LineChartTest::tickLabel).toList());
    assertAllNumbersFinite(svg);
  }

  @Test
  void aLabelThatWouldOverlapItsNeighbourIsLeftOut() throws Exception {
    Series close = new Series("close", "#000", false, List.of(new Point(4, 1, "a"), new Point(1000, 1, "b"),
        new Point(1024, 2, "c"), new Point(128256, 3, "d")));
    List<Element> ticks = Xml.find(Xml.one(chart(close), "g", "x-axis"), "g", "tick");
    assertEquals(4, ticks.size());
    assertEquals(List.of(1, 1, 0, 1), ticks.stream().map(t -> Xml.children(t, "text").size()).toList());
  }

  @Test
  void logScalesNeedPositiveValues() {
    assertThrows(IllegalArgumentException.class, () -> new Point(0, 1, "0"));
    assertThrows(IllegalArgumentException.class, () -> new Point(1, -1, "1"));
    assertThrows(IllegalArgumentException.class, () -> new Point(1, Double.NaN, "1"));
  }

  @Test
  void yTicksFallBackToPowersOfTenOverWideRanges() {
    assertEquals(List.of("0.05", "0.1", "0.2", "0.5", "1", "2", "5", "10", "20", "50"), plain(LineChart.yTicks(0.083,
        25.49)));
    assertEquals(List.of("0.001", "0.01", "0.1", "1", "10", "100", "1000"), plain(LineChart.yTicks(0.001, 1000)));
    assertEquals(List.of("1", "2"), plain(LineChart.yTicks(1, 2)));
  }

  static List<String> plain(List<BigDecimal> ticks) {
    return ticks.stream().map(BigDecimal::toPlainString).toList();
  }

  static Element series(Element svg, String label) {
    return Xml.find(svg, "g", "series").stream().filter(g -> g.getAttribute("data-label").equals(label)).findFirst()
        .orElseThrow(() -> new AssertionError("no series " + label));
  }

  static String tickLabel(Element tick) {
    return Xml.children(tick, "text").getFirst().getTextContent();
  }

  static double tickPosition(Element tick, String attribute) {
    return Xml.number(Xml.children(tick, "line").getFirst(), attribute);
  }

  static void assertAllNumbersFinite(Element e) {
    NamedNodeMap attributes = e.getAttributes();
    for (int i = 0; i < attributes.getLength(); i++) {
      String v = attributes.item(i).getNodeValue();
      assertTrue(!v.contains("NaN") && !v.contains("Infinity"), attributes.item(i).getNodeName() + "=" + v);
    }
    for (int i = 0; i < e.getChildNodes().getLength(); i++) {
      if (e.getChildNodes().item(i) instanceof Element c) {
        assertAllNumbersFinite(c);
      }
    }
  }
}
