package dev.newsline.model.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Layers a service's configuration: declared defaults, then an optional properties file, then
 * {@code NEWS_*} environment variables, then explicit overrides (command-line flags).
 *
 * <p>An environment variable maps to a key by dropping {@code NEWS_}, lower-casing and turning
 * {@code _} into {@code .}: {@code NEWS_KAFKA_BOOTSTRAP_SERVERS} is {@code kafka.bootstrap.servers}.
 * Keys under {@code kafka.} are Kafka client settings passed through unchanged (minus the
 * prefix), so SASL/SSL clusters need no code change. Values are validated against the
 * {@link ConfigDef}; an unknown non-Kafka key or a bad value fails with a message naming the key.
 */
public final class LayeredConfig {

    public static final String ENV_PREFIX = "NEWS_";
    public static final String KAFKA_PREFIX = "kafka.";

    private LayeredConfig() {
    }

    /** Merges the layers into raw string values; later layers win. */
    public static Map<String, String> merge(Path propertiesFile, Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> values = new TreeMap<>();
        if (propertiesFile != null) {
            java.util.Properties props = new java.util.Properties();
            try (InputStream in = Files.newInputStream(propertiesFile)) {
                props.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read configuration file " + propertiesFile, e);
            }
            props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k).strip()));
        }
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                values.put(envToKey(name), value);
            }
        });
        values.putAll(overrides);
        return values;
    }

    public static String envToKey(String envName) {
        return envName.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /**
     * Parses merged values against the definition. Keys the definition does not declare are
     * rejected unless they are Kafka pass-through keys or belong to another service of the
     * shared file ({@code ignoredPrefixes}).
     */
    public static Map<String, Object> parse(ConfigDef def, Map<String, String> values, String... ignoredPrefixes) {
        Map<String, String> own = new HashMap<>();
        values.forEach((k, v) -> {
            if (def.configKeys().containsKey(k)) {
                own.put(k, v);
            } else if (!k.startsWith(KAFKA_PREFIX) && !hasPrefix(k, ignoredPrefixes)) {
                throw new ConfigException(k, v, "unknown configuration key; known keys: " + def.names());
            }
        });
        return def.parse(own);
    }

    /** The Kafka client settings among the values, with the {@code kafka.} prefix removed. */
    public static Map<String, Object> kafkaSettings(Map<String, String> values) {
        Map<String, Object> kafka = new HashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(KAFKA_PREFIX)) {
                kafka.put(k.substring(KAFKA_PREFIX.length()), v);
            }
        });
        return kafka;
    }

    private static boolean hasPrefix(String key, String... prefixes) {
        for (String p : prefixes) {
            if (key.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
