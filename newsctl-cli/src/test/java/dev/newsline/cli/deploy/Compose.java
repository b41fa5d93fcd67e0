package dev.newsline.cli.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A docker compose project read the way {@code docker compose -f A -f B config} reads it, as far as
 * the deployment tests need: later files deep-merge into earlier ones (maps merge, other values are
 * replaced), and {@code ${VAR:-default}} takes its default, so that the result does not depend on
 * the environment of the machine running the tests.
 */
final class Compose {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    private final Path dir;
    private final Map<String, Object> model;

    private Compose(Path dir, Map<String, Object> model) {
        this.dir = dir;
        this.model = model;
    }

    /** The repository root: the nearest folder above the working directory with a docker-compose.yml. */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docker-compose.yml above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static Compose load(Path dir, String... files) {
        Map<String, Object> merged = new LinkedHashMap<>();
        for (String file : files) {
            try {
                merge(merged, YAML.readValue(dir.resolve(file).toFile(), new TypeReference<Map<String, Object>>() { }));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return new Compose(dir, merged);
    }

    /** A copy whose model the caller may change (tests that prove a check fails). */
    Compose copy() {
        try {
            return new Compose(dir, YAML.readValue(YAML.writeValueAsBytes(model),
                    new TypeReference<Map<String, Object>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path dir() {
        return dir;
    }

    Map<String, Object> services() {
        return map(model.get("services"));
    }

    Map<String, Object> service(String name) {
        Map<String, Object> service = map(services().get(name));
        if (service.isEmpty()) {
            throw new AssertionError("no service " + name + " in the compose file");
        }
        return service;
    }

    /** The service's environment, interpolated; list form (KEY=VALUE) and map form alike. */
    Map<String, String> environment(String service) {
        Object env = service(service).get("environment");
        Map<String, String> out = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : interpolate(String.valueOf(v))));
        } else if (env instanceof List<?> l) {
            for (Object item : l) {
                String s = String.valueOf(item);
                int eq = s.indexOf('=');
                out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : interpolate(s.substring(eq + 1)));
            }
        }
        return out;
    }

    /** Bind mounts of a service: container path -> host path (resolved against the compose folder). */
    Map<String, Path> binds(String service) {
        Map<String, Path> binds = new LinkedHashMap<>();
        for (Object volume : list(service(service).get("volumes"))) {
            String[] parts = String.valueOf(volume).split(":");
            if (parts.length >= 2 && (parts[0].startsWith(".") || parts[0].startsWith("/"))) {
                binds.put(parts[1], dir.resolve(parts[0]).normalize());
            }
        }
        return binds;
    }

    /** The host file a container path refers to through the service's bind mounts. */
    Optional<Path> hostPath(String service, String containerPath) {
        for (Map.Entry<String, Path> bind : binds(service).entrySet()) {
            String target = bind.getKey();
            if (containerPath.equals(target)) {
                return Optional.of(bind.getValue());
            }
            if (containerPath.startsWith(target + "/")) {
                return Optional.of(bind.getValue().resolve(containerPath.substring(target.length() + 1)));
            }
        }
        return Optional.empty();
    }

    /** depends_on as service -> condition (list form means service_started). */
    Map<String, String> dependsOn(String service) {
        Object deps = service(service).get("depends_on");
        Map<String, String> out = new LinkedHashMap<>();
        if (deps instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(map(v).getOrDefault("condition", "service_started"))));
        } else {
            list(deps).forEach(d -> out.put(String.valueOf(d), "service_started"));
        }
        return out;
    }

    /** The services running a Kafka broker (KAFKA_PROCESS_ROLES contains broker). */
    List<String> brokers() {
        List<String> brokers = new ArrayList<>();
        for (String name : services().keySet()) {
            String roles = environment(name).getOrDefault("KAFKA_PROCESS_ROLES", "");
            if (List.of(roles.split(",")).contains("broker")) {
                brokers.add(name);
            }
        }
        return brokers;
    }

    String interpolate(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else if (m.group(2) != null) {
                replacement = m.group(2);
            } else {
                throw new AssertionError("'" + value + "' uses a variable without a default ("
                        + m.group() + "): the file would depend on the caller's environment");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> ? (Map<String, Object>) o : new LinkedHashMap<>();
    }

    static List<Object> list(Object o) {
        if (o instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        return o == null ? new ArrayList<>() : new ArrayList<>(List.of(o));
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> from) {
        from.forEach((key, value) -> {
            Object existing = into.get(key);
            if (existing instanceof Map<?, ?> && value instanceof Map<?, ?>) {
                merge((Map<String, Object>) existing, (Map<String, Object>) value);
            } else {
                into.put(key, value);
            }
        });
    }
}
