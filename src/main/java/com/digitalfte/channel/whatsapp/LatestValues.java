package com.digitalfte.channel.whatsapp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A value per key that a restart must not forget (the draft version the owner was shown, when a
 * number last wrote), as {@code key value} lines appended in {@code .state/}, the last line of a key
 * winning. Appended without an fsync: a power cut loses at most the newest lines, and what each
 * user makes of a lost line is the safe side (a version asked to be confirmed, a window taken as
 * closed).
 */
final class LatestValues {

    private final Path file;
    private final Map<String, String> values = new HashMap<>();

    LatestValues(Path file) {
        this.file = file;
        try {
            if (Files.isRegularFile(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] kv = line.strip().split(" ", 2);
                    if (kv.length == 2) {
                        values.put(kv[0], kv[1]);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    synchronized Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** Keys and values are the agent's own tokens (ids, versions, numbers, instants): never a space or a line break. */
    synchronized void put(String key, String value) {
        if (value.equals(values.get(key))) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, key + " " + value + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        values.put(key, value);
    }
}
