package dev.newsline.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One Newsline main class run as an operating-system process, the way a user runs it
 * ({@code java -cp ... MAIN}, configured by {@code NEWS_*} variables), which this test may start,
 * kill with SIGKILL, stop with SIGTERM and start again. Every launch writes its standard output
 * and error to a log file of its own ({@code NAME-N.log}), whose tail failures quote.
 */
final class JavaProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Every child still running; killed if this JVM ends first (an aborted build), so none outlives the test. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "system-test-children"));
    }

    private final String name;
    private final String mainClass;
    private final List<String> jvmOptions;
    private final List<String> args;
    private final Map<String, String> environment;
    private final String classpath;
    private final Path logDir;
    private final URI readiness;
    private Process process;
    private int launches;
    private Duration cpuOfEndedLaunches = Duration.ZERO;
    private Path log;

    /**
     * @param readiness the {@code /health/ready} URL that answers 200 once the process is ready,
     *                  or null when readiness is a line on standard output ({@link #awaitOutput})
     */
    JavaProcess(String name, String mainClass, List<String> jvmOptions, List<String> args,
                Map<String, String> environment, String classpath, Path logDir, URI readiness) {
        this.name = name;
        this.mainClass = mainClass;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.args = List.copyOf(args);
        this.environment = Map.copyOf(environment);
        this.classpath = classpath;
        this.logDir = logDir;
        this.readiness = readiness;
    }

    String name() {
        return name;
    }

    /** Launches the process (again); the previous launch must have ended. */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is still running (pid " + process.pid() + ")");
        }
        launches++;
        log = logDir.resolve(name + "-" + launches + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).directory(logDir.toFile());
        // only what this test sets: a developer's own NEWS_* or logging variables must not leak in
        builder.environment().keySet().removeIf(k -> k.startsWith("NEWS_") || k.startsWith("NEWSLINE_")
                || k.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(logDir);
            process = builder.start();
            RUNNING.add(process);
            process.onExit().thenAccept(RUNNING::remove);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. Waits until the process is gone. */
    synchronized void kill() {
        recordCpu();
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM, as an operator or an orchestrator stops it; SIGKILL if it has not exited within the grace period. */
    synchronized void stop(Duration grace) {
        if (process == null || !process.isAlive()) {
            return;
        }
        recordCpu();
        process.destroy();
        if (!waitFor(grace)) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(30));
            throw new IllegalStateException(name + " did not stop within " + grace.toSeconds() + " s of SIGTERM"
                    + "; killed it\n" + tail(40));
        }
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    synchronized long pid() {
        return process.pid();
    }

    /** CPU time of every launch so far, each sampled just before it was stopped or killed (what it did while stopping is left out). */
    synchronized Duration cpuTime() {
        return cpuOfEndedLaunches.plus(process != null && process.isAlive() ? cpuOfCurrentLaunch() : Duration.ZERO);
    }

    private void recordCpu() {
        cpuOfEndedLaunches = cpuOfEndedLaunches.plus(cpuOfCurrentLaunch());
    }

    private Duration cpuOfCurrentLaunch() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** Launches so far. */
    synchronized int launches() {
        return launches;
    }

    /** Waits until {@code /health/ready} answers 200; fails with the log's tail if the process ends or the deadline passes. */
    void awaitReady(Duration timeout) {
        awaitCondition("ready (" + readiness + ")", timeout, this::answersReady);
    }

    /** Waits until the current launch has written a line containing {@code marker}. */
    void awaitOutput(String marker, Duration timeout) {
        awaitCondition("printing '" + marker + "'", timeout, () -> logText().contains(marker));
    }

    private void awaitCondition(String what, Duration timeout, BooleanSupplier condition) {
        try {
            Awaitility.await(name + " " + what).atMost(timeout).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        if (condition.getAsBoolean()) {
                            return true;
                        }
                        if (!alive()) {
                            throw new IllegalStateException(name + " exited (" + exitValue() + ") before " + what
                                    + "\n" + tail(60));
                        }
                        return false;
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(name + " not " + what + " after " + timeout.toSeconds() + " s\n" + tail(60), e);
        }
    }

    private boolean answersReady() {
        try {
            HttpRequest request = HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private synchronized String exitValue() {
        return process.isAlive() ? "running" : "exit code " + process.exitValue();
    }

    private synchronized Path log() {
        return log;
    }

    private String logText() {
        try {
            return Files.readString(log(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The last lines of the current launch's log, labelled, for failure messages. */
    String tail(int lines) {
        Path file = log();
        if (file == null) {
            return "(" + name + " never started)";
        }
        List<String> all = logText().lines().toList();
        return "--- last " + Math.min(lines, all.size()) + " lines of " + file + " ---\n"
                + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitExit(Duration timeout) {
        if (!waitFor(timeout)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") still alive " + timeout.toSeconds()
                    + " s after SIGKILL");
        }
    }

    /** Stops the process if it runs: SIGTERM, then SIGKILL after 30 s. */
    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            recordCpu();
            process.destroy();
            if (!waitFor(Duration.ofSeconds(30))) {
                process.destroyForcibly();
                waitFor(Duration.ofSeconds(10));
            }
        }
    }
}
