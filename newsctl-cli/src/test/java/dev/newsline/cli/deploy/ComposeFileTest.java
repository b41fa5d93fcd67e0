package dev.newsline.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsline.enrich.EnrichConfig;
import dev.newsline.ingest.config.IngestConfig;
import dev.newsline.model.config.LayeredConfig;
import dev.newsline.model.topic.Topic;
import dev.newsline.model.topic.Topics;
import dev.newsline.sink.SinkConfig;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No Docker engine runs where Newsline is built, so the compose files are checked against the code
 * they deploy: every {@code NEWS_*} variable a service sets is a key that service declares, or a
 * setting its Kafka clients know; the values pass the service's own start-up validation; the
 * required keys are set and point at services of the file; and the topics job creates exactly the
 * catalogue's topics. Each check runs on docker-compose.yml alone and with docker-compose.scale.yml.
 */
class ComposeFileTest {

    /**
     * The three services, by their Dockerfile target, with the keys of the health endpoint their
     * healthcheck asks (null while a service's healthcheck is still the JVM-alive script).
     */
    enum Service {
        INGEST("ingest", "dev.newsline.ingest.IngestService", IngestConfig.configDef(),
                union(ProducerConfig.configNames(), ConsumerConfig.configNames(), AdminClientConfig.configNames()),
                IngestConfig.HTTP_PORT, IngestConfig.HTTP_BIND),
        ENRICH("enrich", "dev.newsline.enrich.EnrichService", EnrichConfig.DEFINITION, streamsClientNames(),
                EnrichConfig.HTTP_PORT, EnrichConfig.HTTP_BIND),
        SINK("sink", "dev.newsline.sink.SinkService", SinkConfig.configDef(),
                union(ConsumerConfig.configNames(), ProducerConfig.configNames()), SinkConfig.HTTP_PORT, SinkConfig.HTTP_BIND);

        final String target;
        final String mainClass;
        final ConfigDef definition;
        final Set<String> kafkaNames;
        final String healthPortKey;
        final String healthBindKey;

        Service(String target, String mainClass, ConfigDef definition, Set<String> kafkaNames, String healthPortKey,
                String healthBindKey) {
            this.target = target;
            this.mainClass = mainClass;
            this.definition = definition;
            this.kafkaNames = kafkaNames;
            this.healthPortKey = healthPortKey;
            this.healthBindKey = healthBindKey;
        }
    }

    private static final Path ROOT = Compose.repositoryRoot();
    private static final Pattern FROM = Pattern.compile("(?i)^FROM\\s+\\S+\\s+AS\\s+(\\S+)\\s*$");

    static Stream<Arguments> deployments() {
        return Stream.of(
                Arguments.of("docker-compose.yml", Compose.load(ROOT, "docker-compose.yml")),
                Arguments.of("docker-compose.yml + docker-compose.scale.yml",
                        Compose.load(ROOT, "docker-compose.yml", "docker-compose.scale.yml")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void shouldSetOnlyDeclaredKeysAndEveryRequiredOne(String files, Compose compose) {
        assertThat(configProblems(compose)).as("configuration problems in %s", files).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void shouldCreateExactlyTheCatalogueTopics(String files, Compose compose) throws IOException {
        assertThat(topicProblems(compose)).as("topic problems in %s", files).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void shouldCheckHealthAndStartInOrder(String files, Compose compose) {
        assertThat(orderProblems(compose)).as("health and start-order problems in %s", files).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void shouldCheckReadinessOnThePortEachServiceServesItsHealthEndpointsOn(String files, Compose compose) {
        assertThat(healthEndpointProblems(compose)).as("health endpoint problems in %s", files).isEmpty();
    }

    @Test
    void shouldScaleOutToThreeBrokersAndTwoInstancesOfEnrichAndSink() {
        Compose scaled = Compose.load(ROOT, "docker-compose.yml", "docker-compose.scale.yml");

        assertThat(scaled.brokers()).hasSize(3);
        assertThat(replicas(scaled, serviceFor(scaled, Service.ENRICH))).isEqualTo(2);
        assertThat(replicas(scaled, serviceFor(scaled, Service.SINK))).isEqualTo(2);
        assertThat(replicas(scaled, serviceFor(scaled, Service.INGEST))).as("ingest's dedup memory has one writer").isEqualTo(1);
        assertThat(scaled.environment(initJob(scaled))).containsEntry("TOPICS_REPLICATION_FACTOR", "3")
                .containsEntry("TOPICS_MIN_INSYNC_REPLICAS", "2");
    }

    @Test
    void shouldBuildEachServiceFromItsDockerfileTargetAndMainClass() throws Exception {
        Map<String, String> entrypoints = dockerfileEntrypoints();
        for (Service s : Service.values()) {
            assertThat(entrypoints).as("Dockerfile stages").containsKey(s.target);
            assertThat(entrypoints.get(s.target)).as("ENTRYPOINT of target %s", s.target).contains("\"" + s.mainClass + "\"");
            Method main = Class.forName(s.mainClass).getMethod("main", String[].class);
            assertThat(Modifier.isStatic(main.getModifiers())).as("%s.main is static", s.mainClass).isTrue();
        }
    }

    // --- the checks fail when they should ---

    @Test
    void shouldReportAnUndeclaredKeyAMisspelledKafkaSettingAndAMissingRequiredKey() {
        Compose compose = Compose.load(ROOT, "docker-compose.yml").copy();
        env(compose, serviceFor(compose, Service.ENRICH)).put("NEWS_ENRICH_STATEDIR", "/tmp/x");
        env(compose, serviceFor(compose, Service.INGEST)).put("NEWS_KAFKA_LINGERMS", "5");
        env(compose, serviceFor(compose, Service.SINK)).remove("NEWS_SINK_JDBC_URL");

        assertThat(configProblems(compose)).anySatisfy(p -> assertThat(p).contains("NEWS_ENRICH_STATEDIR")
                        .contains("enrich.statedir").contains("does not declare"))
                .anySatisfy(p -> assertThat(p).contains("NEWS_KAFKA_LINGERMS").contains("not a Kafka client setting"))
                .anySatisfy(p -> assertThat(p).contains("sink.jdbc.url").contains("required"));
    }

    @Test
    void shouldReportABadValueAndABootstrapServerThatIsNoBroker() {
        Compose compose = Compose.load(ROOT, "docker-compose.yml").copy();
        env(compose, serviceFor(compose, Service.ENRICH)).put("NEWS_ENRICH_STREAM_THREADS", "many");
        env(compose, serviceFor(compose, Service.SINK)).put("NEWS_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");

        assertThat(configProblems(compose)).anySatisfy(p -> assertThat(p).contains("enrich.stream.threads"))
                .anySatisfy(p -> assertThat(p).contains("localhost:9092").contains("not the PLAINTEXT listener"));
    }

    @Test
    void shouldReportAMissingTopicWrongPartitionsLostCompactionAndTimeBasedRetention() {
        List<String> lines = new ArrayList<>();
        for (Topic<?, ?> t : Topics.ALL) {
            if (t == Topics.SINK_DLQ) {
                continue;
            }
            int partitions = t == Topics.ARTICLES_RAW ? t.partitions() + 1 : t.partitions();
            String configs = t.compacted() && t != Topics.ENTITY_TRENDS ? "cleanup.policy=compact"
                    : t == Topics.ARTICLES_ENRICHED ? "cleanup.policy=delete,retention.ms=604800000,retention.bytes=1000"
                    : "cleanup.policy=delete,retention.ms=-1,retention.bytes=1000";
            lines.add(t.name() + " " + partitions + " " + configs);
        }
        lines.add("news.extra 1 cleanup.policy=delete,retention.ms=-1,retention.bytes=1000");

        assertThat(topicFileProblems(lines))
                .anySatisfy(p -> assertThat(p).contains("news.sink.dlq").contains("missing"))
                .anySatisfy(p -> assertThat(p).contains("news.extra").contains("not in the catalogue"))
                .anySatisfy(p -> assertThat(p).contains("news.articles.raw").contains("7 partitions").contains("6"))
                .anySatisfy(p -> assertThat(p).contains("news.entity.trends").contains("compact"))
                .anySatisfy(p -> assertThat(p).contains("news.articles.enriched").contains("retention.ms=-1"));
    }

    @Test
    void shouldReportAHealthcheckOnAnotherPortOrWithoutReadinessAndEndpointsOnLoopbackOnly() {
        Compose compose = Compose.load(ROOT, "docker-compose.yml").copy();
        String ingest = serviceFor(compose, Service.INGEST);
        String enrich = serviceFor(compose, Service.ENRICH);
        Compose.map(compose.service(ingest).get("healthcheck")).put("test",
                List.of("CMD", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9999 && printf 'GET /health/ready HTTP/1.0\\r\\n\\r\\n' >&3"));
        Compose.map(compose.service(enrich).get("healthcheck")).put("test", List.of("CMD", "/app/bin/jvm-alive", Service.ENRICH.mainClass));
        env(compose, enrich).put("NEWS_ENRICH_HTTP_BIND", "127.0.0.1");

        assertThat(healthEndpointProblems(compose))
                .anySatisfy(p -> assertThat(p).contains(ingest).contains("port 9999").contains("ingest.http.port").contains("8086"))
                .anySatisfy(p -> assertThat(p).contains(enrich).contains("/health/ready"))
                .anySatisfy(p -> assertThat(p).contains(enrich).contains("enrich.http.bind").contains("127.0.0.1"));
    }

    // --- checks: each returns what is wrong, one line per problem ---

    /**
     * A service with health endpoints is checked on them: its healthcheck asks GET /health/ready
     * on 127.0.0.1 at the port the service listens on, and it listens on every interface, so that
     * Prometheus on the compose network can scrape /metrics.
     */
    static List<String> healthEndpointProblems(Compose compose) {
        List<String> problems = new ArrayList<>();
        Pattern tcp = Pattern.compile("/dev/tcp/127\\.0\\.0\\.1/(\\d+)\\b");
        for (Service s : Service.values()) {
            if (s.healthPortKey == null) {
                continue;
            }
            String name = serviceFor(compose, s);
            Map<String, String> own = new LinkedHashMap<>();
            LayeredConfig.merge(null, compose.environment(name), Map.of()).forEach((key, value) -> {
                if (key.equals(s.healthPortKey) || key.equals(s.healthBindKey)) {
                    own.put(key, value);
                }
            });
            Map<String, Object> parsed = s.definition.parse(own);
            int port = (Integer) parsed.get(s.healthPortKey);
            String bind = String.valueOf(parsed.get(s.healthBindKey)).strip();
            String test = String.join(" ", Compose.list(Compose.map(compose.service(name).get("healthcheck")).get("test"))
                    .stream().map(String::valueOf).toList());
            if (port == 0) {
                problems.add(name + ": " + s.healthPortKey + " is 0, so there is no /health/ready to check");
            }
            if (!test.contains("GET /health/ready ")) {
                problems.add(name + "'s healthcheck does not ask GET /health/ready: " + test);
            }
            Matcher m = tcp.matcher(test);
            if (!m.find()) {
                problems.add(name + "'s healthcheck does not connect to 127.0.0.1 with bash's /dev/tcp: " + test);
            } else if (Integer.parseInt(m.group(1)) != port) {
                problems.add(name + "'s healthcheck asks port " + m.group(1) + ", the service listens on "
                        + s.healthPortKey + " = " + port);
            }
            if (!bind.equals("0.0.0.0") && !bind.equals("::")) {
                problems.add(name + ": " + s.healthBindKey + " is " + bind + "; 0.0.0.0 lets Prometheus on the compose"
                        + " network reach /metrics");
            }
        }
        return problems;
    }

    static List<String> configProblems(Compose compose) {
        List<String> problems = new ArrayList<>();
        List<String> brokers = compose.brokers();
        if (brokers.isEmpty()) {
            problems.add("no Kafka broker service");
        }
        for (Service s : Service.values()) {
            String name = serviceFor(compose, s);
            Map<String, String> values = new LinkedHashMap<>();
            compose.environment(name).forEach((var, value) -> {
                if (!var.startsWith(LayeredConfig.ENV_PREFIX)) {
                    return;
                }
                String key = LayeredConfig.envToKey(var);
                if (key.startsWith(LayeredConfig.KAFKA_PREFIX)) {
                    String setting = key.substring(LayeredConfig.KAFKA_PREFIX.length());
                    if (!kafkaSettingKnown(s, setting)) {
                        problems.add(name + " sets " + var + " (" + key + "): " + setting + " is not a Kafka client"
                                + " setting of the " + s.target + " service's clients");
                    }
                } else if (!s.definition.configKeys().containsKey(key)) {
                    problems.add(name + " sets " + var + " (" + key + "), which the " + s.target
                            + " service does not declare; its keys: " + new TreeSet<>(s.definition.names()));
                }
                // paths inside the container are read on the host through the service's bind mounts
                values.put(var, compose.hostPath(name, value).map(Path::toString).orElse(value));
            });
            Map<String, String> merged = LayeredConfig.merge(null, values, Map.of());
            try {
                problems.addAll(requiredProblems(compose, s, name, merged));
            } catch (RuntimeException e) {
                problems.add(name + ": the service would refuse this configuration at start-up: " + e.getMessage());
            }
        }
        return problems;
    }

    /** Builds the service's configuration as its main does, then checks what a deployment must set. */
    private static List<String> requiredProblems(Compose compose, Service s, String name, Map<String, String> values) {
        List<String> problems = new ArrayList<>();
        String bootstrap = values.get(LayeredConfig.KAFKA_PREFIX + "bootstrap.servers");
        if (bootstrap == null || bootstrap.isBlank()) {
            problems.add(name + ": kafka.bootstrap.servers (NEWS_KAFKA_BOOTSTRAP_SERVERS) is required");
        } else {
            problems.addAll(bootstrapProblems(compose, name, bootstrap));
        }
        switch (s) {
            case INGEST -> {
                IngestConfig config = IngestConfig.fromValues(values);
                if (config.feeds().isEmpty()) {
                    problems.add(name + ": no feeds: ingest.feeds or ingest.feeds.file (a mounted file listing feeds) is required");
                }
            }
            case ENRICH -> {
                EnrichConfig config = new EnrichConfig(values);
                String stateDir = values.get(EnrichConfig.STATE_DIR);
                if (stateDir == null || !stateDir.startsWith("/")) {
                    problems.add(name + ": enrich.state.dir (NEWS_ENRICH_STATE_DIR) is required, an absolute path in"
                            + " the container; it is " + config.getString(EnrichConfig.STATE_DIR));
                }
            }
            case SINK -> {
                if (!values.containsKey(SinkConfig.JDBC_URL)) {
                    problems.add(name + ": sink.jdbc.url (NEWS_SINK_JDBC_URL) is required: without it the sink"
                            + " writes to an embedded H2 file inside the container");
                    break;
                }
                SinkConfig config = SinkConfig.from(values);
                problems.addAll(databaseProblems(compose, name, config.jdbcUrl(), values));
            }
            default -> throw new IllegalStateException(s.name());
        }
        return problems;
    }

    private static List<String> bootstrapProblems(Compose compose, String name, String bootstrap) {
        List<String> problems = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        for (String server : bootstrap.split(",")) {
            String hostPort = server.strip();
            String host = hostPort.contains(":") ? hostPort.substring(0, hostPort.lastIndexOf(':')) : hostPort;
            String advertised = compose.services().containsKey(host)
                    ? compose.environment(host).getOrDefault("KAFKA_ADVERTISED_LISTENERS", "") : "";
            if (!Arrays.asList(advertised.split(",")).contains("PLAINTEXT://" + hostPort)) {
                problems.add(name + ": bootstrap server " + hostPort + " is not the PLAINTEXT listener of a broker"
                        + " service in this file (brokers: " + compose.brokers() + ")");
            }
            listed.add(host);
        }
        if (!listed.containsAll(compose.brokers())) {
            problems.add(name + ": kafka.bootstrap.servers " + bootstrap + " should list every broker " + compose.brokers());
        }
        return problems;
    }

    private static List<String> databaseProblems(Compose compose, String name, String url, Map<String, String> values) {
        List<String> problems = new ArrayList<>();
        Matcher m = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/([^?]+).*").matcher(url);
        if (!m.matches()) {
            return List.of(name + ": sink.jdbc.url " + url + " is not a PostgreSQL URL");
        }
        String host = m.group(1);
        if (!compose.services().containsKey(host) || !compose.dependsOn(name).containsKey(host)) {
            return List.of(name + ": sink.jdbc.url names host " + host + ", not a database service it depends on");
        }
        Map<String, String> db = compose.environment(host);
        if (!db.getOrDefault("POSTGRES_DB", "").equals(m.group(3))) {
            problems.add(name + ": sink.jdbc.url names database " + m.group(3) + ", " + host + " creates " + db.get("POSTGRES_DB"));
        }
        if (!db.getOrDefault("POSTGRES_USER", "").equals(values.get(SinkConfig.JDBC_USER))) {
            problems.add(name + ": sink.jdbc.user (NEWS_SINK_JDBC_USER) is required and must be " + host + "'s POSTGRES_USER");
        }
        if (!db.getOrDefault("POSTGRES_PASSWORD", "").equals(values.get(SinkConfig.JDBC_PASSWORD))) {
            problems.add(name + ": sink.jdbc.password (NEWS_SINK_JDBC_PASSWORD) is required and must be " + host
                    + "'s POSTGRES_PASSWORD");
        }
        return problems;
    }

    static List<String> topicProblems(Compose compose) throws IOException {
        List<String> problems = new ArrayList<>();
        String job = initJob(compose);
        Map<String, String> env = compose.environment(job);
        String script = String.join(" ", compose.service(job).getOrDefault("entrypoint", "").toString(),
                compose.service(job).getOrDefault("command", "").toString());
        Matcher m = Pattern.compile("(/\\S*?)/create-topics\\.sh").matcher(script);
        if (!m.find()) {
            return List.of(job + " does not run create-topics.sh from a mounted folder: " + script);
        }
        String topicsFile = env.getOrDefault("TOPICS_FILE", m.group(1) + "/topics.conf");
        Path file = compose.hostPath(job, topicsFile).orElse(null);
        if (file == null || !Files.isRegularFile(file)) {
            return List.of(job + " reads " + topicsFile + ", which no bind mount of " + job + " provides");
        }
        problems.addAll(topicFileProblems(Files.readAllLines(file, StandardCharsets.UTF_8)));

        int brokers = compose.brokers().size();
        int replication = Integer.parseInt(env.getOrDefault("TOPICS_REPLICATION_FACTOR", "1"));
        int minIsr = Integer.parseInt(env.getOrDefault("TOPICS_MIN_INSYNC_REPLICAS", "1"));
        int wantReplication = Math.min(3, brokers);
        int wantMinIsr = wantReplication >= 3 ? 2 : 1;
        if (replication != wantReplication || minIsr != wantMinIsr) {
            problems.add(job + ": with " + brokers + " brokers topics want replication " + wantReplication
                    + " and min.insync.replicas " + wantMinIsr + ", not " + replication + " and " + minIsr);
        }
        if (!env.getOrDefault("TOPICS_BOOTSTRAP_SERVERS", "").isEmpty()) {
            problems.addAll(bootstrapProblems(compose, job, env.get("TOPICS_BOOTSTRAP_SERVERS")));
        } else {
            problems.add(job + ": TOPICS_BOOTSTRAP_SERVERS is required");
        }
        // the brokers' own internal topics and defaults (Streams' internal topics) follow the same rule
        Map<String, String> brokerWants = Map.of(
                "KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false",
                "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", String.valueOf(wantReplication),
                "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", String.valueOf(wantReplication),
                "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", String.valueOf(wantMinIsr),
                "KAFKA_DEFAULT_REPLICATION_FACTOR", String.valueOf(wantReplication),
                "KAFKA_MIN_INSYNC_REPLICAS", String.valueOf(wantMinIsr));
        Set<String> clusterIds = new HashSet<>();
        for (String broker : compose.brokers()) {
            Map<String, String> be = compose.environment(broker);
            brokerWants.forEach((k, v) -> {
                if (!v.equals(be.get(k))) {
                    problems.add(broker + ": " + k + " should be " + v + ", is " + be.get(k));
                }
            });
            clusterIds.add(be.get("CLUSTER_ID"));
            String voters = be.getOrDefault("KAFKA_CONTROLLER_QUORUM_VOTERS", "");
            for (String other : compose.brokers()) {
                if (!voters.contains("@" + other + ":")) {
                    problems.add(broker + ": controller quorum " + voters + " lacks " + other);
                }
            }
        }
        if (clusterIds.size() != 1 || clusterIds.contains(null)) {
            problems.add("brokers need one explicit CLUSTER_ID, found " + clusterIds);
        }
        return problems;
    }

    /** Checks topics.conf lines (NAME PARTITIONS CONFIGS) against the catalogue. */
    static List<String> topicFileProblems(List<String> lines) {
        List<String> problems = new ArrayList<>();
        Map<String, Topic<?, ?>> catalogue = Topics.ALL.stream()
                .collect(Collectors.toMap(Topic::name, Function.identity()));
        Set<String> seen = new HashSet<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\\s+");
            String name = cols[0];
            Topic<?, ?> topic = catalogue.get(name);
            if (topic == null) {
                problems.add(name + " is created but not in the catalogue (dev.newsline.model.topic.Topics)");
                continue;
            }
            if (!seen.add(name)) {
                problems.add(name + " is listed twice");
            }
            if (cols.length != 3) {
                problems.add(name + ": want NAME PARTITIONS CONFIGS, got '" + line + "'");
                continue;
            }
            if (!cols[1].equals(String.valueOf(topic.partitions()))) {
                problems.add(name + " is created with " + cols[1] + " partitions, the catalogue says " + topic.partitions());
            }
            Map<String, String> configs = new LinkedHashMap<>();
            for (String pair : cols[2].split(",")) {
                String[] kv = pair.split("=", 2);
                configs.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
            String policy = configs.getOrDefault(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
            if (topic.compacted() && !policy.equals(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                problems.add(name + " is a table (compacted in the catalogue) but is created with cleanup.policy=" + policy);
            }
            if (!topic.compacted()) {
                if (!policy.equals(TopicConfig.CLEANUP_POLICY_DELETE)) {
                    problems.add(name + " is a stream (not compacted in the catalogue) but is created with cleanup.policy=" + policy);
                }
                // records carry event time: time-based retention would delete replayed history on arrival
                if (!"-1".equals(configs.get(TopicConfig.RETENTION_MS_CONFIG))) {
                    problems.add(name + " must be created with retention.ms=-1 (records carry the published time),"
                            + " not " + configs.get(TopicConfig.RETENTION_MS_CONFIG));
                }
                if (parseLong(configs.get(TopicConfig.RETENTION_BYTES_CONFIG)) <= 0) {
                    problems.add(name + " must be bounded by retention.bytes (> 0), not " + configs.get(TopicConfig.RETENTION_BYTES_CONFIG));
                }
            }
            Set<String> knownTopicConfigs = constants(TopicConfig.class);
            for (String key : configs.keySet()) {
                if (!knownTopicConfigs.contains(key)) {
                    problems.add(name + ": " + key + " is not a topic config");
                }
            }
        }
        for (String name : catalogue.keySet()) {
            if (!seen.contains(name)) {
                problems.add(name + " is in the catalogue but missing from the topics the job creates");
            }
        }
        return problems;
    }

    static List<String> orderProblems(Compose compose) {
        List<String> problems = new ArrayList<>();
        String job = initJob(compose);
        for (Map.Entry<String, Object> e : compose.services().entrySet()) {
            String name = e.getKey();
            Map<String, Object> service = Compose.map(e.getValue());
            if (name.equals(job)) {
                if (!"no".equals(String.valueOf(service.get("restart")))) {
                    problems.add(job + " is a one-shot job: restart must be \"no\"");
                }
                continue;
            }
            if (String.valueOf(service.get("image")).toLowerCase(Locale.ROOT).contains("zookeeper")) {
                problems.add(name + ": no ZooKeeper, Kafka runs in KRaft mode");
            }
            if (Compose.map(service.get("healthcheck")).get("test") == null) {
                problems.add(name + " has no healthcheck");
            }
        }
        for (String broker : compose.brokers()) {
            if (!compose.dependsOn(job).getOrDefault(broker, "").equals("service_healthy")) {
                problems.add(job + " must wait for " + broker + " to be healthy");
            }
        }
        for (Service s : Service.values()) {
            String name = serviceFor(compose, s);
            Map<String, String> deps = compose.dependsOn(name);
            if (!"service_completed_successfully".equals(deps.get(job))) {
                problems.add(name + " must start after " + job + " completed successfully");
            }
            deps.forEach((dep, condition) -> {
                if (!dep.equals(job) && !condition.equals("service_healthy")) {
                    problems.add(name + " must wait for " + dep + " to be healthy, not " + condition);
                }
            });
            List<Object> test = Compose.list(Compose.map(compose.service(name).get("healthcheck")).get("test"));
            if (!test.stream().map(String::valueOf).anyMatch(t -> t.contains(s.mainClass) || t.contains("/health"))) {
                problems.add(name + "'s healthcheck checks neither its main class " + s.mainClass + " nor a /health endpoint: " + test);
            }
        }
        return problems;
    }

    // --- helpers ---

    /** The compose service built from a Dockerfile target; exactly one per target. */
    static String serviceFor(Compose compose, Service s) {
        List<String> names = compose.services().entrySet().stream()
                .filter(e -> s.target.equals(String.valueOf(Compose.map(Compose.map(e.getValue()).get("build")).get("target"))))
                .map(Map.Entry::getKey).toList();
        assertThat(names).as("services built from Dockerfile target %s", s.target).hasSize(1);
        return names.get(0);
    }

    /** The one-shot job that runs create-topics.sh. */
    static String initJob(Compose compose) {
        List<String> names = compose.services().entrySet().stream()
                .filter(e -> String.valueOf(Compose.map(e.getValue()).get("entrypoint")).contains("create-topics.sh")
                        || String.valueOf(Compose.map(e.getValue()).get("command")).contains("create-topics.sh"))
                .map(Map.Entry::getKey).toList();
        assertThat(names).as("services running create-topics.sh").hasSize(1);
        return names.get(0);
    }

    private static int replicas(Compose compose, String service) {
        Object replicas = Compose.map(compose.service(service).get("deploy")).get("replicas");
        return replicas == null ? 1 : Integer.parseInt(String.valueOf(replicas));
    }

    private static Map<String, Object> env(Compose compose, String service) {
        return Compose.map(compose.service(service).get("environment"));
    }

    private static Map<String, String> dockerfileEntrypoints() throws IOException {
        Map<String, String> entrypoints = new LinkedHashMap<>();
        String stage = null;
        for (String line : Files.readAllLines(ROOT.resolve("Dockerfile"), StandardCharsets.UTF_8)) {
            Matcher from = FROM.matcher(line.strip());
            if (from.matches()) {
                stage = from.group(1);
            } else if (line.startsWith("ENTRYPOINT") && stage != null) {
                entrypoints.put(stage, line);
            }
        }
        return entrypoints;
    }

    private static boolean kafkaSettingKnown(Service s, String setting) {
        if (s.kafkaNames.contains(setting)) {
            return true;
        }
        if (s != Service.ENRICH) {
            return false;
        }
        // Streams passes prefixed settings to one of its clients, or to the internal topics it creates
        Map<String, Set<String>> prefixes = Map.of(
                StreamsConfig.PRODUCER_PREFIX, ProducerConfig.configNames(),
                StreamsConfig.CONSUMER_PREFIX, ConsumerConfig.configNames(),
                StreamsConfig.MAIN_CONSUMER_PREFIX, ConsumerConfig.configNames(),
                StreamsConfig.RESTORE_CONSUMER_PREFIX, ConsumerConfig.configNames(),
                StreamsConfig.GLOBAL_CONSUMER_PREFIX, ConsumerConfig.configNames(),
                StreamsConfig.ADMIN_CLIENT_PREFIX, AdminClientConfig.configNames(),
                StreamsConfig.TOPIC_PREFIX, constants(TopicConfig.class));
        return prefixes.entrySet().stream()
                .anyMatch(p -> setting.startsWith(p.getKey()) && p.getValue().contains(setting.substring(p.getKey().length())));
    }

    private static Set<String> streamsClientNames() {
        return union(StreamsConfig.configDef().names(), ProducerConfig.configNames(), ConsumerConfig.configNames(),
                AdminClientConfig.configNames());
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new HashSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return Set.copyOf(all);
    }

    /** Values of the public String constants ending in _CONFIG (TopicConfig has no list of its names). */
    private static Set<String> constants(Class<?> type) {
        Set<String> names = new HashSet<>();
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && f.getName().endsWith("_CONFIG")) {
                try {
                    names.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return names;
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
