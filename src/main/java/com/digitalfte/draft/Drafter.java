package com.digitalfte.draft;

import com.digitalfte.vault.TaskFile;

/** Writes the reply or post for a task; the owner reads it, may edit it, and approves it. */
public interface Drafter {

    /** The name recorded in the task's {@code drafted_by}. */
    String name();

    /** The text of the {@code ## Draft} section. */
    String draft(TaskFile task, Handbook handbook);
}
