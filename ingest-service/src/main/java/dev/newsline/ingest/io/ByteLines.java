package dev.newsline.ingest.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into lines of bytes at {@code \n} (a {@code \r} before it is dropped), without
 * decoding them, so that each line can be decoded and judged on its own: one line of invalid
 * UTF-8 costs that line only. A line longer than the cap is not held: its first {@code cap} bytes
 * are kept and the rest is skipped, and {@link Line#truncated()} says so.
 */
public final class ByteLines {

    /** One line without its terminator; {@code truncated} if the line had more than the cap. */
    public record Line(byte[] bytes, long length, boolean truncated) {
    }

    private final InputStream in;
    private final int cap;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private boolean eof;

    /** @param cap most bytes of one line kept in memory */
    public ByteLines(InputStream in, int cap) {
        this.in = in;
        this.cap = cap;
    }

    /** The next line, or null at the end of the stream; a last line without terminator counts. */
    public Line next() throws IOException {
        if (position < limit) {
            // the common case: the whole line is in the buffer, copied once
            int newline = indexOf((byte) '\n', position, limit);
            if (newline >= 0 && newline - position <= cap) {
                int start = position;
                position = newline + 1;
                int end = newline > start && buffer[newline - 1] == '\r' ? newline - 1 : newline;
                return new Line(Arrays.copyOfRange(buffer, start, end), end - start, false);
            }
        }
        byte[] line = new byte[256];
        int kept = 0;
        long length = 0;
        while (true) {
            if (position == limit && !fill()) {
                return length == 0 && kept == 0 ? null : finish(line, kept, length);
            }
            int newline = indexOf((byte) '\n', position, limit);
            int end = newline < 0 ? limit : newline;
            int n = end - position;
            int keep = (int) Math.min(n, Math.max(0, cap - kept));
            if (keep > 0) {
                if (kept + keep > line.length) {
                    line = Arrays.copyOf(line, Math.max(kept + keep, Math.min(cap, line.length * 2)));
                }
                System.arraycopy(buffer, position, line, kept, keep);
                kept += keep;
            }
            length += n;
            position = end;
            if (newline >= 0) {
                position++;
                return finish(line, kept, length);
            }
        }
    }

    private static Line finish(byte[] line, int kept, long length) {
        boolean truncated = length > kept;
        if (!truncated && kept > 0 && line[kept - 1] == '\r') {
            kept--;
            length--;
        }
        return new Line(Arrays.copyOf(line, kept), length, truncated);
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n = in.read(buffer);
        if (n < 0) {
            eof = true;
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
