package dev.newsline.enrich;

import dev.newsline.enrich.metrics.MicrometerEnrichMetrics;
import dev.newsline.ops.OpsServer;
import dev.newsline.ops.ServiceMeters;
import dev.newsline.ops.StreamsMeters;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.kafka.common.config.ConfigException;

/**
 * The enrich service as a running process: its meters, its health and metrics endpoints
 * ({@link OpsServer} on {@code enrich.http.bind}:{@code enrich.http.port}) and the
 * {@link EnrichService}, reporting to Micrometer through {@link MicrometerEnrichMetrics}, with
 * the Streams and client metrics bound by {@link StreamsMeters}.
 *
 * <p>Start order: meters, endpoints, the enrichment models (seconds of loading, during which
 * {@code /health/live} answers and {@code /health/ready} says 503), the service. Ready means
 * Streams is RUNNING, or REBALANCING after having run ({@link EnrichService#notReady()}). Stop
 * order ({@link #close()}, the shutdown hook on SIGTERM): readiness turns 503 at once; Streams
 * closes (up to 30 s: the open transaction is committed, the state stores flushed); then the
 * endpoints, which kept answering meanwhile; then the meters.
 */
public final class EnrichProcess implements AutoCloseable {

    /** The name of the readiness check in {@code /health/ready}. */
    public static final String READINESS_CHECK = "kafka-streams";

    private final EnrichConfig config;
    private final InetSocketAddress opsAddress;
    private final Supplier<? extends ArticleEnrichment> enrichment;
    private ServiceMeters meters;
    private OpsServer ops;
    private volatile EnrichService service;
    private volatile boolean stopping;
    private final CompletableFuture<Throwable> failure = new CompletableFuture<>();

    /**
     * @param opsAddress where to serve the health and metrics endpoints (port 0: any free port),
     *                   or null for none
     * @param enrichment loads the enrichment step; called once, from {@link #start()}
     */
    public EnrichProcess(EnrichConfig config, InetSocketAddress opsAddress, Supplier<? extends ArticleEnrichment> enrichment) {
        this.config = config;
        this.opsAddress = opsAddress;
        this.enrichment = enrichment;
    }

    /** The process the configuration describes: endpoints unless {@code enrich.http.port} is 0, the configured models. */
    public static EnrichProcess of(EnrichConfig config) {
        return new EnrichProcess(config,
                config.httpPort() == 0 ? null : InetSocketAddress.createUnresolved(config.httpBind(), config.httpPort()),
                () -> Enricher.load(config.aliasFiles(), config.getInt(EnrichConfig.MAX_CHARS), Clock.systemUTC()));
    }

    /**
     * Starts meters, endpoints, models and service; on failure stops what had started.
     *
     * @throws ConfigException if the endpoints cannot be served where configured
     */
    public synchronized void start() {
        if (meters != null) {
            throw new IllegalStateException("an enrich process starts once");
        }
        meters = ServiceMeters.create("enrich");
        try {
            if (opsAddress != null) {
                ops = serve(meters);
            }
            EnrichService s = new EnrichService(config, enrichment.get(), new MicrometerEnrichMetrics(meters.registry()));
            service = s;
            s.failed().whenComplete((fatal, ignored) -> failure.complete(fatal));
            StreamsMeters.bind(meters, s.streams());
            if (!stopping) {
                s.start();
            }
        } catch (RuntimeException | Error e) {
            // an Error too (a class that fails to load): endpoints left up would answer "not ready"
            // for ever and keep the JVM alive, where exiting lets an orchestrator restart it
            close();
            throw e;
        }
    }

    /** Completes with the cause once Kafka Streams has stopped in ERROR ({@link EnrichService#failed()}). */
    public CompletionStage<Throwable> failed() {
        return failure;
    }

    /** Where the endpoints answer on this machine, if they are served. */
    public synchronized Optional<URI> opsUri() {
        return Optional.ofNullable(ops).map(OpsServer::baseUri);
    }

    /** The service, once {@link #start()} has created it. */
    public Optional<EnrichService> service() {
        return Optional.ofNullable(service);
    }

    /** Why the process is not ready, or empty when it is; what {@code /health/ready} reports. */
    public Optional<String> notReady() {
        EnrichService s = service;
        if (stopping) {
            return Optional.of("stopping");
        }
        return s == null ? Optional.of("starting: loading the models") : s.notReady();
    }

    /** Closes Streams (committing), then the endpoints, then the meters. Idempotent. */
    @Override
    public void close() {
        stopping = true;
        synchronized (this) {
            EnrichService s = service;
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
                EnrichConfig.HTTP_BIND, EnrichConfig.HTTP_PORT);
    }
}
