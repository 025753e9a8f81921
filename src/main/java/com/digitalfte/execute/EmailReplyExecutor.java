package com.digitalfte.execute;

import com.digitalfte.mail.ReplyMail;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskFormatException;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
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
        String messageId = ReplyMail.messageIdFor(executions.load(claimedPath), fromAddress);
        executions.completeReply(claimedPath, ACTION, messageId, messageId, Map.of());
    }

    /** The ledger already holds the send: only the filing is left to do. */
    public void alreadySent(String claimedPath) throws IOException, TaskFormatException {
        TaskFile task = executions.load(claimedPath);
        String providerId = executions.ledger().find(task.id()).map(Ledger.Entry::providerId).orElse("");
        executions.complete(claimedPath, ACTION, providerId, Map.of("message_id", providerId, "note", "sent before a restart"));
    }
}
