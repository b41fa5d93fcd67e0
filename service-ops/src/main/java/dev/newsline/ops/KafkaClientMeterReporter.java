package dev.newsline.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka {@link MetricsReporter} that binds the metrics of the client loading it to a Micrometer
 * registry, so that clients created and kept inside other classes are measured too. Set up with
 * {@link ServiceMeters#kafkaSettings}; the registry travels in the client settings under
 * {@value #REGISTRY_CONFIG}, which Kafka hands to its reporters and otherwise ignores. Settings
 * that lost that key on the way (code that keeps only a client's declared keys) leave the
 * reporter idle rather than failing the client.
 *
 * <p>The binding itself is Micrometer's {@link KafkaClientMetrics}, for the same meter names and
 * tags as clients bound directly. That binder reads metrics only through
 * {@link Producer#metrics()}, so it is given a view whose {@code metrics()} is this reporter's
 * live map and whose other methods throw; it never sends anything. A client hands its reporters
 * an empty list first and adds its metrics one by one while it is built, so the binding waits
 * for the last of those, the {@code app-info} start time; metrics Kafka adds later (per topic,
 * per node) are picked up on the binder's periodic refresh. The meters go when the client
 * closes, and with it this reporter.
 */
public final class KafkaClientMeterReporter implements MetricsReporter {

    /** The client setting that carries the {@link MeterRegistry} instance. */
    public static final String REGISTRY_CONFIG = "newsline.metrics.registry";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaClientMeterReporter.class);
    private static final String APP_INFO_GROUP = "app-info";
    private static final String START_TIME = "start-time-ms";

    private final Map<MetricName, KafkaMetric> metrics = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;
    private volatile String clientId = "";
    private KafkaClientMetrics binder;
    private boolean closed;

    /**
     * {@code settings} plus what makes a client created from them report to {@code registry}:
     * this reporter appended to {@code metric.reporters} (after the reporters already set, or
     * Kafka's default JMX reporter) and the registry under {@value #REGISTRY_CONFIG}.
     */
    public static Map<String, Object> settings(Map<String, ?> settings, MeterRegistry registry) {
        Map<String, Object> out = new HashMap<>(settings);
        Set<String> reporters = new LinkedHashSet<>();
        Object current = settings.get(CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG);
        if (current == null) {
            reporters.add(JmxReporter.class.getName());
        } else {
            reporters.addAll(classNames(current));
        }
        reporters.add(KafkaClientMeterReporter.class.getName());
        out.put(CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, String.join(",", reporters));
        out.put(REGISTRY_CONFIG, registry);
        return out;
    }

    private static List<String> classNames(Object value) {
        List<String> names = new ArrayList<>();
        if (value instanceof Collection<?> list) {
            list.forEach(v -> names.addAll(classNames(v)));
        } else if (value instanceof Class<?> type) {
            names.add(type.getName());
        } else {
            for (String s : value.toString().split(",")) {
                if (!s.isBlank()) {
                    names.add(s.strip());
                }
            }
        }
        return names;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object value = configs.get(REGISTRY_CONFIG);
        Object id = configs.get(CommonClientConfigs.CLIENT_ID_CONFIG);
        clientId = id == null ? "" : id.toString();
        if (value instanceof MeterRegistry r) {
            registry = r;
        } else if (value != null) {
            throw new ConfigException(REGISTRY_CONFIG, value, "must be a Micrometer MeterRegistry instance; "
                    + "add this reporter with ServiceMeters.kafkaSettings");
        } else {
            // the settings lost the registry on their way (code that keeps only the client's own keys):
            // this reporter must not stop the client, it just has nothing to report to
            LOG.debug("Kafka client {} has no {}; its metrics are not exported", clientId, REGISTRY_CONFIG);
        }
    }

    @Override
    public void init(List<KafkaMetric> initial) {
        initial.forEach(this::metricChange);
    }

    @Override
    public void metricChange(KafkaMetric metric) {
        metrics.put(metric.metricName(), metric);
        if (APP_INFO_GROUP.equals(metric.metricName().group()) && START_TIME.equals(metric.metricName().name())) {
            bind();
        }
    }

    @Override
    public void metricRemoval(KafkaMetric metric) {
        metrics.remove(metric.metricName());
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (binder != null) {
            binder.close();
            binder = null;
        }
        metrics.clear();
    }

    private synchronized void bind() {
        if (binder == null && !closed && registry != null) {
            binder = new KafkaClientMetrics(metricsView());
            binder.bindTo(registry);
        }
    }

    private Producer<?, ?> metricsView() {
        Map<MetricName, KafkaMetric> view = Collections.unmodifiableMap(metrics);
        return (Producer<?, ?>) Proxy.newProxyInstance(Producer.class.getClassLoader(), new Class<?>[] {Producer.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "metrics" -> view;
                    case "toString" -> "metrics of Kafka client " + clientId;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName()
                            + ": a view of a Kafka client's metrics, not a client");
                });
    }
}
