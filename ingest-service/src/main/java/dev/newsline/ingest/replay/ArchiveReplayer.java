package dev.newsline.ingest.replay;

import dev.newsline.ingest.article.ArticleJson;
import dev.newsline.ingest.article.RejectedInputException;
import dev.newsline.ingest.produce.ArticleProducer;
import dev.newsline.model.RawArticle;
import dev.newsline.model.topic.DeadLetters;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Replays archives of JSON Lines articles ({@code .jsonl}, {@code .json}, either optionally
 * {@code .gz}, or directories of them) into {@code news.articles.raw}. A line that cannot become
 * an article is dead-lettered with its reason and {@code path:line} as origin; the replay goes on.
 * Within one replay an article already produced with the same content is skipped as a duplicate.
 */
public final class ArchiveReplayer {

    /** Largest line accepted; longer lines are rejected as 'too-large'. */
    public static final int MAX_LINE_CHARS = 8 * 1024 * 1024;

    private final ArticleProducer producer;
    private final ReplayOptions options;
    private final Consumer<Long> progress;

    /**
     * @param producer where articles go; may be null for a dry run
     * @param progress called with the count of articles read so far, after each article
     */
    public ArchiveReplayer(ArticleProducer producer, ReplayOptions options, Consumer<Long> progress) {
        if (producer == null && !options.dryRun()) {
            throw new IllegalArgumentException("a producer is required unless this is a dry run");
        }
        this.producer = producer;
        this.options = options;
        this.progress = progress;
    }

    /** Expands directories into the archive files they hold, sorted by path. */
    public static List<Path> archiveFiles(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile).filter(ArchiveReplayer::isArchive).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + p, e);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new IllegalArgumentException("no such file or directory: " + p);
            }
        }
        return files;
    }

    public ReplaySummary replay(List<Path> paths) {
        long started = System.nanoTime();
        Counters c = new Counters();
        for (Path file : archiveFiles(paths)) {
            replayFile(file, c);
        }
        if (producer != null) {
            producer.flush();
        }
        return new ReplaySummary(c.read, c.produced, c.duplicates, c.filtered, new TreeMap<>(c.rejected),
                (System.nanoTime() - started) / 1_000_000);
    }

    private void replayFile(Path file, Counters c) {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().toLowerCase(Locale.ROOT).endsWith(".gz") ? new GZIPInputStream(raw, 65536) : raw;
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                     .onMalformedInput(CodingErrorAction.REPORT)
                     .onUnmappableCharacter(CodingErrorAction.REPORT)), 65536)) {
            long lineNo = 0;
            while (true) {
                String line;
                try {
                    line = reader.readLine();
                } catch (CharacterCodingException e) {
                    reject(c, "invalid-utf8", "input is not valid UTF-8 after line " + lineNo, file, lineNo + 1, null);
                    return;
                }
                if (line == null) {
                    break;
                }
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                handleLine(line, file, lineNo, c);
            }
        } catch (IOException e) {
            reject(c, "unreadable-archive", e.toString(), file, 0, null);
        }
    }

    private void handleLine(String line, Path file, long lineNo, Counters c) {
        c.read++;
        try {
            if (line.length() > MAX_LINE_CHARS) {
                throw new RejectedInputException("too-large", "line of " + line.length() + " characters exceeds " + MAX_LINE_CHARS);
            }
            RawArticle article = ArticleJson.parse(line, Instant.now());
            if (!options.inRange(article.getPublished())) {
                c.filtered++;
            } else if (article.getContentHash().equals(c.seen.put(article.getId(), article.getContentHash()))) {
                c.duplicates++;
            } else {
                pace(c);
                if (!options.dryRun()) {
                    producer.send(article);
                }
                c.produced++;
            }
        } catch (RejectedInputException e) {
            reject(c, e.reason(), e.getMessage(), file, lineNo, line);
        }
        progress.accept(c.read);
    }

    private void reject(Counters c, String reason, String detail, Path file, long lineNo, String line) {
        c.rejected.merge(reason, 1L, Long::sum);
        if (!options.dryRun()) {
            producer.deadLetter(DeadLetters.of("ingest", reason, detail, null, file.toString(), null, lineNo, null,
                    line == null ? null : line.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private void pace(Counters c) {
        if (options.ratePerSec() <= 0) {
            return;
        }
        long due = c.startNanos + (long) (c.produced * 1_000_000_000L / options.ratePerSec());
        long wait = due - System.nanoTime();
        if (wait > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
    }

    private static boolean isArchive(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        String base = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
        return base.endsWith(".jsonl") || base.endsWith(".json") || base.endsWith(".ndjson");
    }

    private static final class Counters {
        final long startNanos = System.nanoTime();
        final Map<String, String> seen = new HashMap<>();
        final Map<String, Long> rejected = new HashMap<>();
        long read;
        long produced;
        long duplicates;
        long filtered;
    }
}
