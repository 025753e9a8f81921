package com.digitalfte.mail;

import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskIds;

/** Turns a received email into an {@code email_reply} task; everything in it is untrusted text. */
public final class InboundEmail {

    private InboundEmail() {
    }

    public static TaskFile toTask(String channel, String messageId, String from, String replyTo,
                                  String subject, String references, String body) {
        String key = messageId == null || messageId.isBlank()
                ? "no-message-id:" + from + "|" + subject + "|" + TaskIds.sha256(body == null ? "" : body)
                : messageId;
        TaskFile task = TaskFile.create(TaskIds.email(key), "email_reply")
                .with("channel", channel)
                .with("from", clean(from))
                .with("subject", clean(subject));
        if (replyTo != null && !replyTo.isBlank() && !replyTo.strip().equals(from == null ? "" : from.strip())) {
            task.with("reply_to", clean(replyTo));
        }
        if (messageId != null && !messageId.isBlank()) {
            task.with("message_id", clean(messageId));
        }
        if (references != null && !references.isBlank()) {
            task.with("references", clean(references));
        }
        return task.withSection(TaskFile.ORIGINAL, body == null ? "" : body.strip());
    }

    /** Header values stay on one line in the front matter. */
    private static String clean(String value) {
        return value == null ? "" : value.replaceAll("[\\r\\n\\t]+", " ").strip();
    }
}
