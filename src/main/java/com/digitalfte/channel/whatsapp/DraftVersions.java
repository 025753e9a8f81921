package com.digitalfte.channel.whatsapp;

import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskIds;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What binds an approval to what the owner saw: a draft's version is the first characters of the
 * SHA-256 of its {@code ## Draft} (the hash {@code Done/} records as {@code draft_sha256}), and each
 * notification, {@code list} and {@code show} remembers the version it showed, across restarts.
 */
public final class DraftVersions {

    static final int LENGTH = 8;
    /** Shown no version: what no draft's version starts with, so an approval asks to confirm. */
    static final String NONE = "none";

    private final LatestValues shown;

    public DraftVersions(Path file) {
        this.shown = new LatestValues(file);
    }

    public static String of(TaskFile task) {
        return TaskIds.sha256(task.section(TaskFile.DRAFT).orElse("")).substring(0, LENGTH);
    }

    public void shown(String taskId, String version) {
        shown.put(taskId, version);
    }

    /** The version of this task the owner was last shown, if any. */
    public Optional<String> lastShown(String taskId) {
        return shown.get(taskId).filter(v -> !v.equals(NONE));
    }
}
