package com.digitalfte.draft;

import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The owner's approved wording: drafts of the same type from {@code Done/}, those to the same
 * correspondent first, newest first. What was sent is what the owner approved, edits included.
 */
public final class Examples {

    public record Example(String from, String subject, String original, String reply) {
    }

    private final Path done;
    private final int max;

    public Examples(Path done, int max) {
        this.done = done;
        this.max = max;
    }

    public List<Example> forTask(TaskFile task) {
        List<Path> files = new ArrayList<>();
        if (max <= 0 || !Files.isDirectory(done)) {
            return List.of();
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(done, "[!.]*.md")) {
            s.forEach(files::add);
        } catch (IOException e) {
            return List.of();
        }
        files.sort(Comparator.comparing(Examples::modified).reversed());
        String correspondent = address(task.getOrEmpty("from"));
        List<Example> same = new ArrayList<>();
        List<Example> others = new ArrayList<>();
        for (Path f : files.subList(0, Math.min(files.size(), 200))) {
            try {
                TaskFile t = TaskFile.parse(Vault.readText(f));
                if (!t.type().equals(task.type()) || t.section(TaskFile.DRAFT).isEmpty() || t.id().equals(task.id())) {
                    continue;
                }
                Example e = new Example(t.getOrEmpty("from"), t.getOrEmpty("subject"), t.section(TaskFile.ORIGINAL).orElse(""),
                        t.section(TaskFile.DRAFT).get());
                (address(e.from()).equals(correspondent) && !correspondent.isEmpty() ? same : others).add(e);
            } catch (Exception unreadable) {
                // a file in Done/ that does not parse is no example
            }
        }
        List<Example> result = new ArrayList<>(same);
        result.addAll(others);
        return result.subList(0, Math.min(max, result.size()));
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    static String address(String from) {
        String f = from.strip();
        int lt = f.indexOf('<');
        String a = lt >= 0 ? f.substring(lt + 1).replace(">", "") : f;
        return a.strip().toLowerCase(Locale.ROOT);
    }
}
