package dev.newsline.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rometools.rome.io.ParsingFeedException;
import dev.newsline.ingest.article.ArticleIds;
import dev.newsline.ingest.article.RejectedInputException;
import dev.newsline.model.RawArticle;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.jdom2.input.JDOMParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.InputSource;

class FeedParserTest {

    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final FeedSource SOURCE = new FeedSource("https://fictional.example/feeds/main.xml", "Fictional Daily",
            "https://fictional.example/feeds/main.xml");

    private final FeedParser parser = new FeedParser();

    @Test
    void shouldMapEveryFieldOfAnRss20Item() {
        ParsedFeed feed = parse("""
                <?xml version="1.0" encoding="UTF-8"?>
                <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
                  <channel>
                    <title>The Fictional Daily</title><link>https://fictional.example/</link><description>Made up</description>
                    <language>en-GB</language>
                    <item>
                      <title>Harbour bridge reopens</title>
                      <link>https://fictional.example/news/bridge?utm_source=rss</link>
                      <guid isPermaLink="false">fd-2026-0001</guid>
                      <description>The bridge is open again.</description>
                      <content:encoded><![CDATA[<p>The <b>bridge</b> is open again after repairs.</p>]]></content:encoded>
                      <dc:creator>Ada Quill</dc:creator>
                      <category>Transport</category><category>Local</category>
                      <pubDate>Mon, 30 Nov 2026 07:15:00 +0100</pubDate>
                    </item>
                  </channel>
                </rss>
                """);

        assertThat(feed.format()).isEqualTo("rss_2.0");
        assertThat(feed.title()).isEqualTo("The Fictional Daily");
        assertThat(feed.rejected()).isEmpty();
        RawArticle a = feed.articles().get(0);
        assertThat(a.getCanonicalUrl()).isEqualTo("https://fictional.example/news/bridge");
        assertThat(a.getId()).isEqualTo(ArticleIds.idForUrl("https://fictional.example/news/bridge"));
        assertThat(a.getUrl()).isEqualTo("https://fictional.example/news/bridge?utm_source=rss");
        assertThat(a.getGuid()).isEqualTo("fd-2026-0001");
        assertThat(a.getTitle()).isEqualTo("Harbour bridge reopens");
        assertThat(a.getSummary()).isEqualTo("The bridge is open again.");
        assertThat(a.getBody()).isEqualTo("<p>The <b>bridge</b> is open again after repairs.</p>");
        assertThat(a.getAuthors()).containsExactly("Ada Quill");
        assertThat(a.getCategories()).containsExactly("Transport", "Local");
        assertThat(a.getLanguage()).isEqualTo("en-GB");
        assertThat(a.getPublished()).isEqualTo(Instant.parse("2026-11-30T06:15:00Z"));
        assertThat(a.getFetchedAt()).isEqualTo(NOW);
        assertThat(a.getFeedUrl()).isEqualTo(SOURCE.feedUrl());
        assertThat(a.getSource()).isEqualTo("Fictional Daily");
        assertThat(a.getContentHash()).isEqualTo(ArticleIds.contentHash(a.getTitle(), a.getSummary(), a.getBody()));
    }

    @Test
    void shouldReadAnRss10RdfDocument() {
        ParsedFeed feed = parse("""
                <?xml version="1.0"?>
                <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
                         xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
                  <channel rdf:about="https://rdf.fictional.example/">
                    <title>RDF Gazette</title><link>https://rdf.fictional.example/</link><description>d</description>
                    <dc:language>fr</dc:language>
                  </channel>
                  <item rdf:about="https://rdf.fictional.example/a/1">
                    <title>Le marché ouvre</title><link>https://rdf.fictional.example/a/1</link>
                    <description>Résumé</description>
                    <content:encoded>&lt;p&gt;Texte complet&lt;/p&gt;</content:encoded>
                    <dc:date>2026-11-29T18:00:00Z</dc:date><dc:creator>Jeanne Plume</dc:creator><dc:subject>Économie</dc:subject>
                  </item>
                </rdf:RDF>
                """);

        assertThat(feed.format()).isEqualTo("rss_1.0");
        RawArticle a = feed.articles().get(0);
        assertThat(a.getCanonicalUrl()).isEqualTo("https://rdf.fictional.example/a/1");
        assertThat(a.getTitle()).isEqualTo("Le marché ouvre");
        assertThat(a.getSummary()).isEqualTo("Résumé");
        assertThat(a.getBody()).isEqualTo("<p>Texte complet</p>");
        assertThat(a.getAuthors()).containsExactly("Jeanne Plume");
        assertThat(a.getCategories()).containsExactly("Économie");
        assertThat(a.getLanguage()).isEqualTo("fr");
        assertThat(a.getPublished()).isEqualTo(Instant.parse("2026-11-29T18:00:00Z"));
    }

    @Test
    void shouldReadAnAtom10Document() {
        ParsedFeed feed = parse("""
                <?xml version="1.0" encoding="utf-8"?>
                <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
                  <title>Atom Anzeiger</title><id>urn:fictional:atom</id><updated>2026-11-30T08:00:00Z</updated>
                  <entry>
                    <title type="html">Neue &lt;em&gt;Brücke&lt;/em&gt;</title>
                    <id>urn:fictional:atom:1</id>
                    <link rel="alternate" href="/artikel/1"/>
                    <published>2026-11-30T07:00:00Z</published><updated>2026-11-30T09:00:00Z</updated>
                    <summary>Kurz</summary>
                    <content type="html">&lt;p&gt;Lang&lt;/p&gt;</content>
                    <author><name>Karl Feder</name></author><author><name>Lena Tinte</name></author>
                    <category term="Verkehr"/>
                  </entry>
                  <entry xml:lang="en">
                    <title>Second</title><id>urn:fictional:atom:2</id><updated>2026-11-30T09:30:00Z</updated>
                    <content type="text">Only an id, no link</content>
                  </entry>
                </feed>
                """);

        assertThat(feed.format()).isEqualTo("atom_1.0");
        RawArticle first = feed.articles().get(0);
        assertThat(first.getUrl()).as("relative link resolved against the feed URL").isEqualTo("https://fictional.example/artikel/1");
        assertThat(first.getGuid()).isEqualTo("urn:fictional:atom:1");
        assertThat(first.getTitle()).isEqualTo("Neue <em>Brücke</em>");
        assertThat(first.getBody()).isEqualTo("<p>Lang</p>");
        assertThat(first.getAuthors()).containsExactly("Karl Feder", "Lena Tinte");
        assertThat(first.getCategories()).containsExactly("Verkehr");
        assertThat(first.getLanguage()).isEqualTo("de");
        assertThat(first.getPublished()).isEqualTo(Instant.parse("2026-11-30T07:00:00Z"));
        RawArticle second = feed.articles().get(1);
        assertThat(second.getId()).isEqualTo(ArticleIds.idForGuid("urn:fictional:atom:2"));
        assertThat(second.getCanonicalUrl()).isEqualTo("urn:newsline:guid:urn:fictional:atom:2");
        assertThat(second.getLanguage()).isEqualTo("en");
        assertThat(second.getPublished()).as("updated when not published").isEqualTo(Instant.parse("2026-11-30T09:30:00Z"));
    }

    @Test
    void shouldReadAJsonFeed11Document() {
        ParsedFeed feed = parse("""
                {"version": "https://jsonfeed.org/version/1.1", "title": "JSON Journal", "language": "en-US",
                 "authors": [{"name": "Desk"}],
                 "items": [
                   {"id": "jj-1", "url": "https://json.fictional.example/1", "title": "One",
                    "content_html": "<p>First</p>", "summary": "S1", "date_published": "2026-11-30T06:00:00-05:00",
                    "authors": [{"name": "Omar Ink"}], "tags": ["Science", "Space"]},
                   {"id": 2, "content_text": "Text only", "date_modified": "2026-11-30T08:00:00Z", "language": "es"}
                 ]}
                """);

        assertThat(feed.format()).isEqualTo("json_feed_1.1");
        RawArticle one = feed.articles().get(0);
        assertThat(one.getId()).isEqualTo(ArticleIds.idForUrl("https://json.fictional.example/1"));
        assertThat(one.getGuid()).isEqualTo("jj-1");
        assertThat(one.getBody()).isEqualTo("<p>First</p>");
        assertThat(one.getSummary()).isEqualTo("S1");
        assertThat(one.getAuthors()).containsExactly("Omar Ink");
        assertThat(one.getCategories()).containsExactly("Science", "Space");
        assertThat(one.getLanguage()).isEqualTo("en-US");
        assertThat(one.getPublished()).isEqualTo(Instant.parse("2026-11-30T11:00:00Z"));
        RawArticle two = feed.articles().get(1);
        assertThat(two.getId()).isEqualTo(ArticleIds.idForGuid("2"));
        assertThat(two.getBody()).isEqualTo("Text only");
        assertThat(two.getAuthors()).containsExactly("Desk");
        assertThat(two.getLanguage()).isEqualTo("es");
    }

    @Test
    void shouldRejectBadItemsOneByOneAndKeepTheValidOnes() {
        byte[] document = withInvalidUtf8("""
                <?xml version="1.0" encoding="UTF-8"?>
                <rss version="2.0"><channel><title>Mixed</title><link>https://mixed.fictional.example/</link><description>d</description>
                  <item><title>Good one</title><link>https://mixed.fictional.example/1</link><pubDate>Mon, 30 Nov 2026 07:00:00 GMT</pubDate></item>
                  <item><title>Neither link nor guid</title><description>orphan</description></item>
                  <item><title>Bad date</title><link>https://mixed.fictional.example/3</link><pubDate>the day after tomorrow</pubDate></item>
                  <item><title>Broken bytes</title><link>https://mixed.fictional.example/4</link><description>caf@BAD@ au lait</description></item>
                  <item><title>Script link</title><link>javascript:alert(1)</link></item>
                  <item><title>From the future</title><link>https://mixed.fictional.example/6</link><pubDate>Sat, 30 Nov 2030 07:00:00 GMT</pubDate></item>
                  <item><title>Good two</title><guid isPermaLink="false">mixed-7</guid></item>
                </channel></rss>
                """);

        ParsedFeed feed = parser.parse(document, "application/rss+xml", SOURCE, NOW);

        assertThat(feed.articles()).extracting(RawArticle::getTitle).containsExactly("Good one", "Good two");
        assertThat(feed.rejected()).extracting(RejectedItem::index, RejectedItem::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2, "missing-link"),
                org.assertj.core.groups.Tuple.tuple(3, "invalid-date"),
                org.assertj.core.groups.Tuple.tuple(4, "invalid-utf8"),
                org.assertj.core.groups.Tuple.tuple(5, "invalid-url"),
                org.assertj.core.groups.Tuple.tuple(6, "invalid-date"));
        assertThat(feed.rejected().get(1).detail()).contains("the day after tomorrow");
        assertThat(feed.rejected().get(2).detail()).contains("summary");
        assertThat(new String(feed.rejected().get(0).payload(), StandardCharsets.UTF_8)).contains("Neither link nor guid");
    }

    @Test
    void shouldRejectAnAbsurdlyLargeItem() {
        String big = "x".repeat(5000);
        ParsedFeed feed = new FeedParser(4096).parse(utf8("""
                <rss version="2.0"><channel><title>Big</title>
                  <item><title>Small</title><link>https://big.fictional.example/1</link></item>
                  <item><title>Large</title><link>https://big.fictional.example/2</link><description>%s</description></item>
                </channel></rss>""".formatted(big)), null, SOURCE, NOW);

        assertThat(feed.articles()).extracting(RawArticle::getTitle).containsExactly("Small");
        assertThat(feed.rejected()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("too-large");
            assertThat(r.detail()).contains("ingest.item.max.chars");
        });
    }

    @Test
    void shouldRejectAnItemWithinTheCharacterLimitWhoseBytesCannotFitInAKafkaRecord() {
        // 400,000 characters pass ingest.item.max.chars; in UTF-8 they are 1.2 MB, more than a record takes
        String cjk = "\u65b0\u95fb".repeat(200_000);
        ParsedFeed feed = parser.parse(utf8("""
                <rss version="2.0"><channel><title>Wide</title>
                  <item><title>Small</title><link>https://wide.fictional.example/1</link></item>
                  <item><title>Wide</title><link>https://wide.fictional.example/2</link><description>%s</description></item>
                </channel></rss>""".formatted(cjk)), null, SOURCE, NOW);

        assertThat(feed.articles()).extracting(RawArticle::getTitle).containsExactly("Small");
        assertThat(feed.rejected()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("too-large");
            assertThat(r.detail()).contains("bytes");
        });
    }

    @Test
    void shouldRejectAnXxeDocumentWithoutReadingTheEntity(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-VALUE");
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE rss [<!ENTITY leak SYSTEM "%s">]>
                <rss version="2.0"><channel><title>&leak;</title>
                  <item><title>&leak;</title><link>https://xxe.fictional.example/1</link></item>
                </channel></rss>""".formatted(secret.toUri());

        assertThatThrownBy(() -> parser.parse(utf8(xxe), null, SOURCE, NOW))
                .isInstanceOfSatisfying(RejectedInputException.class, e -> {
                    assertThat(e.reason()).isEqualTo("doctype-forbidden");
                    assertThat(e.getMessage()).doesNotContain("TOP-SECRET-VALUE");
                });
    }

    @Test
    void shouldRejectABillionLaughsDocumentWithoutExpandingIt() {
        StringBuilder dtd = new StringBuilder("<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        String laughs = "<?xml version=\"1.0\"?>\n<!-- ten to the ninth laughs -->\n<!DOCTYPE rss [" + dtd
                + "]>\n<rss version=\"2.0\"><channel><title>&lol9;</title></channel></rss>";

        assertThatThrownBy(() -> parser.parse(utf8(laughs), null, SOURCE, NOW))
                .isInstanceOfSatisfying(RejectedInputException.class, e -> assertThat(e.reason()).isEqualTo("doctype-forbidden"));
    }

    @Test
    void shouldHaveRomesOwnParserRefuseDoctypesWhenTheFirstCheckIsBypassed(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-VALUE");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY leak SYSTEM \"" + secret.toUri() + "\">]>"
                + "<rss version=\"2.0\"><channel><title>&leak;</title></channel></rss>";

        assertThat(XmlFeedReader.secureFeedInput().isAllowDoctypes()).isFalse();
        assertThatThrownBy(() -> XmlFeedReader.secureBuilder().build(new StringReader(xxe)))
                .isInstanceOf(JDOMParseException.class).hasMessageContaining("DOCTYPE is disallowed")
                .hasMessageNotContaining("TOP-SECRET-VALUE");
        assertThatThrownBy(() -> XmlFeedReader.secureFeedInput().build(new InputSource(new StringReader(xxe))))
                .isInstanceOf(ParsingFeedException.class).hasMessageContaining("DOCTYPE is disallowed");
    }

    @Test
    void shouldRejectADocumentNestedTooDeepInsteadOfOverflowingTheStack() {
        String deep = "<div>".repeat(100_000) + "deep" + "</div>".repeat(100_000);
        assertThatThrownBy(() -> parse("""
                <feed xmlns="http://www.w3.org/2005/Atom"><title>Deep</title><id>urn:deep</id>
                  <entry><title>Deep</title><id>urn:deep:1</id><link href="https://deep.fictional.example/1"/>
                    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">%s</div></content></entry>
                </feed>""".formatted(deep)))
                .isInstanceOfSatisfying(RejectedInputException.class, e -> {
                    assertThat(e.reason()).isEqualTo("malformed-feed");
                    assertThat(e.getMessage()).contains("nested deeper than " + XmlFeedReader.MAX_DEPTH);
                });

        String nested = "<div>".repeat(50) + "fifty levels" + "</div>".repeat(50);
        ParsedFeed feed = parse("""
                <feed xmlns="http://www.w3.org/2005/Atom"><title>Nested</title><id>urn:nested</id>
                  <entry><title>Nested</title><id>urn:nested:1</id><link href="https://deep.fictional.example/2"/>
                    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">%s</div></content></entry>
                </feed>""".formatted(nested));
        assertThat(feed.articles()).singleElement().satisfies(a -> assertThat(a.getBody()).contains("fifty levels"));
    }

    @Test
    void shouldFindADoctypeAnywhereInTheProlog() {
        assertThatThrownBy(() -> XmlFeedReader.rejectDoctype("\uFEFF<?xml version=\"1.0\"?>\n<!-- c --><?pi x?>\n<!doctype rss>"))
                .isInstanceOf(RejectedInputException.class);
        XmlFeedReader.rejectDoctype("<?xml version=\"1.0\"?><rss><channel><title>&lt;!DOCTYPE is only text here</title></channel></rss>");
    }

    @Test
    void shouldRejectUnreadableDocumentsAsAWhole() {
        assertDocumentRejected("<rss version=\"2.0\"><channel><title>cut off", "malformed-feed");
        assertDocumentRejected("<html><body>not a feed</body></html>", "unknown-format");
        assertDocumentRejected("{\"title\": \"no version\", \"items\": []}", "malformed-feed");
        assertDocumentRejected("{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": ", "malformed-feed");
        assertDocumentRejected("plain text", "unknown-format");
        assertDocumentRejected("", "empty-document");
        assertDocumentRejected("  \n ", "empty-document");
        assertDocumentRejected("<?xml version=\"1.0\" encoding=\"x-no-such-charset\"?><rss/>", "unsupported-charset");
    }

    @Test
    void shouldDecodeTheCharsetTheDocumentDeclares() {
        byte[] latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>T</title><item><title>Caf\u00e9 cr\u00e8me</title><link>https://latin.fictional.example/1</link></item></channel></rss>"
                .getBytes(StandardCharsets.ISO_8859_1);

        ParsedFeed feed = parser.parse(latin1, "text/xml; charset=UTF-8", SOURCE, NOW);

        assertThat(feed.articles()).extracting(RawArticle::getTitle).containsExactly("Café crème");
    }

    @Test
    void shouldTellAJsonFeedFromJsonLines() throws Exception {
        assertThat(FeedParser.isJsonFeed(stream("{\"title\":\"x\",\"items\":[{\"id\":\"1\"}],\"version\":\"https://jsonfeed.org/version/1\"}")))
                .isTrue();
        assertThat(FeedParser.isJsonFeed(stream("{\"url\":\"https://a.example/\",\"body\":\"x\"}\n{\"url\":\"https://b.example/\",\"body\":\"y\"}")))
                .isFalse();
        assertThat(FeedParser.isJsonFeed(stream("{broken"))).isFalse();
    }

    private ParsedFeed parse(String document) {
        return parser.parse(utf8(document), null, SOURCE, NOW);
    }

    private void assertDocumentRejected(String document, String reason) {
        assertThatThrownBy(() -> parse(document))
                .isInstanceOfSatisfying(RejectedInputException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(utf8(s));
    }

    /** The document with each {@code @BAD@} replaced by a byte sequence that is not UTF-8. */
    static byte[] withInvalidUtf8(String document) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> parts = List.of(document.split("@BAD@", -1));
        for (int i = 0; i < parts.size(); i++) {
            out.writeBytes(utf8(parts.get(i)));
            if (i < parts.size() - 1) {
                out.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28});
            }
        }
        return out.toByteArray();
    }
}
