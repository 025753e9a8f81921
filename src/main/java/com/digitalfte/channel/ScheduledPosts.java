package com.digitalfte.channel;

import com.digitalfte.vault.Folder;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskQueue;
import com.digitalfte.vault.TaskFormatException;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A post on a schedule (LinkedIn's weekly one): a task {@code <PREFIX>_<date>_1} in
 * {@code Needs_Action/}, whose original is what the drafter writes about, the owner's
 * {@code Business_Goals.md} and what was done lately ({@code Done/}: the kind and subject of each,
 * never a customer's words). One a day at most: a schedule that fires again (a restart, a second
 * agent) finds the day's task and makes none.
 */
public final class ScheduledPosts {

    private static final int RECENT = 8;

    private final Vault vault;
    private final TaskQueue queue;
    private final Clock clock;

    public ScheduledPosts(Vault vault, TaskQueue queue, Clock clock) {
        this.vault = vault;
        this.queue = queue;
        this.clock = clock;
    }

    /** The day's post task of this type, made now; empty when the day has one already. */
    public Optional<String> create(String type, String channel, String idPrefix, String channelName) throws IOException {
        String day = LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString();
        TaskFile task = TaskFile.create(idPrefix + "_" + day + "_1", type).with("channel", channel)
                .with("from", "schedule").with("subject", channelName + " post for " + day)
                .withSection(TaskFile.ORIGINAL, brief(channelName));
        return queue.enqueue(task);
    }

    private String brief(String channelName) throws IOException {
        StringBuilder sb = new StringBuilder("Write a " + channelName + " post about the business: what it offers, what it did lately, ")
                .append("in the owner's voice, true to the goals below. Name no customer.\n\n");
        Path goals = vault.root().resolve("Business_Goals.md");
        sb.append("Business goals (Business_Goals.md):\n\n")
                .append(Files.exists(goals) ? Files.readString(goals).strip() : "(none written yet: Business_Goals.md is missing)").append("\n\n");
        List<String> done = recentDone();
        sb.append("Done lately:\n\n");
        if (done.isEmpty()) {
            sb.append("(nothing yet)\n");
        }
        done.forEach(line -> sb.append("- ").append(line).append('\n'));
        return sb.toString().strip();
    }

    private List<String> recentDone() throws IOException {
        Path dir = vault.folder(Folder.DONE);
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "[!.]*.md")) {
                stream.forEach(files::add);
            }
        }
        files.sort(Comparator.comparing(ScheduledPosts::modified).reversed());
        List<String> lines = new ArrayList<>();
        for (Path f : files.subList(0, Math.min(RECENT, files.size()))) {
            try {
                TaskFile t = vault.read(f);
                lines.add(t.type().replace('_', ' ') + ": " + t.getOrEmpty("subject").replaceAll("\\s+", " ").strip());
            } catch (TaskFormatException | IOException unreadable) {
                // not a task: nothing to tell about it
            }
        }
        return lines;
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
