package dev.newsline.cli.bench;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;

/** A child JVM for {@link ChildJvmTest}: one named thread burns 300 ms of CPU, then waits to be stopped. */
public final class SpinningMain {

    static final String THREAD = "spinning-worker-thread";
    static final String DONE = "spun";

    private SpinningMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Thread worker = new Thread(() -> {
            var threads = ManagementFactory.getThreadMXBean();
            long until = threads.getCurrentThreadCpuTime() + 300_000_000L;
            long sum = 0;
            while (threads.getCurrentThreadCpuTime() < until) {
                sum += Long.numberOfTrailingZeros(System.nanoTime());
            }
            System.out.println(DONE + " " + sum);
            System.out.flush();
            awaitStop();
        }, THREAD);
        worker.start();
        worker.join();
    }

    /** Keeps the thread there to be read until the test stops this JVM; nothing counts the latch down. */
    private static void awaitStop() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
