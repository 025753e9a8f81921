package com.digitalfte.dashboard;

import com.digitalfte.audit.JsonLines;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskFormatException;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The week on the social channels, for the owner, in {@code Briefings/SOCIAL_<year>-W<week>.md}:
 * what was posted (from each channel's log under {@code Logs/}), how many X mentions were answered,
 * what waits in {@code Failed/} (an uncertain post first of all), and what each channel used of its
 * paid reads (from the agents' heartbeats). Written again, whole, each time it runs that week.
 */
public final class SocialBriefing {

    private static final Map<String, String> LOGS = Map.of("x_posts.jsonl", "X", "linkedin_posts.jsonl", "LinkedIn",
            "facebook_posts.jsonl", "Facebook", "instagram_posts.jsonl", "Instagram");
    private static final List<String> TYPES = List.of("x_reply", "x_post", "linkedin_post", "facebook_post", "instagram_post");
    private static final int MOST_LINES = 10_000;

    private final Vault vault;
    private final Clock clock;

    public SocialBriefing(Vault vault, Clock clock) {
        this.vault = vault;
        this.clock = clock;
    }

    /** Writes the briefing of the seven days up to now; its path. */
    public Path write() throws IOException {
        Instant now = clock.instant();
        Instant since = now.minus(Duration.ofDays(7));
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        String name = String.format("SOCIAL_%d-W%02d.md", today.get(IsoFields.WEEK_BASED_YEAR), today.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));

        List<String> posted = new ArrayList<>();
        int replies = 0;
        for (Map.Entry<String, String> log : new TreeMap<>(LOGS).entrySet()) {
            for (Map<String, Object> line : JsonLines.tail(vault.logs().resolve(log.getKey()), MOST_LINES)) {
                Instant at = instant(line.get("executed"));
                if (at == null || at.isBefore(since)) {
                    continue;
                }
                if ("x_reply".equals(line.get("type"))) {
                    replies++;
                }
                posted.add("| " + at + " | " + log.getValue() + " | " + line.get("type") + " | " + line.get("task_id") + " | "
                        + line.get("provider_id") + " |");
            }
        }
        posted.sort(null);

        StringBuilder sb = new StringBuilder("# Social week to " + today + "\n\n_Written by the agent at " + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + " from the last seven days._\n\n");
        sb.append("## Posted (").append(posted.size()).append(")\n\n");
        if (posted.isEmpty()) {
            sb.append("Nothing was posted.\n");
        } else {
            sb.append("| When | Channel | Type | Task | Post id |\n|---|---|---|---|---|\n");
            posted.forEach(line -> sb.append(line).append('\n'));
        }
        sb.append("\n## Replies handled\n\n").append(replies).append(" X mention").append(replies == 1 ? "" : "s").append(" answered.\n");
        sb.append("\n## Waiting for you in Failed/\n\n");
        List<String> failed = failed();
        if (failed.isEmpty()) {
            sb.append("Nothing.\n");
        }
        failed.forEach(line -> sb.append("- ").append(line).append('\n'));
        sb.append("\n## Reads used\n\n");
        Map<String, String> usage = usage();
        if (usage.isEmpty()) {
            sb.append("No channel reports paid reads.\n");
        }
        usage.forEach((channel, used) -> sb.append("- ").append(channel).append(": ").append(used).append('\n'));

        Path dir = Files.createDirectories(vault.root().resolve("Briefings"));
        Path file = dir.resolve(name);
        vault.writeAtomically(file, sb.toString());
        return file;
    }

    private List<String> failed() throws IOException {
        List<String> lines = new ArrayList<>();
        Path dir = vault.folder(Folder.FAILED);
        if (!Files.isDirectory(dir)) {
            return lines;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[!.]*.md")) {
            for (Path f : files) {
                try {
                    TaskFile task = vault.read(f);
                    if (TYPES.contains(task.type())) {
                        boolean uncertain = task.getOrEmpty("uncertain").equals("true");
                        lines.add((uncertain ? "**uncertain, check it was not posted before you retry**: " : "") + task.id() + " (" + task.type() + ")");
                    }
                } catch (TaskFormatException unreadable) {
                    // not a task of ours to report
                }
            }
        }
        lines.sort(null);
        return lines;
    }

    private Map<String, String> usage() throws IOException {
        Map<String, String> usage = new TreeMap<>();
        Path dir = vault.heartbeats();
        if (!Files.isDirectory(dir)) {
            return usage;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                try {
                    Map<?, ?> hb = JsonLines.JSON.readValue(f.toFile(), Map.class);
                    if (hb.get("usage") instanceof Map<?, ?> u) {
                        u.forEach((channel, used) -> usage.put(channel + " (" + hb.get("agent") + ")", String.valueOf(used)));
                    }
                } catch (IOException beingReplaced) {
                    // read at the next briefing
                }
            }
        }
        return usage;
    }

    private static Instant instant(Object value) {
        try {
            return value == null ? null : Instant.parse(value.toString());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
