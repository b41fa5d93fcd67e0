package dev.newsline.ingest.replay;

import dev.newsline.ingest.article.ArticleJson;
import dev.newsline.ingest.article.RejectedInputException;
import dev.newsline.ingest.dedup.SeenArticles;
import dev.newsline.ingest.feed.FeedParser;
import dev.newsline.ingest.feed.FeedSource;
import dev.newsline.ingest.feed.ParsedFeed;
import dev.newsline.ingest.feed.RejectedItem;
import dev.newsline.ingest.io.BoundedRead;
import dev.newsline.ingest.io.ByteLines;
import dev.newsline.ingest.produce.ArticleProducer;
import dev.newsline.model.RawArticle;
import dev.newsline.model.topic.DeadLetters;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Replays archives into {@code news.articles.raw}: JSON Lines articles ({@code .jsonl},
 * {@code .ndjson}) and saved feed documents (RSS/RDF/Atom as {@code .xml}, {@code .rss},
 * {@code .rdf}, {@code .atom}; JSON Feed as {@code .json}), each optionally {@code .gz}, or
 * directories of them. A {@code .json} file is a JSON Feed if its first value is one, else JSON
 * Lines. Feed documents go through the same {@link FeedParser} as live feeds.
 *
 * <p>A line or item that cannot become an article is dead-lettered with its reason, the path as
 * origin and the line number (or item number, for feed documents) as offset; the replay goes on.
 * Lines are decoded one by one, so a line of invalid UTF-8 is rejected on its own.
 * Within one replay an article already seen with the same content is skipped as a duplicate; with
 * a {@link SeenArticles} memory (the live service's seen topic) so is an article produced by any
 * earlier replay or poll, so replaying the same archive twice produces nothing the second time.
 */
public final class ArchiveReplayer {

    private static final List<String> FEED_SUFFIXES = List.of(".xml", ".rss", ".rdf", ".atom");

    /** Largest line accepted, in bytes; longer lines are rejected as 'too-large' without being held whole. */
    public static final int MAX_LINE_BYTES = 8 * 1024 * 1024;

    /** Lines parsed together; bounds memory to a few hundred articles at a time. */
    static final int PARSE_CHUNK = 256;

    /**
     * Bytes of lines after which a chunk ends early: two chunks are in memory at a time (one
     * sent, one read ahead), so a file of lines near the 8 MiB cap cannot hold gigabytes.
     */
    static final long CHUNK_BYTES = 32L * 1024 * 1024;

    /** Largest saved feed document accepted (after decompression); larger ones are rejected as 'too-large'. */
    public static final int MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

    private final ArticleProducer producer;
    private final ReplayOptions options;
    private final Consumer<Long> progress;
    private final SeenArticles seen;
    private final FeedParser parser;

    /**
     * A replay that only skips duplicates within itself.
     *
     * @param producer where articles go; may be null for a dry run
     * @param progress called with the count of articles read so far, after each article
     */
    public ArchiveReplayer(ArticleProducer producer, ReplayOptions options, Consumer<Long> progress) {
        this(producer, options, progress, null, new FeedParser());
    }

    /**
     * A replay that also skips what the memory says was produced before, and records what it
     * produces there (read only in a dry run).
     *
     * @param seen dedup memory, e.g. {@code KafkaSeenStore.open(config.kafkaSettings(), config.seenTopic(), ...)};
     *             null for in-replay dedup only
     */
    public ArchiveReplayer(ArticleProducer producer, ReplayOptions options, Consumer<Long> progress, SeenArticles seen) {
        this(producer, options, progress, seen, new FeedParser());
    }

    /**
     * @param parser parser for saved feed documents (its item size limit applies)
     */
    public ArchiveReplayer(ArticleProducer producer, ReplayOptions options, Consumer<Long> progress, SeenArticles seen,
                           FeedParser parser) {
        if (producer == null && !options.dryRun()) {
            throw new IllegalArgumentException("a producer is required unless this is a dry run");
        }
        this.producer = producer;
        this.options = options;
        this.progress = progress;
        this.seen = seen;
        this.parser = parser;
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
        try (Counters c = new Counters()) {
            for (Path file : archiveFiles(paths)) {
                replayFile(file, c);
            }
            if (producer != null) {
                producer.flush();
            }
            return new ReplaySummary(c.read, c.produced, c.duplicates, c.filtered, new TreeMap<>(c.rejected),
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    private void replayFile(Path file, Counters c) {
        try {
            if (isFeedDocument(file)) {
                replayFeedDocument(file, c);
                return;
            }
        } catch (IOException e) {
            reject(c, "unreadable-archive", e.toString(), file, 0, null);
            return;
        }
        try (InputStream in = open(file)) {
            ByteLines lines = new ByteLines(in, MAX_LINE_BYTES);
            // the next chunk is read and parsed on workers while this thread sends the current one
            Chunk chunk = Chunk.read(lines, 1, encodeOnWorkers(), c.parsers);
            CompletableFuture<Chunk> next = null;
            try {
                while (chunk != null) {
                    next = chunk.last() ? null
                            : CompletableFuture.supplyAsync(readNext(lines, chunk.nextLine(), c.parsers), c.readAhead);
                    handleChunk(chunk, file, c);
                    chunk = next == null ? null : next.join();
                    next = null;
                }
            } finally {
                if (next != null) {
                    // a failed send ends the replay: let the worker finish with the stream before it closes
                    next.handle((done, error) -> null).join();
                }
            }
        } catch (IOException e) {
            reject(c, "unreadable-archive", e.toString(), file, 0, null);
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                reject(c, "unreadable-archive", u.getCause().toString(), file, 0, null);
            } else {
                throw e;
            }
        }
    }

    private boolean encodeOnWorkers() {
        return !options.dryRun();
    }

    private Supplier<Chunk> readNext(ByteLines lines, long firstLine, ForkJoinPool parsers) {
        boolean encode = encodeOnWorkers();
        return () -> {
            try {
                return Chunk.read(lines, firstLine, encode, parsers);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private void replayFeedDocument(Path file, Counters c) throws IOException {
        byte[] document;
        try (InputStream in = open(file)) {
            document = BoundedRead.readAtMost(in, MAX_DOCUMENT_BYTES);
        } catch (BoundedRead.LimitExceededException e) {
            c.read++;
            reject(c, "too-large", "feed document exceeds " + MAX_DOCUMENT_BYTES + " bytes", file, 0, null);
            progress.accept(c.read);
            return;
        }
        ParsedFeed parsed;
        try {
            parsed = parser.parse(document, null, FeedSource.ofArchive(file), Instant.now());
        } catch (RejectedInputException e) {
            c.read++;
            reject(c, e.reason(), e.getMessage(), file, 0, document);
            progress.accept(c.read);
            return;
        }
        // items are replayed in document order, rejected ones where they stood
        int next = 0;
        int rejectedSoFar = 0;
        for (RejectedItem item : parsed.rejected()) {
            int articlesBefore = item.index() - 1 - rejectedSoFar++;
            while (next < articlesBefore && next < parsed.articles().size()) {
                handleArticle(parsed.articles().get(next++), null, c);
            }
            c.read++;
            reject(c, item.reason(), item.detail(), file, item.index(), item.payload());
            progress.accept(c.read);
        }
        while (next < parsed.articles().size()) {
            handleArticle(parsed.articles().get(next++), null, c);
        }
    }

    /** Handles a parsed chunk in file order, so dedup, dead letters and production stay sequential. */
    private void handleChunk(Chunk chunk, Path file, Counters c) {
        for (int i = 0; i < chunk.parsed().length; i++) {
            Object parsed = chunk.parsed()[i];
            if (parsed instanceof Encoded e) {
                handleArticle(e.article(), e.value(), c);
            } else if (parsed instanceof RawArticle article) {
                handleArticle(article, null, c);
            } else if (parsed instanceof RejectedInputException e) {
                c.read++;
                reject(c, e.reason(), e.getMessage(), file, chunk.firstLine() + i, chunk.lines().get(i).bytes());
                progress.accept(c.read);
            }
        }
    }

    /**
     * Up to {@link #PARSE_CHUNK} lines read in order, then decoded and parsed in parallel on the
     * parse pool (parsing, hashing and encoding are most of a replay's CPU).
     *
     * @param parsed per line: an {@link Encoded} article, a {@link RawArticle} (not encoded), a
     *               {@link RejectedInputException}, or null for a blank line
     */
    private record Chunk(List<ByteLines.Line> lines, Object[] parsed, long firstLine, boolean last) {

        static Chunk read(ByteLines source, long firstLine, boolean encode, ForkJoinPool parsers) throws IOException {
            List<ByteLines.Line> lines = new ArrayList<>(PARSE_CHUNK);
            long bytes = 0;
            boolean end = false;
            while (lines.size() < PARSE_CHUNK && bytes < CHUNK_BYTES) {
                ByteLines.Line line = source.next();
                if (line == null) {
                    end = true;
                    break;
                }
                lines.add(line);
                bytes += line.bytes().length;
            }
            Instant fetchedAt = Instant.now();
            Object[] parsed = parsers.submit(() -> lines.parallelStream().map(l -> parseLine(l, fetchedAt, encode))
                    .toArray()).join();
            return new Chunk(lines, parsed, firstLine, end);
        }

        long nextLine() {
            return firstLine + lines.size();
        }
    }

    /**
     * The text of a line; String's own decoding is the fast path (it replaces malformed bytes
     * with U+FFFD), and only a line with U+FFFD in it is decoded again strictly to tell a
     * replacement from a character the line really holds.
     */
    private static String decode(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) {
            return text;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new RejectedInputException("invalid-utf8", "line is not valid UTF-8 (" + e.getMessage() + ")");
        }
    }

    /** An article with its record value. */
    private record Encoded(RawArticle article, byte[] value) {
    }

    /** The article of a line (encoded if asked), the rejection, or null for a blank line. */
    private static Object parseLine(ByteLines.Line line, Instant fetchedAt, boolean encode) {
        try {
            if (line.truncated()) {
                throw new RejectedInputException("too-large", "line of " + line.length() + " bytes exceeds " + MAX_LINE_BYTES);
            }
            String text = decode(line.bytes());
            if (text.isBlank()) {
                return null;
            }
            RawArticle article = ArticleJson.parse(text, fetchedAt);
            return encode ? new Encoded(article, ArticleProducer.encode(article)) : article;
        } catch (RejectedInputException e) {
            return e;
        }
    }

    private void handleArticle(RawArticle article, byte[] encoded, Counters c) {
        c.read++;
        String id = article.getId();
        String hash = article.getContentHash();
        if (!options.inRange(article.getPublished())) {
            c.filtered++;
        } else if (hash.equals(c.seen.put(id, hash)) || seenBefore(id, hash)) {
            c.duplicates++;
        } else {
            pace(c);
            if (!options.dryRun()) {
                Runnable onAcked = seen == null ? null : () -> seen.confirm(id, hash);
                producer.send(article, encoded == null ? ArticleProducer.encode(article) : encoded, onAcked);
            }
            c.produced++;
        }
        progress.accept(c.read);
    }

    private boolean seenBefore(String id, String hash) {
        if (seen == null) {
            return false;
        }
        SeenArticles.Verdict verdict = options.dryRun() ? seen.check(id, hash) : seen.claim(id, hash);
        return verdict == SeenArticles.Verdict.SAME;
    }

    private void reject(Counters c, String reason, String detail, Path file, long lineNo, byte[] payload) {
        c.rejected.merge(reason, 1L, Long::sum);
        if (!options.dryRun()) {
            producer.deadLetter(DeadLetters.of("ingest", reason, detail, null, file.toString(), null, lineNo, null, payload));
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
        String base = baseName(p);
        return base.endsWith(".jsonl") || base.endsWith(".json") || base.endsWith(".ndjson")
                || FEED_SUFFIXES.stream().anyMatch(base::endsWith);
    }

    private static boolean isFeedDocument(Path file) throws IOException {
        String base = baseName(file);
        if (FEED_SUFFIXES.stream().anyMatch(base::endsWith)) {
            return true;
        }
        if (!base.endsWith(".json")) {
            return false;
        }
        try (InputStream in = open(file)) {
            return FeedParser.isJsonFeed(in);
        }
    }

    private static String baseName(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }

    private static InputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try {
            return file.toString().toLowerCase(Locale.ROOT).endsWith(".gz") ? new GZIPInputStream(raw, 65536) : raw;
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    private static final class Counters implements AutoCloseable {
        final long startNanos = System.nanoTime();
        /** Reads the next chunk and has it parsed while the replay sends the current one. */
        final ExecutorService readAhead = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "replay-read-ahead");
            t.setDaemon(true);
            return t;
        });
        /**
         * Parses a chunk's lines, one worker per core: the common pool has one fewer, and the
         * read-ahead thread that submits the chunk only waits for it.
         */
        final ForkJoinPool parsers = new ForkJoinPool(Runtime.getRuntime().availableProcessors(), pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("replay-parse-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
        final Map<String, String> seen = new HashMap<>();
        final Map<String, Long> rejected = new HashMap<>();
        long read;
        long produced;
        long duplicates;
        long filtered;

        @Override
        public void close() {
            readAhead.shutdownNow();
            parsers.shutdownNow();
        }
    }
}
