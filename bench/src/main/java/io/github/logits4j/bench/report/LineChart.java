package io.github.logits4j.bench.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A line chart on logarithmic x and y axes, as SVG: one line per series with a marker at each point, a
 * legend naming every series in its colour, x ticks at the x values of the data (labelled with the points'
 * x labels, e.g. the shape {@code 1024x1000}) and y ticks at 1, 2 and 5 times the powers of ten that span the
 * data (the powers of ten alone when those would be too many).
 *
 * <p>The structure is stable so that it can be read back: {@code <g class="x-axis">} and
 * {@code <g class="y-axis">} each hold an {@code axis-line} and one {@code <g class="tick">} per tick (its
 * {@code line} and, unless it would overlap the previous label, its {@code text}); each series is a
 * {@code <g class="series">} with a {@code polyline} (two points or more) and one {@code circle} per point,
 * whose {@code title} names the series, the x label and the value; the legend is a {@code <g class="legend">}
 * of {@code <g class="legend-entry">}, each a {@code line} in the series' colour and a {@code text}.
 */
final class LineChart {
  /** A data point: both coordinates positive; {@code xLabel} names the x value on its tick. */
  record Point(double x, double y, String xLabel) {
    Point {
      if (!(x > 0) || !(y > 0) || !Double.isFinite(x) || !Double.isFinite(y)) {
        throw new IllegalArgumentException("a log-scale point needs positive finite coordinates: " + x + ", " + y);
      }
    }
  }

  /** A line: its legend label, its colour (any SVG paint), drawn thicker when emphasised. */
  record Series(String label, String color, boolean emphasis, List<Point> points) {}

  static final double LEFT = 78, TOP = 64, PLOT_WIDTH = 500, PLOT_HEIGHT = 300;
  static final double RIGHT = LEFT + PLOT_WIDTH, BOTTOM = TOP + PLOT_HEIGHT;
  private static final double MIN_LABEL_GAP = 18;

  private final String title;
  private final String subtitle;
  private final String xTitle;
  private final String yTitle;
  private final String unit;
  private final List<Series> series;

  /**
   * @param unit what a y value is, for the points' tooltips (e.g. {@code ns per element})
   */
  LineChart(String title, String subtitle, String xTitle, String yTitle, String unit, List<Series> series) {
    if (series.stream().allMatch(s -> s.points().isEmpty())) {
      throw new IllegalArgumentException("a chart needs at least one point");
    }
    this.title = title;
    this.subtitle = subtitle;
    this.xTitle = xTitle;
    this.yTitle = yTitle;
    this.unit = unit;
    this.series = List.copyOf(series);
  }

  /** The chart as a standalone SVG document. */
  String svg() {
    List<Point> all = series.stream().flatMap(s -> s.points().stream()).toList();
    double minX = all.stream().mapToDouble(Point::x).min().orElseThrow();
    double maxX = all.stream().mapToDouble(Point::x).max().orElseThrow();
    double minY = all.stream().mapToDouble(Point::y).min().orElseThrow();
    double maxY = all.stream().mapToDouble(Point::y).max().orElseThrow();
    double x0 = Math.log10(minX), x1 = Math.log10(maxX);
    if (x1 - x0 == 0) {
      x0 -= 0.5;
      x1 += 0.5;
    } else {
      double pad = (x1 - x0) * 0.05;
      x0 -= pad;
      x1 += pad;
    }
    List<BigDecimal> yTicks = yTicks(minY, maxY);
    double y0 = Math.log10(yTicks.getFirst().doubleValue()), y1 = Math.log10(yTicks.getLast().doubleValue());
    double xLo = x0, xHi = x1;
    java.util.function.DoubleUnaryOperator px = x -> LEFT + (Math.log10(x) - xLo) / (xHi - xLo) * PLOT_WIDTH;
    java.util.function.DoubleUnaryOperator py = y -> BOTTOM - (Math.log10(y) - y0) / (y1 - y0) * PLOT_HEIGHT;

    int longest = series.stream().mapToInt(s -> s.label().length()).max().orElse(0);
    double legendX = RIGHT + 24;
    double width = Math.ceil(legendX + 34 + longest * 7.2 + 16);
    double height = Math.max(BOTTOM + 96, TOP + 12 + 22 * series.size() + 16);

    Svg svg = Svg.root(width, height).attr("font-family", "sans-serif").attr("font-size", 12);
    svg.add("title").text(title);
    svg.add("rect").attr("width", width).attr("height", height).attr("fill", "white");
    svg.add("text").attr("class", "title").attr("x", LEFT).attr("y", 24).attr("font-size", 16)
        .attr("font-weight", "bold").text(title);
    svg.add("text").attr("class", "subtitle").attr("x", LEFT).attr("y", 44).attr("fill", "#444").text(subtitle);

    Svg yAxis = svg.add("g").attr("class", "y-axis");
    for (BigDecimal t : yTicks) {
      double y = py.applyAsDouble(t.doubleValue());
      Svg tick = yAxis.add("g").attr("class", "tick").attr("data-value", t.toPlainString());
      tick.add("line").attr("x1", LEFT).attr("y1", y).attr("x2", RIGHT).attr("y2", y).attr("stroke", "#ddd");
      tick.add("text").attr("x", LEFT - 6).attr("y", y + 4).attr("text-anchor", "end").text(t.toPlainString());
    }
    yAxis.add("line").attr("class", "axis-line").attr("x1", LEFT).attr("y1", TOP).attr("x2", LEFT)
        .attr("y2", BOTTOM).attr("stroke", "black");
    double yTitleX = 20, yTitleY = TOP + PLOT_HEIGHT / 2;
    yAxis.add("text").attr("class", "axis-title").attr("x", yTitleX).attr("y", yTitleY)
        .attr("text-anchor", "middle").attr("transform", "rotate(-90 " + Svg.number(yTitleX) + " "
            + Svg.number(yTitleY) + ")").text(yTitle);

    Map<Double, Set<String>> xLabels = new TreeMap<>();
    for (Point p : all) {
      xLabels.computeIfAbsent(p.x(), k -> new LinkedHashSet<>()).add(p.xLabel());
    }
    Svg xAxis = svg.add("g").attr("class", "x-axis");
    double lastLabel = Double.NEGATIVE_INFINITY;
    for (Map.Entry<Double, Set<String>> e : xLabels.entrySet()) {
      double x = px.applyAsDouble(e.getKey());
      Svg tick = xAxis.add("g").attr("class", "tick").attr("data-value", BigDecimal.valueOf(e.getKey())
          .stripTrailingZeros().toPlainString());
      tick.add("line").attr("x1", x).attr("y1", TOP).attr("x2", x).attr("y2", BOTTOM + 5).attr("stroke", "#eee");
      if (x - lastLabel >= MIN_LABEL_GAP) {
        double ly = BOTTOM + 16;
        tick.add("text").attr("x", x).attr("y", ly).attr("text-anchor", "end")
            .attr("transform", "rotate(-35 " + Svg.number(x) + " " + Svg.number(ly) + ")")
            .text(String.join(", ", e.getValue()));
        lastLabel = x;
      }
    }
    xAxis.add("line").attr("class", "axis-line").attr("x1", LEFT).attr("y1", BOTTOM).attr("x2", RIGHT)
        .attr("y2", BOTTOM).attr("stroke", "black");
    xAxis.add("text").attr("class", "axis-title").attr("x", LEFT + PLOT_WIDTH / 2).attr("y", BOTTOM + 84)
        .attr("text-anchor", "middle").text(xTitle);

    // emphasised series last, so that they are drawn on top
    List<Series> drawOrder = new ArrayList<>(series);
    drawOrder.sort(Comparator.comparing(Series::emphasis));
    Map<Series, Svg> groups = new LinkedHashMap<>();
    Svg plot = svg.add("g").attr("class", "plot");
    for (Series s : drawOrder) {
      Svg g = plot.add("g").attr("class", "series").attr("data-label", s.label());
      groups.put(s, g);
      List<Point> sorted = s.points().stream().sorted(Comparator.comparingDouble(Point::x)).toList();
      if (sorted.size() >= 2) {
        StringBuilder pts = new StringBuilder();
        for (Point p : sorted) {
          pts.append(pts.isEmpty() ? "" : " ").append(Svg.number(px.applyAsDouble(p.x()))).append(',')
              .append(Svg.number(py.applyAsDouble(p.y())));
        }
        g.add("polyline").attr("points", pts.toString()).attr("fill", "none").attr("stroke", s.color())
            .attr("stroke-width", s.emphasis() ? 3 : 1.5);
      }
      for (Point p : sorted) {
        Svg c = g.add("circle").attr("cx", px.applyAsDouble(p.x())).attr("cy", py.applyAsDouble(p.y()))
            .attr("r", s.emphasis() ? 4 : 3).attr("fill", s.color());
        c.add("title").text(s.label() + ", " + p.xLabel() + ": " + Format.time(p.y()) + " " + unit);
      }
    }

    Svg legend = svg.add("g").attr("class", "legend");
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      double y = TOP + 12 + 22 * i;
      Svg entry = legend.add("g").attr("class", "legend-entry");
      entry.add("line").attr("x1", legendX).attr("y1", y).attr("x2", legendX + 24).attr("y2", y)
          .attr("stroke", s.color()).attr("stroke-width", s.emphasis() ? 3 : 1.5);
      entry.add("text").attr("x", legendX + 32).attr("y", y + 4).text(s.label());
    }
    return svg.document();
  }

  /**
   * Ticks for a log axis spanning {@code [min, max]}: 1, 2 and 5 times powers of ten, from the largest at
   * or below {@code min} to the smallest at or above {@code max} (one step further each way when both are
   * the same tick); powers of ten alone when that gives more than 12 ticks.
   */
  static List<BigDecimal> yTicks(double min, double max) {
    List<BigDecimal> ticks = ticks(new int[] {1, 2, 5}, min, max);
    return ticks.size() <= 12 ? ticks : ticks(new int[] {1}, min, max);
  }

  private static List<BigDecimal> ticks(int[] mantissas, double min, double max) {
    List<BigDecimal> candidates = new ArrayList<>();
    int e0 = (int) Math.floor(Math.log10(min)) - 2, e1 = (int) Math.floor(Math.log10(max)) + 2;
    for (int e = e0; e <= e1; e++) {
      for (int m : mantissas) {
        candidates.add(BigDecimal.valueOf(m).scaleByPowerOfTen(e));
      }
    }
    int lo = 0, hi = candidates.size() - 1;
    for (int i = 0; i < candidates.size(); i++) {
      if (candidates.get(i).doubleValue() <= min) {
        lo = i;
      }
    }
    for (int i = candidates.size() - 1; i >= 0; i--) {
      if (candidates.get(i).doubleValue() >= max) {
        hi = i;
      }
    }
    if (lo == hi) {
      lo--;
      hi++;
    }
    return List.copyOf(candidates.subList(lo, hi + 1));
  }
}
