package dev.newsline.system;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The faults of one disturbed run, drawn from a seed. Each fault fires once the stage it hits has
 * got a drawn share of the archive through (enrich kills: articles enriched; sink kills and the
 * database outage: articles stored; the broker restart: articles produced), then after a drawn
 * delay of up to a second. So every fault lands while records flow through its stage, on a fast
 * machine or a slow one, and each restarted process has done work before it is killed again.
 * (Store faults wait at most 200 ms more: a sink catching up after the outage is fast.)
 *
 * <p>Faults run in three lanes, each lane one fault at a time, the lanes side by side:
 * <ul>
 *   <li>Kafka Streams: enrich killed three times, early, midway and late in the enrichment;</li>
 *   <li>store: the sink killed three times and PostgreSQL stopped for 20 s once, in a drawn order;</li>
 *   <li>broker: stopped and restarted once, somewhere in the middle of the replay.</li>
 * </ul>
 * A fault in one lane may overlap one in another (enrich restarting while the broker is down).
 */
record FaultPlan(long seed, List<Fault> streamsLane, List<Fault> storeLane, List<Fault> brokerLane) {

    /** How far the pipeline has got: the measure a fault waits for. */
    enum Progress {
        PRODUCED("produced"), ENRICHED("enriched"), STORED("stored");

        final String label;

        Progress(String label) {
            this.label = label;
        }
    }

    enum Kind {
        KILL_ENRICH("SIGKILL enrich, restart it", Progress.ENRICHED),
        KILL_SINK("SIGKILL sink, restart it", Progress.STORED),
        RESTART_BROKER("SIGTERM broker, restart it", Progress.PRODUCED),
        STOP_POSTGRES("stop PostgreSQL for 20 s, start it", Progress.STORED);

        final String description;
        final Progress waitsFor;

        Kind(String description, Progress waitsFor) {
            this.description = description;
            this.waitsFor = waitsFor;
        }
    }

    /** A fault to inject once its stage has got {@code after} articles through, then {@code delayMs} later. */
    record Fault(Kind kind, long after, long delayMs) {
        @Override
        public String toString() {
            return String.format("%-36s once %4d %-8s + %3d ms", kind.description, after, kind.waitsFor.label, delayMs);
        }
    }

    static FaultPlan draw(long seed, int articles) {
        Random random = new Random(seed);
        List<Fault> streams = new ArrayList<>();
        for (double[] band : new double[][] {{0.05, 0.20}, {0.35, 0.50}, {0.65, 0.80}}) {
            streams.add(fault(random, Kind.KILL_ENRICH, band, articles));
        }
        List<Kind> storeKinds = new ArrayList<>(List.of(Kind.KILL_SINK, Kind.KILL_SINK, Kind.KILL_SINK, Kind.STOP_POSTGRES));
        Collections.shuffle(storeKinds, random);
        List<Fault> store = new ArrayList<>();
        double[][] storeBands = {{0.05, 0.20}, {0.25, 0.40}, {0.45, 0.60}, {0.65, 0.80}};
        for (int i = 0; i < storeKinds.size(); i++) {
            store.add(fault(random, storeKinds.get(i), storeBands[i], articles));
        }
        List<Fault> broker = List.of(fault(random, Kind.RESTART_BROKER, new double[] {0.30, 0.70}, articles));
        return new FaultPlan(seed, List.copyOf(streams), List.copyOf(store), broker);
    }

    private static Fault fault(Random random, Kind kind, double[] band, int articles) {
        double share = band[0] + random.nextDouble() * (band[1] - band[0]);
        // a sink catching up after the outage writes hundreds of rows a second: a short delay keeps its faults mid-flow
        int maxDelayMs = kind.waitsFor == Progress.STORED ? 200 : 1000;
        return new Fault(kind, Math.round(share * articles), random.nextInt(maxDelayMs));
    }

    List<List<Fault>> lanes() {
        return List.of(streamsLane, storeLane, brokerLane);
    }

    long count(Kind kind) {
        return lanes().stream().flatMap(List::stream).filter(f -> f.kind() == kind).count();
    }
}
