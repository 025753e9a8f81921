package com.digitalfte.execute;

import com.digitalfte.audit.JsonLines;
import com.digitalfte.mail.ReplyMail;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskFormatException;
import com.digitalfte.vault.TaskIds;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Sends the approved {@code ## Draft} of an {@code email_reply} task as a threaded reply over SMTP. */
public final class EmailReplyExecutor {

    public static final String ACTION = "email_reply";

    private final Executions executions;

    public EmailReplyExecutor(Executions executions) {
        this.executions = executions;
    }

    /**
     * The message to send, with the intent already on disk; {@code null} when the ledger says it
     * was sent before (a crash after the send and before {@code Done/}).
     */
    public MimeMessage prepare(String claimedPath, String fromAddress) throws IOException, TaskFormatException, MessagingException {
        TaskFile task = executions.load(claimedPath);
        if (executions.ledger().isDone(task.id())) {
            return null;
        }
        MimeMessage message = ReplyMail.build(task, fromAddress);
        executions.ledger().intent(task.id(), ACTION);
        return message;
    }

    public void sent(String claimedPath, String fromAddress) throws IOException, TaskFormatException {
        TaskFile task = executions.load(claimedPath);
        String messageId = ReplyMail.messageIdFor(task, fromAddress);
        String draft = task.section(TaskFile.DRAFT).orElse("");
        String to = task.get("reply_to").orElse(task.getOrEmpty("from"));
        Map<String, String> result = new LinkedHashMap<>();
        result.put("sent", Instant.now().toString());
        result.put("message_id", messageId);
        result.put("to", to);
        result.put("draft_sha256", TaskIds.sha256(draft));
        executions.complete(claimedPath, ACTION, messageId, result);
        Map<String, Object> line = new LinkedHashMap<>(result);
        line.put("task_id", task.id());
        line.put("in_reply_to", task.getOrEmpty("message_id"));
        line.put("subject", task.getOrEmpty("subject"));
        JsonLines.append(executions.audit().emailSent(), line);
    }

    /** The ledger already holds the send: only the filing is left to do. */
    public void alreadySent(String claimedPath) throws IOException, TaskFormatException {
        TaskFile task = executions.load(claimedPath);
        String providerId = executions.ledger().find(task.id()).map(Ledger.Entry::providerId).orElse("");
        executions.complete(claimedPath, ACTION, providerId, Map.of("message_id", providerId, "note", "sent before a restart"));
    }
}
