package com.digitalfte.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 that delays every chunk by a fixed time in each direction, as a remote
 * across the internet would, and counts the connections and bytes that go through it.
 */
final class LatencyProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final long delayMillis;
    final AtomicLong connections = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();

    LatencyProxy(int targetPort, long delayMillis) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.delayMillis = delayMillis;
        Thread acceptor = new Thread(this::accept, "latency-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                connections.incrementAndGet();
                pump(client, target);
                pump(target, client);
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Copies from one socket to the other, each chunk sent {@code delayMillis} after it arrived, in order. */
    private void pump(Socket from, Socket to) {
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        Thread reader = new Thread(() -> {
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                byte[] buf = new byte[16384];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    byte[] chunk = Arrays.copyOf(buf, n);
                    bytes.addAndGet(n);
                    writer.schedule(() -> {
                        out.write(chunk);
                        out.flush();
                        return null;
                    }, delayMillis, TimeUnit.MILLISECONDS);
                }
                writer.schedule(() -> {
                    to.shutdownOutput();
                    return null;
                }, delayMillis, TimeUnit.MILLISECONDS);
            } catch (IOException closed) {
                // the other side went away
            } finally {
                writer.schedule(writer::shutdown, delayMillis + 1, TimeUnit.MILLISECONDS);
            }
        }, "latency-proxy-pump");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
