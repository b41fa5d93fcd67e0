package dev.newsline.cli.query;

import dev.newsline.sink.SinkConfig;
import dev.newsline.sink.http.ApiAddressFile;
import dev.newsline.sink.store.ArticleStore;
import dev.newsline.sink.store.StoreInUseException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses where {@code newsctl query} reads, in this order:
 * <ol>
 *   <li>{@code --api URL}: that sink's HTTP API;</li>
 *   <li>{@code sink.jdbc.url} when configured (file or {@code NEWS_SINK_JDBC_URL}): that database;</li>
 *   <li>otherwise the embedded H2 store of {@code newsctl up}, {@code DATA-DIR/local/store/newsline}.</li>
 * </ol>
 * An embedded H2 store can be open in one process only. When {@code newsctl up} (or another sink)
 * has it open, the store is read through that sink's HTTP API instead, at the URL the sink wrote
 * next to the store ({@link ApiAddressFile}); a note on stderr says so. H2's AUTO_SERVER mode
 * would also let a second process in, but it listens on every network interface and cannot be
 * bound to loopback per database, so it is not used.
 */
public final class QuerySources {

    private QuerySources() {
    }

    /** The embedded store {@code newsctl up} keeps under {@code dataDir} (without the {@code .mv.db} suffix). */
    public static Path localStore(Path dataDir) {
        return dataDir.resolve("local").resolve("store").resolve("newsline").toAbsolutePath();
    }

    /**
     * Opens the source to read from.
     *
     * @param settings merged configuration (file and {@code NEWS_*} variables)
     * @param dataDir  the {@code --data-dir} of {@code newsctl up}
     * @param api      {@code --api}, or null
     * @param err      where to say which source is used when it is not the obvious one
     * @throws QueryFailure if no source can be opened
     */
    public static QuerySource open(Map<String, String> settings, Path dataDir, URI api, PrintWriter err) {
        if (api != null) {
            return new ApiQuerySource(api);
        }
        String url;
        String user = null;
        String password = null;
        if (settings.containsKey(SinkConfig.JDBC_URL)) {
            SinkConfig config = SinkConfig.from(settings);
            url = config.jdbcUrl();
            user = config.jdbcUser();
            password = config.jdbcPassword();
        } else {
            Path store = localStore(dataDir);
            if (!Files.exists(store.resolveSibling(store.getFileName() + ".mv.db"))) {
                throw new QueryFailure(1, "No store at " + store + ".mv.db. Start 'newsctl up' and bring articles"
                        + " ('newsctl replay --embedded ...' or feeds), pass --data-dir, or set sink.jdbc.url.");
            }
            url = SinkConfig.h2Url(store);
        }
        try {
            return new StoreQuerySource(ArticleStore.openForReading(url, user, password), "the store " + url);
        } catch (StoreInUseException e) {
            Optional<URI> running = ApiAddressFile.forStore(url).flatMap(ApiAddressFile::read);
            if (running.isEmpty()) {
                throw new QueryFailure(1, "The store " + url + " is open in another process that serves no HTTP API"
                        + " (is sink.http.port 0 there, or was its port taken?). Stop that process, or query its"
                        + " API with --api URL.");
            }
            err.println("The store is in use by a running sink ('newsctl up'); asking its HTTP API at "
                    + running.get() + ".");
            err.flush();
            return new ApiQuerySource(running.get());
        } catch (IllegalStateException e) {
            throw new QueryFailure(1, "Cannot read the store: " + e.getMessage());
        }
    }

    /** A query that cannot run; the message is for the user, the code is the exit status. */
    public static final class QueryFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int exitCode;

        public QueryFailure(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }
}
