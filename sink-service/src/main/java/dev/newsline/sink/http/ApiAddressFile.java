package dev.newsline.sink.http;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a running sink says its HTTP API is, next to its embedded H2 store: for the store
 * {@code DIR/newsline.mv.db} the file {@code DIR/newsline.api} holds one line, the API's base
 * URL. H2 lets one process open the file, so {@code newsctl query} reads the store directly
 * when it can and, when the sink has it open, asks the API this file names. The file is only
 * consulted while the store is locked, so one left behind by a crash is never trusted.
 */
public final class ApiAddressFile {

    private static final Logger LOG = LoggerFactory.getLogger(ApiAddressFile.class);
    public static final String SUFFIX = ".api";

    private ApiAddressFile() {
    }

    /**
     * The address file of an embedded H2 file store ({@code jdbc:h2:file:PATH} or {@code jdbc:h2:PATH});
     * empty for PostgreSQL, in-memory and served H2 databases, which any number of clients can open.
     */
    public static Optional<Path> forStore(String jdbcUrl) {
        String lower = jdbcUrl.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        String location = jdbcUrl.substring("jdbc:h2:".length());
        int options = location.indexOf(';');
        location = (options < 0 ? location : location.substring(0, options)).strip();
        if (location.toLowerCase(Locale.ROOT).startsWith("file:")) {
            location = location.substring("file:".length());
        } else if (location.matches("^[A-Za-z][A-Za-z0-9]+:.*")) {
            // mem:, tcp:, ssl:, zip:, nio...: nothing on this machine's disk that only one process can open
            return Optional.empty();
        }
        if (location.isEmpty()) {
            return Optional.empty();
        }
        if (location.startsWith("~")) {
            location = System.getProperty("user.home") + location.substring(1);
        }
        Path base = Path.of(location).toAbsolutePath().normalize();
        return Optional.of(base.resolveSibling(base.getFileName() + SUFFIX));
    }

    /** Writes {@code api} to {@code file} atomically, so that a reader never sees half a line. */
    public static void write(Path file, URI api) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, api + "\n", StandardCharsets.UTF_8);
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The URL in {@code file}, if it exists and holds one. */
    public static Optional<URI> read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            URI uri = URI.create(text);
            return "http".equals(uri.getScheme()) && uri.getHost() != null ? Optional.of(uri) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Deletes {@code file} if it still names {@code api}: a later sink may have written its own. */
    public static void deleteIfOurs(Path file, URI api) {
        if (read(file).filter(api::equals).isPresent()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("cannot delete the API address file {}: {}", file, e.toString());
            }
        }
    }
}
