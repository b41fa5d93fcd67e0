package dev.newsline.enrich.text;

import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Turns feed text into the plain text that offsets point into. Plain text is kept unchanged
 * except for control characters; HTML (detected by a tag) becomes text with one paragraph per
 * block element, separated by a blank line, with scripts, styles and other non-content elements
 * dropped.
 *
 * <p>Control characters (C0 other than tab, line feed and carriage return; DEL; C1) are removed
 * everywhere: they carry no text, PostgreSQL refuses NUL in text columns (so the same article was
 * stored by the embedded store and dead-lettered by PostgreSQL), and escape sequences would reach
 * the terminal of whoever prints the stored text. Bidirectional formatting characters (U+202A-E,
 * U+2066-9) are text formatting, not controls, and are kept.
 */
public final class TextNormaliser {

    private static final Pattern HTML_TAG = Pattern.compile(
            "<(p|br|div|a|em|strong|b|i|span|h[1-6]|ul|ol|li|blockquote|script|style|img|figure|table|section|article)\\b[^>]*>",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ENTITY = Pattern.compile("&(#\\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]");

    private TextNormaliser() {
    }

    public static boolean looksLikeHtml(String s) {
        return HTML_TAG.matcher(s).find();
    }

    /** Body text: HTML to paragraphs, plain text unchanged; control characters removed from both. */
    public static String body(String raw) {
        if (raw == null) {
            return "";
        }
        String clean = withoutControls(raw);
        if (!looksLikeHtml(clean)) {
            return clean;
        }
        Document doc = Jsoup.parse(clean);
        doc.select("script, style, noscript, template, iframe, object, embed, svg, head").remove();
        StringBuilder out = new StringBuilder();
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode text) {
                    appendText(out, text.text());
                } else if (node instanceof Element e && e.normalName().equals("br")) {
                    trimTrailingSpace(out);
                    out.append('\n');
                } else if (node instanceof Element e && e.isBlock()) {
                    paragraphBreak(out);
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e && e.isBlock()) {
                    paragraphBreak(out);
                }
            }
        }, doc.body());
        return withoutControls(out.toString()).strip();
    }

    /** Title: one line, HTML tags and entities resolved, runs of white space folded, control characters removed. */
    public static String title(String raw) {
        if (raw == null) {
            return "";
        }
        String s = withoutControls(raw);
        if (looksLikeHtml(s) || ENTITY.matcher(s).find()) {
            // a character reference (&#0; &#x1b;) resolves to a control character of its own
            s = withoutControls(Jsoup.parse(s).text());
        }
        return s.replaceAll("\\s+", " ").strip();
    }

    /** The text without control characters (see the class comment); null stays null. */
    public static String withoutControls(String s) {
        return s == null || !CONTROL.matcher(s).find() ? s : CONTROL.matcher(s).replaceAll("");
    }

    private static void appendText(StringBuilder out, String text) {
        String folded = text.replaceAll("\\s+", " ");
        if (folded.isBlank()) {
            if (!out.isEmpty() && !Character.isWhitespace(out.charAt(out.length() - 1))) {
                out.append(' ');
            }
            return;
        }
        if (!out.isEmpty() && out.charAt(out.length() - 1) == '\n' && folded.startsWith(" ")) {
            folded = folded.substring(1);
        }
        out.append(folded);
    }

    private static void paragraphBreak(StringBuilder out) {
        trimTrailingSpace(out);
        if (out.isEmpty() || out.toString().endsWith("\n\n")) {
            return;
        }
        out.append(out.charAt(out.length() - 1) == '\n' ? "\n" : "\n\n");
    }

    private static void trimTrailingSpace(StringBuilder out) {
        while (!out.isEmpty() && out.charAt(out.length() - 1) == ' ') {
            out.setLength(out.length() - 1);
        }
    }
}
