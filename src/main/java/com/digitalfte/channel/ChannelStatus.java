package com.digitalfte.channel;

import com.digitalfte.vault.DurableFiles;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a channel wants the owner to see about itself, kept on its machine in
 * {@code .state/channels/<name>.json}: what it used of a paid allowance ("124 of 3000 reads in
 * 2026-12") and a problem to act on ("the LinkedIn token expires in 9 days"). The heartbeat carries
 * every channel's file to the Dashboard, so a channel in a kamelet, a route or a bean reports
 * without knowing who shows it.
 */
public final class ChannelStatus {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    /** A channel's usage and problem, each empty when it has none. */
    public record Report(String usage, String problem) {
    }

    private final Path dir;

    /** {@code stateDir}: the vault's {@code .state/}. */
    public ChannelStatus(Path stateDir) {
        this.dir = stateDir.resolve("channels");
    }

    /** Replaces what this channel reports; both empty removes its file. */
    public synchronized void report(String channel, String usage, String problem) throws IOException {
        if (!NAME.matcher(channel).matches()) {
            throw new IllegalArgumentException("a channel's name is lower-case letters, digits and '-', not '" + channel + "'");
        }
        Path file = dir.resolve(channel + ".json");
        Map<String, String> fields = new LinkedHashMap<>();
        if (usage != null && !usage.isBlank()) {
            fields.put("usage", usage.strip());
        }
        if (problem != null && !problem.isBlank()) {
            fields.put("problem", problem.strip());
        }
        if (fields.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        Files.createDirectories(dir);
        DurableFiles.writeAtomically(file, JSON.writeValueAsString(fields).getBytes(StandardCharsets.UTF_8), dir);
    }

    /** Every channel's report on this machine, by name; a file being replaced right now is read at the next beat. */
    public Map<String, Report> all() {
        Map<String, Report> reports = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return reports;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                try {
                    Map<String, String> fields = JSON.readValue(f.toFile(), new TypeReference<Map<String, String>>() { });
                    reports.put(f.getFileName().toString().replaceFirst("\\.json$", ""),
                            new Report(fields.getOrDefault("usage", ""), fields.getOrDefault("problem", "")));
                } catch (IOException unreadable) {
                    // half replaced, or not ours: nothing to show this time
                }
            }
        } catch (IOException e) {
            return reports;
        }
        return reports;
    }
}
