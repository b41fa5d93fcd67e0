package dev.newsline.ingest;

import dev.newsline.ingest.config.IngestConfig;
import dev.newsline.ingest.metrics.MicrometerIngestMetrics;
import dev.newsline.ops.OpsServer;
import dev.newsline.ops.ServiceMeters;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * The ingest service as a running process: its meters, its health and metrics endpoints
 * ({@link OpsServer} on {@code ingest.http.bind}:{@code ingest.http.port}) and the
 * {@link IngestService} itself, reporting to Micrometer through {@link MicrometerIngestMetrics}
 * and, through the client settings, the metrics of its Kafka clients.
 *
 * <p>Start order: meters, endpoints, service, so that {@code /health/live} answers and
 * {@code /health/ready} says 503 while the dedup memory loads. Ready means started, not
 * stopping, and no fatal Kafka failure. Stop order ({@link #close()}, the shutdown hook on
 * SIGTERM): readiness turns 503 at once; the service closes (polls in progress finish within
 * {@code ingest.shutdown.timeout.ms}, what they produced is flushed, the clients close); then
 * the endpoints, which kept answering meanwhile; then the meters.
 */
public final class IngestProcess implements AutoCloseable {

    /** The name of the readiness check in {@code /health/ready}. */
    public static final String READINESS_CHECK = "ingest";

    private final IngestConfig config;
    private final InetSocketAddress opsAddress;
    private ServiceMeters meters;
    private OpsServer ops;
    private volatile IngestService service;
    private volatile boolean running;
    private volatile boolean stopping;

    /**
     * @param opsAddress where to serve the health and metrics endpoints (port 0: any free port),
     *                   or null for none
     */
    public IngestProcess(IngestConfig config, InetSocketAddress opsAddress) {
        this.config = config;
        this.opsAddress = opsAddress;
    }

    /** The process the configuration describes: endpoints unless {@code ingest.http.port} is 0. */
    public static IngestProcess of(IngestConfig config) {
        return new IngestProcess(config, config.httpPort() == 0 ? null
                : InetSocketAddress.createUnresolved(config.httpBind(), config.httpPort()));
    }

    /**
     * Starts meters, endpoints and service; on failure stops what had started.
     *
     * @throws ConfigException if the endpoints cannot be served where configured, or the service
     *                         refuses its configuration
     */
    public synchronized void start() {
        if (meters != null) {
            throw new IllegalStateException("an ingest process starts once");
        }
        meters = ServiceMeters.create("ingest");
        try {
            if (opsAddress != null) {
                ops = serve(meters);
            }
            IngestConfig metered = config.withKafkaSettings(meters.kafkaSettings(config.kafkaSettings()));
            service = new IngestService(metered, new MicrometerIngestMetrics(meters.registry()));
            if (!stopping) {
                service.start();
                running = true;
            }
        } catch (RuntimeException | Error e) {
            // an Error too (a class that fails to load): endpoints left up would answer "not ready"
            // for ever and keep the JVM alive, where exiting lets an orchestrator restart it
            close();
            throw e;
        }
    }

    /** Where the endpoints answer on this machine, if they are served. */
    public synchronized Optional<URI> opsUri() {
        return Optional.ofNullable(ops).map(OpsServer::baseUri);
    }

    /** The service, once {@link #start()} has created it. */
    public Optional<IngestService> service() {
        return Optional.ofNullable(service);
    }

    /** Why the process is not ready, or empty when it is; what {@code /health/ready} reports. */
    public Optional<String> notReady() {
        IngestService s = service;
        if (stopping) {
            return Optional.of("stopping");
        }
        if (s == null || !running) {
            return Optional.of("starting: loading the dedup memory");
        }
        Optional<Throwable> failure = s.failure();
        if (failure.isPresent()) {
            return Optional.of("polling stopped after a Kafka failure: " + failure.get().getClass().getSimpleName());
        }
        return s.isRunning() ? Optional.empty() : Optional.of("not polling");
    }

    /** Stops the service, then the endpoints, then the meters. Idempotent. */
    @Override
    public void close() {
        stopping = true;
        synchronized (this) {
            IngestService s = service;
            if (s != null) {
                s.close();
            }
            if (ops != null) {
                ops.close();
                ops = null;
            }
            if (meters != null) {
                meters.close();
            }
        }
    }

    private OpsServer serve(ServiceMeters m) {
        return OpsServer.startConfigured(opsAddress, m.registry(), READINESS_CHECK, this::notReady,
                IngestConfig.HTTP_BIND, IngestConfig.HTTP_PORT);
    }
}
