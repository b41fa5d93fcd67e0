package dev.newsline.ops;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service's meters: a Prometheus registry whose meters all carry the tag {@code service},
 * with the JVM's memory, GC, thread, processor and uptime meters bound, and the binders added
 * later (Kafka clients, Streams) closed with it.
 *
 * <p>Kafka clients the wiring holds are bound with {@link #bindKafkaClient(Producer)} and
 * {@link #bindKafkaClient(Consumer)}; clients created inside other classes are reached through
 * their settings with {@link #kafkaSettings(Map)}; Streams with {@link StreamsMeters}. All of them
 * use Micrometer's Kafka binders, so every service exports the same {@code kafka_*} names.
 */
public final class ServiceMeters implements AutoCloseable {

    public static final String SERVICE_TAG = "service";

    private static final Logger LOG = LoggerFactory.getLogger(ServiceMeters.class);

    private final PrometheusMeterRegistry registry;
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private boolean closed;

    private ServiceMeters(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    /** A registry for the service named {@code service} ({@code ingest}, {@code enrich}, {@code sink}). */
    public static ServiceMeters create(String service) {
        Objects.requireNonNull(service, "service");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags(SERVICE_TAG, service);
        ServiceMeters meters = new ServiceMeters(registry);
        meters.bind(new JvmMemoryMetrics());
        meters.bind(new JvmGcMetrics());
        meters.bind(new JvmThreadMetrics());
        meters.bind(new ProcessorMetrics());
        meters.bind(new UptimeMetrics());
        return meters;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Binds {@code binder}; if it is {@link AutoCloseable} it is closed with these meters, latest first. */
    public synchronized <B extends MeterBinder> B bind(B binder) {
        if (closed) {
            throw new IllegalStateException("meters are closed");
        }
        binder.bindTo(registry);
        if (binder instanceof AutoCloseable closeable) {
            toClose.push(closeable);
        }
        return binder;
    }

    /** Binds a producer's metrics ({@code kafka_producer_*}) until these meters close. */
    public KafkaClientMetrics bindKafkaClient(Producer<?, ?> producer) {
        return bind(new KafkaClientMetrics(producer));
    }

    /** Binds a consumer's metrics ({@code kafka_consumer_*}) until these meters close. */
    public KafkaClientMetrics bindKafkaClient(Consumer<?, ?> consumer) {
        return bind(new KafkaClientMetrics(consumer));
    }

    /**
     * Kafka client settings that make every client created from them report to this registry,
     * through {@link KafkaClientMeterReporter} added to {@code metric.reporters} (after the
     * reporters already set, or Kafka's default JMX reporter). For clients that other classes
     * create and keep to themselves; each client's meters go when it closes.
     */
    public Map<String, Object> kafkaSettings(Map<String, ?> settings) {
        return KafkaClientMeterReporter.settings(settings, registry);
    }

    /** Closes the binders (latest first), then the registry. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!toClose.isEmpty()) {
            AutoCloseable c = toClose.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing meter binder {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
        registry.close();
    }
}
