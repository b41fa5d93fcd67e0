package dev.newsline.ingest.feed;

import dev.newsline.ingest.article.RejectedInputException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes a feed document strictly. Byte sequences that are not valid in the document's charset
 * are not silently replaced: each becomes {@link #MALFORMED}, a Unicode noncharacter reserved for
 * internal use, so that the items containing them can be rejected one by one while the rest of
 * the document is kept. A genuine U+FDD0 in an otherwise valid document becomes U+FFFD; in a
 * document that also holds invalid bytes it counts as damage too (a noncharacter has no place in
 * a feed anyway).
 *
 * <p>Charset: a byte-order mark wins, then the XML declaration, then the Content-Type charset,
 * else UTF-8. JSON is always UTF-8 (RFC 8259) unless a BOM says UTF-16.
 */
final class FeedText {

    static final char MALFORMED = '\uFDD0';

    private static final Pattern XML_ENCODING = Pattern.compile(
            "^\\s*<\\?xml[^>]*?encoding\\s*=\\s*[\"']([A-Za-z0-9._:-]+)[\"']");
    private static final Pattern CONTENT_TYPE_CHARSET = Pattern.compile(
            "charset\\s*=\\s*\"?([A-Za-z0-9._:-]+)\"?", Pattern.CASE_INSENSITIVE);

    /**
     * @param text         the decoded document
     * @param charset      the charset used
     * @param hadMalformed whether any byte sequence was invalid
     */
    record Decoded(String text, Charset charset, boolean hadMalformed) {

        /** The reason code for items that contain undecodable bytes. */
        String malformedReason() {
            return charset.equals(StandardCharsets.UTF_8) ? "invalid-utf8" : "invalid-encoding";
        }
    }

    private FeedText() {
    }

    static Decoded decode(byte[] bytes, String contentType) {
        int offset = 0;
        Charset charset;
        if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
            charset = StandardCharsets.UTF_8;
            offset = 3;
        } else if (startsWith(bytes, 0xFE, 0xFF)) {
            charset = StandardCharsets.UTF_16BE;
            offset = 2;
        } else if (startsWith(bytes, 0xFF, 0xFE)) {
            charset = StandardCharsets.UTF_16LE;
            offset = 2;
        } else if (firstNonSpace(bytes) == '{' || firstNonSpace(bytes) == '[') {
            charset = StandardCharsets.UTF_8;
        } else {
            charset = declaredCharset(bytes, contentType);
        }
        return decode(bytes, offset, charset);
    }

    static Decoded decode(byte[] bytes, int offset, Charset charset) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
        CharBuffer out = CharBuffer.allocate(Math.max(16, (int) ((bytes.length - offset) * (double) decoder.averageCharsPerByte()) + 16));
        boolean malformed = false;
        while (true) {
            // decode is called even with nothing left: flush is only legal after a decode with endOfInput
            // (an empty document failed here with IllegalStateException instead of being rejected as empty)
            CoderResult r = decoder.decode(in, out, true);
            if (r.isUnderflow()) {
                r = decoder.flush(out);
                if (r.isUnderflow()) {
                    break;
                }
            }
            if (r.isOverflow()) {
                out = grow(out);
            } else if (r.isError()) {
                malformed = true;
                if (!out.hasRemaining()) {
                    out = grow(out);
                }
                out.put(MALFORMED);
                in.position(in.position() + r.length());
            }
        }
        out.flip();
        String text = out.toString();
        if (!malformed && text.indexOf(MALFORMED) >= 0) {
            text = text.replace(MALFORMED, '\uFFFD');
        }
        return new Decoded(text, charset, malformed);
    }

    /** Replaces the marker in feed-level strings (titles, names) that are kept even when damaged. */
    static String clean(String s) {
        return s == null ? null : s.replace(MALFORMED, '\uFFFD');
    }

    static boolean isDamaged(String s) {
        return s != null && s.indexOf(MALFORMED) >= 0;
    }

    private static Charset declaredCharset(byte[] bytes, String contentType) {
        String head = new String(bytes, 0, Math.min(bytes.length, 256), StandardCharsets.ISO_8859_1);
        Matcher xml = XML_ENCODING.matcher(head);
        if (xml.find()) {
            return charset(xml.group(1));
        }
        if (contentType != null) {
            Matcher ct = CONTENT_TYPE_CHARSET.matcher(contentType);
            if (ct.find()) {
                return charset(ct.group(1));
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static Charset charset(String name) {
        try {
            Charset c = Charset.forName(name.toUpperCase(Locale.ROOT));
            // an XML document that got this far without a BOM is in an ASCII-compatible encoding
            return c.equals(StandardCharsets.UTF_16) ? StandardCharsets.UTF_8 : c;
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new RejectedInputException("unsupported-charset", "document declares unknown charset '" + name + "'");
        }
    }

    private static CharBuffer grow(CharBuffer out) {
        CharBuffer bigger = CharBuffer.allocate(out.capacity() * 2);
        out.flip();
        bigger.put(out);
        return bigger;
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int firstNonSpace(byte[] b) {
        for (byte x : b) {
            if (x != ' ' && x != '\t' && x != '\r' && x != '\n') {
                return x;
            }
        }
        return -1;
    }
}
