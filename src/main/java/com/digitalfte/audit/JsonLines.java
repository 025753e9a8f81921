package com.digitalfte.audit;

import com.digitalfte.secrets.Masking;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Appends one JSON object per line; the files under {@code Logs/} that never leave the machine, and
 * still never hold a credential: every string in a record is masked as a log line is. A file past
 * {@link #ROTATE_AT} is rolled over to {@code <name>.<time>.jsonl} before the next line; of the
 * agent's own running records (one line a sync, one a claim push) the newest {@link #KEEP_ROLLED}
 * rolled files are kept, and the audit trail's rolled files are all kept. A tail reads the end of the
 * file only, so the Dashboard and the health checks cost the same in a year as on the first day.
 */
public final class JsonLines {

    public static final ObjectMapper JSON = new ObjectMapper();

    private JsonLines() {
    }

    /** How large a file grows before it is rolled over. */
    static final long ROTATE_AT = 5L * 1024 * 1024;
    /** Rolled files kept of each of the agent's running records. */
    static final int KEEP_ROLLED = 3;
    /** The agent's running records: how each sync and each claim push went, read for the last few lines only. */
    private static final Set<String> RUNNING_RECORDS = Set.of("vault_sync.jsonl", "claims.jsonl");
    private static final DateTimeFormatter ROLLED = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);
    private static final int CHUNK = 64 * 1024;
    private static final int FIRST_CHUNK = 8 * 1024;

    public static synchronized void append(Path file, Map<String, ?> record) {
        try {
            Files.createDirectories(file.getParent());
            rollOverIfFull(file);
            byte[] line = (JSON.writeValueAsString(masked(JSON.valueToTree(record))) + "\n").getBytes(StandardCharsets.UTF_8);
            Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write a log record", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    private static JsonNode masked(JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(Masking.mask(node.textValue()));
        }
        if (node instanceof ObjectNode object) {
            object.properties().forEach(field -> field.setValue(masked(field.getValue())));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, masked(array.get(i)));
            }
        }
        return node;
    }

    /** The last {@code n} parseable records of a file, oldest first; a torn line is skipped. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> tail(Path file, int n) {
        List<Map<String, Object>> result = new ArrayList<>();
        if (n <= 0 || !Files.isRegularFile(file)) {
            return result;
        }
        try {
            List<String> lines = n == Integer.MAX_VALUE ? allLines(file) : lastLines(file, n);
            for (String line : lines) {
                try {
                    result.add(JSON.readValue(line, Map.class));
                } catch (JsonProcessingException torn) {
                    // a line cut short by a crash: the rest of the log still counts
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    /**
     * The records of an append-only file whose {@code field} is {@code value}, the last {@code n}
     * asked for kept: each look reads only what was appended since the one before (a file that
     * shrank was rolled over or replaced, and is read again from its start), and parses only the
     * lines that hold the value.
     */
    public static final class Matches {
        private final Path file;
        private final String field;
        private final String value;
        private final String quoted;
        private final ArrayDeque<Map<String, Object>> found = new ArrayDeque<>();
        private long readTo;
        private Object readFrom;
        private int keep;

        public Matches(Path file, String field, String value) {
            this.file = file;
            this.field = field;
            this.value = value;
            this.quoted = '"' + value + '"';
        }

        @SuppressWarnings("unchecked")
        public synchronized List<Map<String, Object>> last(int n) {
            if (n > keep) {
                // more asked for than kept: read the whole file again
                keep = n;
                readTo = 0;
                found.clear();
            }
            try {
                BasicFileAttributes attributes = Files.isRegularFile(file)
                        ? Files.readAttributes(file, BasicFileAttributes.class) : null;
                long size = attributes == null ? 0 : attributes.size();
                Object identity = attributes == null ? null : attributes.fileKey() != null ? attributes.fileKey() : attributes.creationTime();
                if (size < readTo || !Objects.equals(identity, readFrom)) {
                    // rolled over, replaced or restored: another file, read from its start
                    readTo = 0;
                    found.clear();
                    readFrom = identity;
                }
                if (size > readTo) {
                    List<Map<String, Object>> fresh = new ArrayList<>();
                    long to = readLines(file, readTo, size, line -> {
                        if (line.contains(quoted)) {
                            try {
                                Map<String, Object> record = JSON.readValue(line, Map.class);
                                if (value.equals(record.get(field))) {
                                    fresh.add(record);
                                }
                            } catch (JsonProcessingException torn) {
                                // a line cut short by a crash: the rest of the log still counts
                            }
                        }
                    });
                    // taken in only once all of it was read: a read that failed half-way is made again whole
                    readTo = to;
                    for (Map<String, Object> record : fresh) {
                        found.addLast(record);
                        if (found.size() > keep) {
                            found.removeFirst();
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<Map<String, Object>> result = new ArrayList<>(found);
            return result.subList(Math.max(0, result.size() - n), result.size());
        }
    }

    /** The whole lines between two offsets, to each in turn; where the reading stopped (after the last newline). */
    private static long readLines(Path file, long from, long to, Consumer<String> each) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ)) {
            channel.position(from);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            long position = from;
            long lineStart = from;
            while (position < to) {
                chunk.clear().limit((int) Math.min(CHUNK, to - position));
                int read = channel.read(chunk);
                if (read < 0) {
                    break;
                }
                for (int i = 0; i < read; i++) {
                    byte b = chunk.get(i);
                    if (b == '\n') {
                        String text = line.toString(StandardCharsets.UTF_8);
                        if (!text.isBlank()) {
                            each.accept(text);
                        }
                        line.reset();
                        lineStart = position + i + 1;
                    } else {
                        line.write(b);
                    }
                }
                position += read;
            }
            // a line still being written is read whole next time
            return lineStart;
        }
    }

    private static List<String> allLines(Path file) throws IOException {
        List<String> lines = new ArrayList<>(List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")));
        lines.removeIf(String::isBlank);
        return lines;
    }

    /** The last {@code n} non-empty lines: chunks read from the end until they hold that many whole lines. */
    private static List<String> lastLines(Path file, int n) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ)) {
            long position = channel.size();
            byte[] data = new byte[0];
            int newlines = 0;
            // the last few lines (the Dashboard's twenty) fit in a few kB: start small, double up to CHUNK
            int chunkSize = FIRST_CHUNK;
            while (position > 0 && newlines <= n) {
                int size = (int) Math.min(chunkSize, position);
                chunkSize = Math.min(CHUNK, chunkSize * 2);
                position -= size;
                ByteBuffer chunk = ByteBuffer.allocate(size + data.length);
                channel.position(position);
                chunk.limit(size);
                while (chunk.hasRemaining() && channel.read(chunk) >= 0) {
                    // until the chunk is read whole
                }
                for (int i = 0; i < size; i++) {
                    if (chunk.get(i) == '\n') {
                        newlines++;
                    }
                }
                chunk.limit(size + data.length).put(data);
                data = chunk.array();
            }
            List<String> lines = new ArrayList<>(List.of(new String(data, StandardCharsets.UTF_8).split("\n")));
            if (position > 0) {
                // the reading stopped inside a line: only whole lines count
                lines.remove(0);
            }
            lines.removeIf(String::isBlank);
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        }
    }

    /** A full file moves aside as {@code <name>.<time>.jsonl}; the oldest rolled running records go. */
    private static void rollOverIfFull(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) < ROTATE_AT) {
            return;
        }
        String name = file.getFileName().toString();
        String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
        Path rolled = file.resolveSibling(stem + "." + ROLLED.format(Instant.now()) + ".jsonl");
        for (int n = 2; Files.exists(rolled); n++) {
            rolled = file.resolveSibling(stem + "." + ROLLED.format(Instant.now()) + "-" + n + ".jsonl");
        }
        Files.move(file, rolled, StandardCopyOption.ATOMIC_MOVE);
        if (!RUNNING_RECORDS.contains(name)) {
            return;
        }
        List<Path> old = new ArrayList<>();
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(file.getParent(), stem + ".*.jsonl")) {
            siblings.forEach(old::add);
        }
        // oldest first: by when each was last written, then by name
        old.sort(Comparator.comparing((Path f) -> {
            try {
                return Files.getLastModifiedTime(f).toInstant();
            } catch (IOException gone) {
                return Instant.EPOCH;
            }
        }).thenComparing(Path::toString));
        for (int i = 0; i < old.size() - KEEP_ROLLED; i++) {
            Files.deleteIfExists(old.get(i));
        }
    }
}
