package com.digitalfte.vault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.spi.IdempotentRepository;

/**
 * The ids this machine turned into tasks within the horizon ({@link #HORIZON}, a year), one a line
 * in {@code .state/} with the day it was first seen. A task the owner later deletes from
 * {@code Done/} is still not created again, as long as its source may show it again (a mailbox
 * resynced, a feed replayed); past the horizon the id is forgotten, so the file and the memory it
 * takes stay the size of a year's traffic, not of every month the agent ran.
 *
 * <p>Also the persistent repository of an {@code idempotentConsumer} (a webhook's delivery ids): a
 * key that is not a plain id is kept as the hash of it, and nothing within the horizon is
 * forgotten, so a replay after a restart is still a duplicate.
 */
public final class SeenIds implements IdempotentRepository {

    public static final Duration HORIZON = Duration.ofDays(365);

    private final Path file;
    private final Clock clock;
    private final Duration horizon;
    private final Map<String, LocalDate> ids = new HashMap<>();
    /** The day the forgotten ids were last dropped: once a day, at the first id of the day. */
    private LocalDate pruned;

    public SeenIds(Path file) {
        this(file, Clock.systemUTC(), HORIZON);
    }

    public SeenIds(Path file, Clock clock, Duration horizon) {
        this.file = file;
        this.clock = clock;
        this.horizon = horizon;
        int lines = 0;
        try {
            if (Files.isRegularFile(file)) {
                LocalDate today = today();
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    lines++;
                    String[] parts = line.strip().split("\\s+");
                    if (TaskIds.isValid(parts[0])) {
                        // a line without its day (written before days were) counts from today
                        ids.merge(parts[0], parts.length > 1 ? day(parts[1], today) : today, (a, b) -> a.isBefore(b) ? a : b);
                    }
                }
            }
            pruned = today();
            forgetPastHorizon(lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static LocalDate day(String text, LocalDate otherwise) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            return otherwise;
        }
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** Drops the ids first seen before the horizon, and rewrites the file when it holds more lines than ids. */
    private void forgetPastHorizon(int linesInFile) throws IOException {
        LocalDate oldest = today().minusDays(horizon.toDays());
        ids.values().removeIf(day -> day.isBefore(oldest));
        if (linesInFile > ids.size()) {
            StringBuilder text = new StringBuilder();
            ids.forEach((id, day) -> text.append(id).append(' ').append(day).append('\n'));
            DurableFiles.writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8), file.getParent());
        }
    }

    /** How many ids it holds: what the file and the memory grow with. */
    public synchronized int size() {
        return ids.size();
    }

    /** The repository in this file: what a kamelet's bean is made with (Camel does not turn text into a Path). */
    public static SeenIds at(String file) {
        return new SeenIds(Path.of(file));
    }

    @Override
    public synchronized boolean contains(String id) {
        return ids.containsKey(stored(id));
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
        LocalDate today = today();
        if (ids.putIfAbsent(kept, today) != null) {
            return false;
        }
        try {
            Files.createDirectories(file.getParent());
            if (!today.equals(pruned)) {
                pruned = today;
                forgetPastHorizon(Integer.MAX_VALUE);
            } else {
                Files.writeString(file, kept + " " + today + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
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

    /** Forgets nothing within the horizon: a key that was seen stays a duplicate, even when its processing failed. */
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
        throw new UnsupportedOperationException("the ids this machine has seen are forgotten only past the horizon");
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
