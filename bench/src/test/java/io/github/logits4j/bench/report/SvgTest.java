package io.github.logits4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class SvgTest {
  @Test
  void documentParsesBackWithItsTextAndAttributes() throws Exception {
    Svg root = Svg.root(200, 100);
    Svg g = root.add("g").attr("class", "outer");
    g.add("text").attr("x", 1.5).attr("y", 2).text("hello");
    g.add("circle").attr("r", 3);
    Document doc = Xml.parse(root.document());
    Element svg = doc.getDocumentElement();
    assertEquals("svg", svg.getLocalName());
    assertEquals(Svg.NAMESPACE, svg.getNamespaceURI());
    assertEquals("200", svg.getAttribute("width"));
    assertEquals("0 0 200 100", svg.getAttribute("viewBox"));
    Element text = Xml.one(svg, "text", null);
    assertEquals("hello", text.getTextContent());
    assertEquals("1.5", text.getAttribute("x"));
    assertEquals(1, Xml.find(svg, "circle", null).size());
  }

  @Test
  void anyStringSurvivesAsTextAndAsAttribute() throws Exception {
    String nasty = "a < b && c > d \"quoted\" 'single' ]]> <!-- --> tab\tline\nreturn\r end \uD83D\uDE00";
    Svg root = Svg.root(10, 10);
    root.add("text").attr("data-label", nasty).text(nasty);
    Element text = Xml.one(Xml.parse(root.document()).getDocumentElement(), "text", null);
    assertEquals(nasty, text.getAttribute("data-label"));
    assertEquals(nasty, text.getTextContent());
  }

  @Test
  void charactersXmlCannotHoldBecomeReplacementCharacters() throws Exception {
    String bad = "bell\u0007 nul\u0000 lone\uD800 end\uFFFF";
    Svg root = Svg.root(10, 10);
    root.add("text").attr("data-label", bad).text(bad);
    Element text = Xml.one(Xml.parse(root.document()).getDocumentElement(), "text", null);
    String expected = "bell\uFFFD nul\uFFFD lone\uFFFD end\uFFFD";
    assertEquals(expected, text.getTextContent());
    assertEquals(expected, text.getAttribute("data-label"));
  }

  @Test
  void namesAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> Svg.element("not a name"));
    assertThrows(IllegalArgumentException.class, () -> Svg.element("g").attr("on\"click", "x"));
  }

  @Test
  void numbersHaveAtMostTwoDecimalsAndAreFinite() {
    assertEquals("1", Svg.number(1.0));
    assertEquals("0.5", Svg.number(0.5));
    assertEquals("123.46", Svg.number(123.456));
    assertEquals("0", Svg.number(-0.001));
    assertEquals("-2.25", Svg.number(-2.25));
    assertThrows(IllegalArgumentException.class, () -> Svg.number(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> Svg.number(Double.POSITIVE_INFINITY));
  }
}
