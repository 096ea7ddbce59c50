package io.github.logits4j.bench.report;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** Reads SVG back with the JDK's XML parser, which rejects any document that is not well-formed. */
final class Xml {
  private Xml() {}

  static Document parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
  }

  /** The descendants of {@code root} (itself included) with this local name and, if not null, this class. */
  static List<Element> find(Element root, String name, String cssClass) {
    List<Element> out = new ArrayList<>();
    collect(root, name, cssClass, out);
    return out;
  }

  private static void collect(Element e, String name, String cssClass, List<Element> out) {
    if (e.getLocalName().equals(name) && (cssClass == null || e.getAttribute("class").equals(cssClass))) {
      out.add(e);
    }
    NodeList children = e.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i).getNodeType() == Node.ELEMENT_NODE) {
        collect((Element) children.item(i), name, cssClass, out);
      }
    }
  }

  /** The only descendant with this name and class. */
  static Element one(Element root, String name, String cssClass) {
    List<Element> found = find(root, name, cssClass);
    if (found.size() != 1) {
      throw new AssertionError("expected one <" + name + " class=" + cssClass + ">, found " + found.size());
    }
    return found.getFirst();
  }

  /** The direct children of {@code e} with this local name. */
  static List<Element> children(Element e, String name) {
    List<Element> out = new ArrayList<>();
    NodeList children = e.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof Element c && c.getLocalName().equals(name)) {
        out.add(c);
      }
    }
    return out;
  }

  static double number(Element e, String attribute) {
    return Double.parseDouble(e.getAttribute(attribute));
  }
}
