package dev.newsline.ingest.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ByteLinesTest {

    @Test
    void shouldSplitAtNewlinesDroppingCarriageReturnsAndKeepALastLineWithoutTerminator() throws IOException {
        assertThat(texts("a\r\n\nbb\nlast", 100)).containsExactly("a", "", "bb", "last");
        assertThat(texts("one\n", 100)).containsExactly("one");
        assertThat(texts("", 100)).isEmpty();
    }

    @Test
    void shouldJoinALineSpanningManyBuffers() throws IOException {
        String big = "x".repeat(200_000);
        assertThat(texts("a\n" + big + "\nb", 1_000_000)).containsExactly("a", big, "b");
    }

    @Test
    void shouldKeepOnlyTheCapOfAnOverlongLineAndCarryOnAfterIt() throws IOException {
        ByteLines lines = new ByteLines(new ByteArrayInputStream(("ok\n" + "y".repeat(150_000) + "\nnext\n")
                .getBytes(StandardCharsets.US_ASCII)), 10);
        assertThat(lines.next().truncated()).isFalse();
        ByteLines.Line overlong = lines.next();
        assertThat(overlong.truncated()).isTrue();
        assertThat(overlong.length()).isEqualTo(150_000);
        assertThat(new String(overlong.bytes(), StandardCharsets.US_ASCII)).isEqualTo("y".repeat(10));
        assertThat(new String(lines.next().bytes(), StandardCharsets.US_ASCII)).isEqualTo("next");
        assertThat(lines.next()).isNull();
    }

    @Test
    void shouldSplitManyLinesAcrossBufferBoundariesAsStringSplitDoes() throws IOException {
        java.util.Random random = new java.util.Random(11);
        StringBuilder text = new StringBuilder();
        List<String> expected = new ArrayList<>();
        while (text.length() < 1_000_000) {
            String line = "\u00e9ab".repeat(random.nextInt(1_000));
            expected.add(line);
            text.append(line).append(random.nextBoolean() ? "\r\n" : "\n");
        }
        assertThat(texts(text.toString(), 1_000_000)).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldTreatALineOfExactlyTheCapAsWholeAndOneByteMoreAsTruncated() throws IOException {
        ByteLines lines = new ByteLines(new ByteArrayInputStream("0123456789\n0123456789A\n012345678\r\n0123456789\r\n"
                .getBytes(StandardCharsets.US_ASCII)), 10);
        assertThat(lines.next()).satisfies(l -> assertThat(l.truncated()).isFalse()).satisfies(l -> assertThat(l.length()).isEqualTo(10));
        assertThat(lines.next()).satisfies(l -> assertThat(l.truncated()).isTrue()).satisfies(l -> assertThat(l.length()).isEqualTo(11));
        assertThat(lines.next()).satisfies(l -> assertThat(l.truncated()).isFalse()).satisfies(l -> assertThat(l.length()).isEqualTo(9));
        // the carriage return is past the cap, so it is not known to end the line: cut, as before
        assertThat(lines.next()).satisfies(l -> assertThat(l.truncated()).isTrue()).satisfies(l -> assertThat(l.length()).isEqualTo(11));
        assertThat(lines.next()).isNull();
    }

    private static List<String> texts(String text, int cap) throws IOException {
        ByteLines lines = new ByteLines(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), cap);
        List<String> out = new ArrayList<>();
        for (ByteLines.Line l = lines.next(); l != null; l = lines.next()) {
            assertThat(l.truncated()).isFalse();
            out.add(new String(l.bytes(), StandardCharsets.UTF_8));
        }
        return out;
    }
}
