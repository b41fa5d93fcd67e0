package dev.newsline.ops;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** The two settings of a service's health and metrics endpoints, declared alike in every service. */
public final class OpsConfig {

    /** Listen on this machine only unless told otherwise; deployments set 0.0.0.0. */
    public static final String DEFAULT_BIND = "127.0.0.1";

    private static final ConfigDef.Validator HOST = ConfigDef.LambdaValidator.with((name, value) -> {
        String s = (String) value;
        if (s == null || s.isBlank() || s.chars().anyMatch(Character::isWhitespace)) {
            throw new ConfigException(name, value, "must be an IP address or host name, e.g. 127.0.0.1 or 0.0.0.0");
        }
    }, () -> "an IP address or host name");

    private OpsConfig() {
    }

    /**
     * Declares {@code portKey} (0-65535, 0 turns the endpoints off) and {@code bindKey} (an IP
     * address or host name, default {@value #DEFAULT_BIND}) in {@code def}.
     */
    public static ConfigDef define(ConfigDef def, String portKey, int defaultPort, String bindKey) {
        return def
                .define(portKey, Type.INT, defaultPort, Range.between(0, 65_535), Importance.MEDIUM,
                        "Port of this service's /health/live, /health/ready and /metrics; 0 turns them off.")
                .define(bindKey, Type.STRING, DEFAULT_BIND, HOST, Importance.MEDIUM,
                        "Address /health and /metrics listen on: 127.0.0.1 keeps them on this machine, 0.0.0.0 serves every interface.");
    }
}
