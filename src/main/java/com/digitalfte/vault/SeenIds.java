package com.digitalfte.vault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The ids this machine has ever turned into tasks, one a line in {@code .state/}. A task the owner
 * later deletes from {@code Done/} is still never created again.
 */
public final class SeenIds {

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

    public synchronized boolean contains(String id) {
        return ids.contains(id);
    }

    /**
     * Remembers the id, appended without an fsync of its own: a killed process loses nothing it
     * wrote, and what a power cut could lose is covered by the task file itself, written and fsynced
     * before (the intake also checks the vault for the id). One fsync less for every new task.
     */
    public synchronized void add(String id) throws IOException {
        if (ids.add(id)) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, id + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }
}
