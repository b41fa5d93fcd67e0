package dev.newsline.embedded;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded broker as an operating-system process of its own, for tests that stop and
 * restart the broker the way an operator would (the system tests' fault injection):
 * {@code java -cp ... dev.newsline.embedded.EmbeddedKafkaMain DATA_DIR BROKER_PORT [CONTROLLER_PORT]}.
 *
 * <p>It formats the directory if needed, starts the broker on 127.0.0.1 and prints
 * {@value #READY} followed by the bootstrap address on standard output. It creates no topics.
 * On SIGTERM a shutdown hook stops the broker cleanly (controlled shutdown, storage kept), so
 * that a new process on the same directory and ports carries on with every topic and offset.
 */
public final class EmbeddedKafkaMain {

    /** Printed on standard output, followed by the bootstrap address, once the broker serves clients. */
    public static final String READY = "embedded Kafka ready on ";

    private EmbeddedKafkaMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: EmbeddedKafkaMain DATA_DIR BROKER_PORT [CONTROLLER_PORT]");
            System.exit(2);
        }
        Path dataDir = Path.of(args[0]);
        int brokerPort = Integer.parseInt(args[1]);
        int controllerPort = args.length == 3 ? Integer.parseInt(args[2]) : 0;
        EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, brokerPort, controllerPort);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                kafka.close();
            } finally {
                stopped.countDown();
            }
        }, "newsline-kafka-shutdown"));
        System.out.println(READY + kafka.bootstrapServers());
        System.out.flush();
        stopped.await();
    }
}
