package dev.newsline.sink.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Forwards TCP connections from a local port to a target, and can {@link #cut()} them: every
 * open connection is closed and new ones are refused until {@link #restore()}, which is how a
 * test makes a database "go down" without touching the real server. {@link #refuseNew()} only
 * stops accepting, so that the server can end the open connections itself, as in a restart.
 */
public final class TcpProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Socket> upstream = ConcurrentHashMap.newKeySet();
    private volatile int breakOnRequestOf;
    private int port;
    private ServerSocket listener;

    private TcpProxy(InetSocketAddress target) {
        this.target = target;
    }

    public static TcpProxy start(InetSocketAddress target) {
        TcpProxy proxy = new TcpProxy(target);
        proxy.restore();
        return proxy;
    }

    public synchronized InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** Closes every forwarded connection and stops accepting new ones. */
    public synchronized void cut() {
        refuseNew();
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
        upstream.clear();
    }

    /** Stops accepting connections; those open stay open. */
    public synchronized void refuseNew() {
        closeQuietly(listener);
        listener = null;
    }

    /**
     * Arms a one-shot break: the first time a client sends at least {@code minBytes} in one go
     * (a statement, not a handshake or a ping), that chunk is dropped and that client's
     * connection closed; other connections and new ones carry on. This fails a request in the
     * middle of the client's work, after its small setup calls went through.
     */
    public void breakOnRequestOf(int minBytes) {
        breakOnRequestOf = minBytes;
    }

    /** Local ports of the open connections to the target: how the target sees these clients. */
    public Set<Integer> upstreamPorts() {
        Set<Integer> ports = new java.util.HashSet<>();
        upstream.forEach(s -> ports.add(s.getLocalPort()));
        return ports;
    }

    /** Accepts connections again, on the same port. */
    public synchronized void restore() {
        if (listener != null) {
            return;
        }
        ServerSocket socket = port == 0 ? bindBelowEphemeralRange() : bind(port);
        listener = socket;
        daemon("proxy-accept-" + port, () -> accept(socket));
    }

    /**
     * A port outside Linux's ephemeral range (32768-60999): while the proxy is cut, clients
     * retrying a port in that range can be given it as their own source port and connect to
     * themselves, and the proxy could not listen there again.
     */
    private ServerSocket bindBelowEphemeralRange() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int candidate = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
            try {
                ServerSocket socket = bind(candidate);
                port = candidate;
                return socket;
            } catch (UncheckedIOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000");
    }

    private static ServerSocket bind(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + port, e);
        }
    }

    @Override
    public void close() {
        cut();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                open.add(client);
                open.add(server);
                upstream.add(server);
                daemon("proxy-up", () -> pumpRequests(client, server));
                daemon("proxy-down", () -> pump(server, client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pumpRequests(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                int threshold = breakOnRequestOf;
                if (threshold > 0 && n >= threshold) {
                    breakOnRequestOf = 0;
                    // the finally block drops this connection only; the others carry on
                    return;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other side or cut() closed the connection
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
            upstream.remove(from);
            upstream.remove(to);
        }
    }

    private void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // the other side or cut() closed the connection
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
            upstream.remove(from);
            upstream.remove(to);
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // already closed
            }
        }
    }
}
