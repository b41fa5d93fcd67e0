package dev.newsline.sink.metrics;

import dev.newsline.sink.SinkMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * {@link SinkMetrics} as Micrometer meters:
 * <pre>
 *   newsline.sink.written{topic}        counter    records written (articles and trends)
 *   newsline.sink.dead.letters{reason}  counter    records sent to news.sink.dlq
 *   newsline.sink.batches               counter    poll batches applied
 *   newsline.sink.retries               counter    backoffs while the store was unreachable
 *   newsline.sink.batch.duration        histogram  time to apply one poll batch
 *   newsline.sink.end.to.end.latency    histogram  ingestion (fetchedAt) to row committed
 * </pre>
 */
public final class MicrometerSinkMetrics implements SinkMetrics {

    public static final String WRITTEN = "newsline.sink.written";
    public static final String DEAD_LETTERS = "newsline.sink.dead.letters";
    public static final String BATCHES = "newsline.sink.batches";
    public static final String RETRIES = "newsline.sink.retries";
    public static final String BATCH_DURATION = "newsline.sink.batch.duration";
    public static final String END_TO_END = "newsline.sink.end.to.end.latency";

    private final MeterRegistry registry;
    private final Counter batches;
    private final Counter retries;
    private final Timer batchDuration;
    private final Timer endToEnd;

    public MicrometerSinkMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.batches = Counter.builder(BATCHES).description("Poll batches applied").register(registry);
        this.retries = Counter.builder(RETRIES).description("Backoffs while the store was unreachable").register(registry);
        this.batchDuration = Timer.builder(BATCH_DURATION).description("Time to apply one poll batch")
                .serviceLevelObjectives(ms(5), ms(10), ms(25), ms(50), ms(100), ms(250), ms(500), ms(1000),
                        ms(2500), ms(5000), ms(10_000))
                .register(registry);
        this.endToEnd = Timer.builder(END_TO_END).description("Time from ingestion (fetchedAt) to the row's commit")
                .serviceLevelObjectives(ms(100), ms(250), ms(500), ms(1000), ms(2500), ms(5000), ms(10_000),
                        ms(30_000), ms(60_000), ms(300_000), ms(900_000), ms(3_600_000), ms(21_600_000))
                .register(registry);
    }

    @Override
    public void written(String topic, long records) {
        Counter.builder(WRITTEN).description("Records written").tag("topic", topic).register(registry).increment(records);
    }

    @Override
    public void batch(int records, Duration took) {
        batches.increment();
        batchDuration.record(took);
    }

    @Override
    public void deadLettered(String reason) {
        Counter.builder(DEAD_LETTERS).description("Records sent to news.sink.dlq").tag("reason", reason)
                .register(registry).increment();
    }

    @Override
    public void retried() {
        retries.increment();
    }

    @Override
    public void endToEndLatency(Duration fetchedToStored) {
        endToEnd.record(fetchedToStored);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
