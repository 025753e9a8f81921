package com.digitalfte.execute;

import com.digitalfte.vault.DurableFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The execution ledger in {@code .state/}: an {@code intent} line is on disk before a provider is
 * called, a {@code done} line with the provider's id after ({@code not_sent} when the provider refused). Append-only and fsynced; a torn last
 * line (a crash mid-write) is ignored and reported. A {@code done} line carries the task's type, so
 * the hourly limits count what was done before a restart too.
 */
public final class Ledger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Ledger.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How far back done actions are kept in memory for the limits, which count the last hour. */
    private static final Duration KEPT_FOR_LIMITS = Duration.ofDays(1);
    /** A ledger with more lines than this and more than two per task is compacted when it is opened. */
    static final int COMPACT_ABOVE = 1000;
    /** Done lines written before the type was: only email replies were executed then, over SMTP or Gmail. */
    private static final Map<String, String> TYPE_OF_UNTYPED_ACTION = Map.of("email_reply", "email_reply", "gmail_reply", "email_reply");

    public record Entry(String id, String action, String state, String providerId) {
        public boolean done() {
            return "done".equals(state);
        }

        /** Begun and never finished: the provider may or may not have acted. */
        public boolean interrupted() {
            return "intent".equals(state);
        }
    }

    private final Path file;
    private final Clock clock;
    private final Map<String, Entry> latest = new HashMap<>();
    private final Map<String, List<Instant>> doneAt = new HashMap<>();
    private final FileChannel channel;

    public Ledger(Path file) {
        this(file, Clock.systemUTC());
    }

    public Ledger(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
        try {
            Files.createDirectories(file.getParent());
            load();
            boolean created = !Files.exists(file);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            if (created) {
                // each line is fsynced, and the file's name must outlive a power cut as well as its lines
                DurableFiles.syncDirectory(file.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the ledger " + file, e);
        }
    }

    @SuppressWarnings("unchecked")
    private void load() throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        // each id's line that decides it (its first done, else its last line), in the order they were written
        Map<String, String> deciding = new LinkedHashMap<>();
        int written = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            written++;
            try {
                Map<String, Object> m = JSON.readValue(line, Map.class);
                Entry e = new Entry((String) m.get("id"), (String) m.get("action"), (String) m.get("state"), (String) m.get("provider_id"));
                Entry previous = latest.get(e.id());
                if (previous == null || !previous.done()) {
                    latest.put(e.id(), e);
                    deciding.remove(e.id());
                    deciding.put(e.id(), line);
                    if (e.done()) {
                        countDone(m.get("type") instanceof String type ? type : TYPE_OF_UNTYPED_ACTION.get(String.valueOf(e.action())),
                                (String) m.get("ts"));
                    }
                }
            } catch (JsonProcessingException torn) {
                LOG.warn("Ledger {}: line {} is incomplete (a crash while writing it) and is ignored", file, i + 1);
            }
        }
        if (written > COMPACT_ABOVE && written > 2 * deciding.size()) {
            compact(deciding.values(), written);
        }
    }

    /**
     * Rewrites the ledger with one line per id, the one that decides it, so it grows with the tasks
     * executed, not with every try: written whole beside it, fsynced, then renamed over it.
     */
    private void compact(java.util.Collection<String> deciding, int written) throws IOException {
        StringBuilder text = new StringBuilder();
        deciding.forEach(line -> text.append('\n').append(line.strip()));
        DurableFiles.writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8), file.getParent());
        LOG.info("Ledger {} compacted: {} lines to {}, one per task", file, written, deciding.size());
    }

    /** A done line read back; one whose type cannot be told (an unknown action, before types were written) counts for no limit. */
    private void countDone(String type, String ts) {
        if (type == null || ts == null) {
            return;
        }
        try {
            countDone(type, Instant.parse(ts));
        } catch (DateTimeParseException unreadable) {
            LOG.warn("Ledger {}: a done line has the time '{}'; it counts for no hourly limit", file, ts);
        }
    }

    private void countDone(String type, Instant at) {
        Instant oldest = clock.instant().minus(KEPT_FOR_LIMITS);
        if (at.isAfter(oldest)) {
            List<Instant> times = doneAt.computeIfAbsent(type, k -> new ArrayList<>());
            times.removeIf(t -> t.isBefore(oldest));
            times.add(at);
        }
    }

    /** How many tasks of this type were done since then, by this run and earlier ones (at most a day back). */
    public synchronized int doneSince(String type, Instant since) {
        return (int) doneAt.getOrDefault(type, List.of()).stream().filter(t -> !t.isBefore(since)).count();
    }

    public synchronized Optional<Entry> find(String id) {
        return Optional.ofNullable(latest.get(id));
    }

    public boolean isDone(String id) {
        return find(id).map(Entry::done).orElse(false);
    }

    public synchronized void intent(String id, String action) throws IOException {
        append(new Entry(id, action, "intent", null));
    }

    /** An intent that already holds what the provider gave back before the final call (a draft's id). */
    public synchronized void intent(String id, String action, String providerId) throws IOException {
        append(new Entry(id, action, "intent", providerId));
    }

    /** The provider certainly did not act (it refused the request): a later try starts afresh. */
    public synchronized void notSent(String id, String action) throws IOException {
        append(new Entry(id, action, "not_sent", null));
    }

    /** The provider acted; {@code type} is the task's, what its hourly limit counts. */
    public synchronized void done(String id, String action, String type, String providerId) throws IOException {
        Instant now = clock.instant();
        append(new Entry(id, action, "done", providerId), now, type);
        countDone(type, now);
    }

    private void append(Entry e) throws IOException {
        append(e, clock.instant(), null);
    }

    private void append(Entry e, Instant now, String type) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ts", now.toString());
        m.put("id", e.id());
        m.put("action", e.action());
        m.put("state", e.state());
        if (type != null) {
            m.put("type", type);
        }
        if (e.providerId() != null) {
            m.put("provider_id", e.providerId());
        }
        // a newline first, so a line torn by an earlier crash never glues onto this one
        ByteBuffer buf = ByteBuffer.wrap(("\n" + JSON.writeValueAsString(m)).getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        channel.force(false);
        latest.put(e.id(), e);
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
