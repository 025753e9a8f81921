package com.digitalfte.mail;

import com.digitalfte.vault.TaskQueue;
import java.io.IOException;

/** The mail watcher's sink: one received message becomes one task, never two. */
public final class MailIntake {

    private final TaskQueue queue;

    public MailIntake(TaskQueue queue) {
        this.queue = queue;
    }

    /** The new task's id, or {@code null} when this message already has a task. */
    public String enqueue(String channel, String messageId, String from, String replyTo, String subject,
                          String references, String body) throws IOException {
        return queue.enqueue(InboundEmail.toTask(channel, messageId, from, replyTo, subject, references, body)).orElse(null);
    }
}
