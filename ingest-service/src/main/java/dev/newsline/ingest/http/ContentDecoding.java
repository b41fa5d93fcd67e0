package dev.newsline.ingest.http;

import dev.newsline.ingest.io.BoundedRead;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Undoes a Content-Encoding ourselves (the JDK client does not), counting the decompressed
 * bytes so that a gzip bomb is cut off at the cap instead of filling the heap.
 */
final class ContentDecoding {

    private ContentDecoding() {
    }

    static byte[] decode(byte[] body, String contentEncoding, int maxBytes) {
        String encoding = contentEncoding == null ? "identity" : contentEncoding.strip().toLowerCase(Locale.ROOT);
        try {
            return switch (encoding) {
                case "", "identity" -> body;
                case "gzip", "x-gzip" -> inflate(new GZIPInputStream(new ByteArrayInputStream(body), 16 * 1024), maxBytes);
                case "deflate" -> inflate(new InflaterInputStream(new ByteArrayInputStream(body)), maxBytes);
                default -> throw new FetchException("unsupported-encoding", "Content-Encoding '" + encoding + "' is not supported");
            };
        } catch (IOException e) {
            throw new FetchException("bad-encoding", "cannot decode " + encoding + " body: " + e.getMessage(), e);
        }
    }

    private static byte[] inflate(InputStream in, int maxBytes) throws IOException {
        try (in) {
            return BoundedRead.readAtMost(in, maxBytes);
        } catch (BoundedRead.LimitExceededException e) {
            throw new FetchException("too-large", "decompressed body exceeds the limit of " + maxBytes
                    + " bytes (ingest.http.max.bytes)");
        }
    }
}
