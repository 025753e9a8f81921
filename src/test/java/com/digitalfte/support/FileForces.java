package com.digitalfte.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.consumer.RecordingStream;

/**
 * Every fsync this JVM makes, files and directories alike, in order: the JDK's own flight recorder
 * event ({@code jdk.FileForce}) for each {@code FileChannel.force}. What a power cut could take back
 * cannot be seen in a test; whether it was made durable, and when, can.
 */
public final class FileForces implements AutoCloseable {

    private final RecordingStream stream = new RecordingStream();
    private final List<Path> forced = new CopyOnWriteArrayList<>();

    private FileForces() {
        stream.enable("jdk.FileForce").withThreshold(Duration.ZERO);
        stream.onEvent("jdk.FileForce", e -> forced.add(Path.of(e.getString("path"))));
        stream.startAsync();
    }

    /** Starts recording; events reach {@link #under} about a second after the fsync. */
    public static FileForces record() {
        return new FileForces();
    }

    /** The files and directories under {@code root} fsynced so far, in order, relative to it ("" for root itself). */
    public List<String> under(Path root) {
        Path base = root.toAbsolutePath().normalize();
        return forced.stream().map(p -> p.toAbsolutePath().normalize()).filter(p -> p.startsWith(base))
                .map(p -> base.relativize(p).toString().replace('\\', '/')).toList();
    }

    @Override
    public void close() {
        stream.close();
    }
}
