package com.digitalfte.channel.whatsapp;

import com.digitalfte.vault.Folder;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskFormatException;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What waits in {@code Pending_Approval/}, as the owner reads it on the phone: the id, who, what, and
 * the draft's version; and an id as the owner types it, by a unique prefix of any case or by the
 * number the last list showed.
 */
public final class PendingApprovals {

    private static final int WHO_LENGTH = 40;
    private static final int WHAT_LENGTH = 60;

    private final Vault vault;
    private volatile List<String> numbered = List.of();

    public PendingApprovals(Vault vault) {
        this.vault = vault;
    }

    /** One task waiting: {@code task} as it was read. */
    public record Pending(String id, String who, String what, String version, TaskFile task) {

        /** One line: {@code EMAIL_18c2f9a0 from Alice <alice@corp.example.com>: "Project Proposal" (v1a2b3c4d)}. */
        public String line() {
            return id + " from " + who + ": " + what + " (v" + version + ")";
        }
    }

    /** Oldest first, as they arrived; a file that cannot be read is left for the Dashboard and Failed/ to show. */
    public List<Pending> all() {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(vault.folder(Folder.PENDING_APPROVAL), "[!.]*.md")) {
            dir.forEach(files::add);
        } catch (java.nio.file.NoSuchFileException none) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(Comparator.comparing(PendingApprovals::modified).thenComparing(Path::getFileName));
        List<Pending> pending = new ArrayList<>();
        for (Path f : files) {
            read(f).ifPresent(pending::add);
        }
        return pending;
    }

    public java.util.Optional<Pending> find(String id) {
        return read(vault.file(Folder.PENDING_APPROVAL, id));
    }

    private java.util.Optional<Pending> read(Path file) {
        try {
            TaskFile task = vault.read(file);
            return java.util.Optional.of(new Pending(task.id(), clip(oneLine(task.getOrEmpty("from")), WHO_LENGTH),
                    what(task), DraftVersions.of(task), task));
        } catch (IOException | TaskFormatException gone) {
            return java.util.Optional.empty();
        }
    }

    private static String what(TaskFile task) {
        String subject = oneLine(task.getOrEmpty("subject"));
        String kind = task.type().replace('_', ' ');
        return subject.isEmpty() ? kind : kind + " \"" + clip(subject, WHAT_LENGTH) + "\"";
    }

    /** The ids a list or a notification numbered 1, 2, ...: what {@code approve 2} means until the next list. */
    public void numbered(List<String> ids) {
        numbered = List.copyOf(ids);
    }

    public List<String> numbered() {
        return numbered;
    }

    /** What the owner's reference names: the id, or why it names none (nothing waits under it, or several do). */
    public record Resolved(String id, String problem) {
    }

    public Resolved resolve(String reference) {
        // an id always starts with its type's letters: digits alone are a number of the last list
        if (reference.matches("[0-9]{1,4}")) {
            List<String> listed = numbered;
            int n = Integer.parseInt(reference);
            return n >= 1 && n <= listed.size() ? new Resolved(listed.get(n - 1), null)
                    : new Resolved(null, "there is no number " + reference + " in the last list: send list to see what waits");
        }
        String wanted = reference.toUpperCase(Locale.ROOT);
        List<String> matches = all().stream().map(Pending::id)
                .filter(id -> id.toUpperCase(Locale.ROOT).equals(wanted) || id.toUpperCase(Locale.ROOT).startsWith(wanted)).toList();
        List<String> exact = matches.stream().filter(id -> id.equalsIgnoreCase(reference)).toList();
        if (exact.size() == 1 || matches.size() == 1) {
            return new Resolved(exact.size() == 1 ? exact.get(0) : matches.get(0), null);
        }
        if (matches.isEmpty()) {
            return new Resolved(null, "nothing waits for approval under " + reference + ": send list to see what does");
        }
        return new Resolved(null, reference + " could be " + String.join(", ", matches.subList(0, Math.min(5, matches.size())))
                + (matches.size() > 5 ? " and " + (matches.size() - 5) + " more" : "") + ": give more of the id");
    }

    static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    static String clip(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException gone) {
            return Long.MAX_VALUE;
        }
    }
}
