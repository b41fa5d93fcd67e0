package dev.newsline.cli;

import dev.newsline.model.config.LayeredConfig;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every command that talks to services shares. */
final class CommonOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with settings (NEWS_* environment variables override it).")
    Path configFile;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".newsline",
            description = "Where the embedded broker and store keep their data (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    Map<String, String> settings() {
        return LayeredConfig.merge(configFile, System.getenv(), Map.of());
    }
}
