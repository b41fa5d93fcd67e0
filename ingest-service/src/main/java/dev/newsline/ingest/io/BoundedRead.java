package dev.newsline.ingest.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads streams into memory with a hard cap, so a decompression bomb is cut off at the cap. */
public final class BoundedRead {

    private BoundedRead() {
    }

    /** Thrown when a stream holds more than the cap; nothing beyond the cap was buffered. */
    public static final class LimitExceededException extends IOException {

        private static final long serialVersionUID = 1L;

        private final long limit;

        public LimitExceededException(long limit) {
            super("more than " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    /**
     * Reads the whole stream, failing as soon as it yields more than {@code max} bytes.
     *
     * @throws LimitExceededException if the stream holds more than {@code max} bytes
     */
    public static byte[] readAtMost(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, 64 * 1024));
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > max) {
                throw new LimitExceededException(max);
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
