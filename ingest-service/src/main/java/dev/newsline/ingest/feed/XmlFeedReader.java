package dev.newsline.ingest.feed;

import com.rometools.rome.feed.module.DCModule;
import com.rometools.rome.feed.module.DCSubject;
import com.rometools.rome.feed.synd.SyndCategory;
import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.feed.synd.SyndLink;
import com.rometools.rome.feed.synd.SyndPerson;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.SyndFeedInput;
import com.rometools.rome.io.WireFeedInput;
import com.rometools.rome.io.impl.DateParser;
import com.rometools.rome.io.impl.XmlFixerReader;
import dev.newsline.ingest.article.RejectedInputException;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jdom2.Document;
import org.jdom2.Element;
import org.jdom2.JDOMException;
import org.jdom2.JDOMFactory;
import org.jdom2.Namespace;
import org.jdom2.input.SAXBuilder;
import org.jdom2.input.sax.SAXHandler;
import org.jdom2.output.Format;
import org.jdom2.output.XMLOutputter;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;

/**
 * RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom through ROME, parsed securely: a document with a DOCTYPE
 * is rejected before parsing ({@code doctype-forbidden}), and the parser itself is ROME's with
 * DOCTYPEs disallowed, external entities and external DTDs off and entity expansion off, so no
 * entity is ever resolved or expanded even if the first check were bypassed. Elements nested
 * deeper than {@link #MAX_DEPTH} reject the document too ({@code malformed-feed}).
 *
 * <p>ROME drops unreadable dates silently, so the item elements are read alongside ROME's entries
 * to find dates that are present but unreadable, guids ROME would otherwise fill in from the link,
 * and {@code xml:lang}.
 */
final class XmlFeedReader {

    private static final String DC = "http://purl.org/dc/elements/1.1/";
    private static final String ATOM_10 = "http://www.w3.org/2005/Atom";
    private static final String ATOM_03 = "http://purl.org/atom/ns#";
    private static final String RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private static final Set<String> ATOM_DATES = Set.of("published", "updated");
    private static final Set<String> ATOM_03_DATES = Set.of("issued", "modified", "created");

    /**
     * Elements nested deeper than this reject the document. JDOM's output and ROME walk elements
     * recursively (an item is serialised for its dead letter, Atom xhtml content for its body), and
     * 100,000 levels overflowed the worker's stack; a StackOverflowError is not an input error, so
     * it stopped the ingest service. Real feeds nest a few dozen levels.
     */
    static final int MAX_DEPTH = 1000;

    private XmlFeedReader() {
    }

    static ParsedFeed read(FeedText.Decoded document, FeedSource source, Instant fetchedAt, int maxItemChars) {
        rejectDoctype(document.text());
        Document xml;
        try {
            // the fixer only turns HTML entity names (&nbsp;) into character references; no DTD is involved
            xml = secureBuilder().build(new XmlFixerReader(new StringReader(document.text())));
        } catch (JDOMException e) {
            throw new RejectedInputException(e.getMessage() != null && e.getMessage().contains("DOCTYPE")
                    ? "doctype-forbidden" : "malformed-feed", "not well-formed XML: " + e.getMessage());
        } catch (IOException e) {
            throw new RejectedInputException("malformed-feed", "cannot read XML: " + e.getMessage());
        }
        SyndFeed feed;
        try {
            feed = secureFeedInput().build(xml);
        } catch (IllegalArgumentException e) {
            throw new RejectedInputException("unknown-format", "XML document with root <" + xml.getRootElement().getName()
                    + "> is not RSS or Atom");
        } catch (FeedException e) {
            throw new RejectedInputException("malformed-feed", "not a valid feed: " + e.getMessage());
        }
        Element root = xml.getRootElement();
        String language = feed.getLanguage() != null ? feed.getLanguage()
                : root.getAttributeValue("lang", Namespace.XML_NAMESPACE);
        ItemMapper mapper = new ItemMapper(source, feed.getTitle(), language, document, fetchedAt, maxItemChars);
        List<SyndEntry> entries = feed.getEntries();
        List<Element> elements = itemElements(root);
        boolean aligned = elements.size() == entries.size();
        for (int i = 0; i < entries.size(); i++) {
            mapper.add(item(i + 1, entries.get(i), aligned ? elements.get(i) : null));
        }
        return mapper.result(feed.getFeedType(), feed.getTitle());
    }

    /** ROME's parser, with DOCTYPEs disallowed and no entity resolution or expansion. */
    static SAXBuilder secureBuilder() {
        return new SecureInput().saxBuilder();
    }

    /** ROME's input as we use it: DOCTYPEs disallowed, no healing of the reader. */
    static SyndFeedInput secureFeedInput() {
        SyndFeedInput input = new SyndFeedInput(false, Locale.US);
        input.setAllowDoctypes(false);
        input.setXmlHealerOn(false);
        return input;
    }

    /** A DOCTYPE can only sit in the prolog: before the root element, among comments and processing instructions. */
    static void rejectDoctype(String text) {
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\uFEFF') {
                i++;
            } else if (text.startsWith("<?", i)) {
                int end = text.indexOf("?>", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (text.startsWith("<!--", i)) {
                int end = text.indexOf("-->", i + 4);
                i = end < 0 ? n : end + 3;
            } else if (text.regionMatches(true, i, "<!DOCTYPE", 0, 9)) {
                throw new RejectedInputException("doctype-forbidden",
                        "document declares a DOCTYPE; DTDs and entity declarations are refused");
            } else {
                return;
            }
        }
    }

    private static FeedItem item(int index, SyndEntry entry, Element element) {
        String link = entry.getLink();
        if (ItemMapper.blankToNull(link) == null) {
            for (SyndLink l : entry.getLinks()) {
                if (l.getRel() == null || l.getRel().equals("alternate")) {
                    link = l.getHref();
                    break;
                }
            }
        }
        DCModule dc = (DCModule) entry.getModule(DCModule.URI);
        List<String> authors = new ArrayList<>();
        for (SyndPerson p : entry.getAuthors()) {
            authors.add(p.getName());
        }
        if (authors.isEmpty() && entry.getAuthor() != null) {
            authors.add(entry.getAuthor());
        }
        List<String> categories = new ArrayList<>();
        for (SyndCategory c : entry.getCategories()) {
            categories.add(c.getName());
        }
        if (categories.isEmpty() && dc != null) {
            for (DCSubject s : dc.getSubjects()) {
                categories.add(s.getValue());
            }
        }
        String language = dc != null ? dc.getLanguage() : null;
        if (language == null && element != null) {
            language = element.getAttributeValue("lang", Namespace.XML_NAMESPACE);
        }
        List<String> contents = new ArrayList<>();
        for (SyndContent c : entry.getContents()) {
            if (c.getValue() != null && !c.getValue().isBlank()) {
                contents.add(c.getValue());
            }
        }
        Date published = entry.getPublishedDate() != null ? entry.getPublishedDate() : entry.getUpdatedDate();
        return new FeedItem(index, link, guid(entry, element), entry.getTitle(),
                entry.getDescription() == null ? null : entry.getDescription().getValue(),
                contents.isEmpty() ? null : String.join("\n", contents),
                authors, categories, language,
                published == null ? null : published.toInstant(),
                element == null ? null : unreadableDate(element),
                element == null ? entry.getTitle() : new XMLOutputter(Format.getCompactFormat()).outputString(element));
    }

    private static String guid(SyndEntry entry, Element element) {
        if (element == null) {
            return entry.getUri();
        }
        // ROME fills the entry URI from the link when an RSS item has no guid; the element tells them apart
        return switch (element.getName()) {
            case "entry" -> childText(element, "id");
            case "item" -> element.getAttributeValue("about", Namespace.getNamespace(RDF)) != null
                    ? element.getAttributeValue("about", Namespace.getNamespace(RDF))
                    : childText(element, "guid");
            default -> entry.getUri();
        };
    }

    private static String unreadableDate(Element element) {
        for (Element child : element.getChildren()) {
            String ns = child.getNamespaceURI();
            String name = child.getName();
            boolean isDate = name.equals("pubDate") && ns.isEmpty()
                    || name.equals("date") && ns.equals(DC)
                    || ATOM_DATES.contains(name) && ns.equals(ATOM_10)
                    || ATOM_03_DATES.contains(name) && ns.equals(ATOM_03);
            String text = child.getTextTrim();
            if (isDate && !text.isEmpty() && DateParser.parseDate(text, Locale.US) == null) {
                return text;
            }
        }
        return null;
    }

    private static List<Element> itemElements(Element root) {
        List<Element> out = new ArrayList<>();
        switch (root.getName()) {
            case "rss" -> {
                for (Element channel : root.getChildren()) {
                    if (channel.getName().equals("channel")) {
                        channel.getChildren().stream().filter(e -> e.getName().equals("item")).forEach(out::add);
                    }
                }
            }
            case "RDF" -> root.getChildren().stream().filter(e -> e.getName().equals("item")).forEach(out::add);
            case "feed" -> root.getChildren().stream().filter(e -> e.getName().equals("entry")).forEach(out::add);
            default -> {
                // an unknown root yields no element view; items are still read through ROME
            }
        }
        return out;
    }

    private static String childText(Element parent, String name) {
        for (Element child : parent.getChildren()) {
            if (child.getName().equals(name)) {
                return child.getTextTrim();
            }
        }
        return null;
    }

    /** Exposes ROME's own hardened SAX builder, so the parser settings are ROME's and not a copy. */
    private static final class SecureInput extends WireFeedInput {

        SecureInput() {
            super(false, Locale.US);
            setAllowDoctypes(false);
            setXmlHealerOn(false);
        }

        SAXBuilder saxBuilder() {
            SAXBuilder builder = createSAXBuilder();
            builder.setExpandEntities(false);
            // counted in JDOM's handler, so the limit holds whichever SAX parser JAXP finds (the JDK's,
            // or Xerces where CoreNLP brings it onto the classpath)
            builder.setSAXHandlerFactory(DepthLimitedHandler::new);
            return builder;
        }
    }

    /** JDOM's handler, failing the parse at the first element deeper than {@link #MAX_DEPTH}. */
    private static final class DepthLimitedHandler extends SAXHandler {

        private int depth;

        DepthLimitedHandler(JDOMFactory factory) {
            super(factory);
        }

        @Override
        public void startElement(String namespaceURI, String localName, String qName, Attributes atts) throws SAXException {
            if (++depth > MAX_DEPTH) {
                throw new SAXException("elements nested deeper than " + MAX_DEPTH + " levels");
            }
            super.startElement(namespaceURI, localName, qName, atts);
        }

        @Override
        public void endElement(String namespaceURI, String localName, String qName) throws SAXException {
            depth--;
            super.endElement(namespaceURI, localName, qName);
        }

        @Override
        protected void resetSubCLass() {
            depth = 0;
        }
    }
}
