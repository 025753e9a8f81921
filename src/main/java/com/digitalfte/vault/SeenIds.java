package com.digitalfte.vault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import org.apache.camel.spi.IdempotentRepository;

/**
 * The ids this machine has ever turned into tasks, one a line in {@code .state/}. A task the owner
 * later deletes from {@code Done/} is still never created again.
 *
 * <p>Also the persistent repository of an {@code idempotentConsumer} (a webhook's delivery ids): a
 * key that is not a plain id is kept as the hash of it, and nothing is ever forgotten, so a replay
 * after a restart is still a duplicate.
 */
public final class SeenIds implements IdempotentRepository {

    private final Path file;
    private final Set<String> ids = new HashSet<>();

    public SeenIds(Path file) {
        this.file = file;
        try {
            if (Files.isRegularFile(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (TaskIds.isValid(line.strip())) {
                        ids.add(line.strip());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The repository in this file: what a kamelet's bean is made with (Camel does not turn text into a Path). */
    public static SeenIds at(String file) {
        return new SeenIds(Path.of(file));
    }

    @Override
    public synchronized boolean contains(String id) {
        return ids.contains(stored(id));
    }

    /**
     * Remembers the id, appended without an fsync of its own: a killed process loses nothing it
     * wrote, and what a power cut could lose is covered by the task file itself, written and fsynced
     * before (the intake also checks the vault for the id). One fsync less for every new task.
     * True when it was new: what the idempotent consumer asks.
     */
    @Override
    public synchronized boolean add(String id) {
        String kept = stored(id);
        if (!ids.add(kept)) {
            return false;
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, kept + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            ids.remove(kept);
            throw new UncheckedIOException("cannot remember " + id + " in " + file, e);
        }
        return true;
    }

    /** A key that would not read back as an id (a URL, a GUID with braces) is kept as its hash. */
    private static String stored(String key) {
        return TaskIds.isValid(key) ? key : "sha256-" + TaskIds.sha256(key).substring(0, 32);
    }

    /** Never forgets: a key that was seen stays a duplicate, even when its processing failed. */
    @Override
    public boolean remove(String key) {
        return false;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("the ids this machine has seen are never forgotten");
    }

    @Override
    public void start() {
        // read when made
    }

    @Override
    public void stop() {
        // every add is on disk when it returns
    }
}
