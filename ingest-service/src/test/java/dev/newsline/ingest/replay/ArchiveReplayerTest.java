package dev.newsline.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chunked, read-ahead parsing of JSON Lines archives (dry runs: no broker needed): every
 * line is accounted for once, in file order, across chunk boundaries.
 */
class ArchiveReplayerTest {

    private static final int LINES = ArchiveReplayer.PARSE_CHUNK * 3 + 17;

    @Test
    void shouldAccountForEveryLineAcrossChunksInFileOrder(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("a.jsonl");
        StringBuilder text = new StringBuilder();
        int blank = 0;
        int invalid = 0;
        for (int i = 1; i <= LINES; i++) {
            if (i % 97 == 0) {
                text.append("{not json\n");
                invalid++;
            } else if (i == ArchiveReplayer.PARSE_CHUNK || i == ArchiveReplayer.PARSE_CHUNK + 1) {
                text.append("   \n");
                blank++;
            } else {
                text.append(line(i));
            }
        }
        Files.writeString(archive, text);
        List<Long> progress = new ArrayList<>();

        ReplaySummary summary = new ArchiveReplayer(null, dryRun(), progress::add).replay(List.of(archive));

        assertThat(summary.read()).isEqualTo(LINES - blank);
        assertThat(summary.produced()).isEqualTo(LINES - blank - invalid);
        assertThat(summary.rejected()).isEqualTo(Map.of("invalid-json", (long) invalid));
        assertThat(progress).hasSize(LINES - blank);
        for (int i = 0; i < progress.size(); i++) {
            assertThat(progress.get(i)).isEqualTo(i + 1L);
        }
    }

    @Test
    void shouldRejectALineOfInvalidUtf8AloneAndGoOn(@TempDir Path dir) throws Exception {
        int badLine = ArchiveReplayer.PARSE_CHUNK * 2 + 5;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 1; i <= LINES; i++) {
            if (i == badLine) {
                bytes.write(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});
            } else {
                bytes.write(line(i).getBytes(StandardCharsets.UTF_8));
            }
        }
        Path archive = dir.resolve("b.jsonl");
        Files.write(archive, bytes.toByteArray());
        Path next = dir.resolve("c.jsonl");
        Files.writeString(next, line(LINES + 1));

        ReplaySummary summary = new ArchiveReplayer(null, dryRun(), n -> { }).replay(List.of(archive, next));

        // every other line of the file, and the next file's line
        assertThat(summary.read()).isEqualTo(LINES + 1L);
        assertThat(summary.produced()).isEqualTo(LINES - 1 + 1L);
        assertThat(summary.rejected()).isEqualTo(Map.of("invalid-utf8", 1L));
    }

    @Test
    void shouldEndChunksEarlyOnBigLinesAndStillAccountForEveryLine(@TempDir Path dir) throws Exception {
        // 1 MiB lines: a chunk ends at CHUNK_BYTES long before PARSE_CHUNK lines
        int count = (int) (ArchiveReplayer.CHUNK_BYTES / (1024 * 1024)) * 2 + 3;
        String body = "word ".repeat(1024 * 1024 / 5);
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            text.append("{\"url\":\"https://news.example/big/").append(i).append("\",\"body\":\"").append(body).append("\"}\n");
        }
        Path archive = dir.resolve("big.jsonl");
        Files.writeString(archive, text);

        ReplaySummary summary = new ArchiveReplayer(null, dryRun(), n -> { }).replay(List.of(archive));

        // over the 512 KiB article limit: every line read once and rejected once
        assertThat(summary.read()).isEqualTo(count);
        assertThat(summary.rejected()).isEqualTo(Map.of("too-large", (long) count));
    }

    private static ReplayOptions dryRun() {
        return new ReplayOptions(null, null, 0, true);
    }

    private static String line(int i) {
        // some bodies hold a real U+FFFD, which is valid UTF-8 and must not be taken for a decoding error
        return "{\"url\":\"https://news.example/a/" + i + "\",\"title\":\"T" + i + "\",\"body\":\"Body " + i
                + (i % 50 == 0 ? " \uFFFD" : "") + ".\",\"published\":\"2025-03-0" + (1 + i % 9) + "T10:00:00Z\"}\n";
    }
}
