package com.digitalfte.execute;

import com.digitalfte.mail.MailConnection;
import com.digitalfte.mail.MailProblems;
import com.digitalfte.mail.ReplyMail;
import com.digitalfte.mail.SentFolder;
import com.digitalfte.vault.OutcomeUnknownException;
import com.digitalfte.vault.ProviderUnavailableException;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskFormatException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the approved {@code ## Draft} of an {@code email_reply} task as a threaded reply over SMTP
 * from one mailbox, exactly once: the intent is in the ledger before the send, and a send begun
 * before a restart is looked up in the Sent folder by its fixed Message-ID before anything is sent again.
 */
public final class EmailReplyExecutor {

    public static final String ACTION = "email_reply";
    private static final Logger LOG = LoggerFactory.getLogger(EmailReplyExecutor.class);

    private final Executions executions;
    private final SentFolder sentFolder;
    private final String address;
    private final MailProblems problems;
    private final MailConnection smtp;

    /** {@code problems}: where a server that cannot be reached is shown; {@code smtp}: the server replies go through. */
    public EmailReplyExecutor(Executions executions, SentFolder sentFolder, String address, MailProblems problems, MailConnection smtp) {
        this.executions = executions;
        this.sentFolder = sentFolder;
        this.address = address;
        this.problems = problems;
        this.smtp = smtp;
    }

    /**
     * The message to send, with the intent on disk; {@code null} when it was sent before (the ledger
     * says so, or the Sent folder holds it), in which case the task is already filed in {@code Done/}.
     *
     * @throws OutcomeUnknownException when a send was begun before a restart, is not in the Sent
     *     folder, and the agent itself files the copies (so it may have gone out all the same)
     */
    public MimeMessage prepare(String claimedPath) throws IOException, TaskFormatException, MessagingException, OutcomeUnknownException {
        TaskFile task = executions.load(claimedPath);
        String messageId = ReplyMail.messageIdFor(task, address);
        Ledger.Entry before = executions.ledger().find(task.id()).orElse(null);
        if (before != null && before.done()) {
            executions.completeReply(claimedPath, ACTION, messageId, before.providerId(), Map.of("note", "sent before a restart"));
            return null;
        }
        if (before != null && before.interrupted()) {
            if (task.get("uncertain").map(Boolean::parseBoolean).orElse(false)) {
                LOG.info("Task {}: the owner moved it back to Approved after checking; sending it", task.id());
            } else if (sentFolder.holds(messageId)) {
                LOG.info("Task {}: its reply {} is in the '{}' folder, sent before a restart; not sending it again",
                        task.id(), messageId, sentFolder.name());
                executions.completeReply(claimedPath, ACTION, messageId, messageId, Map.of("note", "found in Sent after a restart"));
                return null;
            } else if (!sentFolder.serverFilesCopies()) {
                throw new OutcomeUnknownException("the reply " + messageId + " was being sent when the agent stopped, and it is not in the '"
                        + sentFolder.name() + "' folder; this agent files that copy itself just after sending (MAIL_SENT_COPY=agent), so it may"
                        + " have gone out. Check the recipient's thread or your Sent folder; move this task back to Approved/ to send it.");
            } else {
                LOG.info("Task {}: its reply {} is not in the '{}' folder, so it was not sent before the restart; sending it",
                        task.id(), messageId, sentFolder.name());
            }
        }
        MimeMessage message = ReplyMail.build(task, address);
        executions.ledger().intent(task.id(), ACTION);
        return message;
    }

    /** The server accepted the reply: its copy in Sent (when the agent files it), the ledger's done, {@code Done/}. */
    public void sent(String claimedPath, MimeMessage message) throws IOException, TaskFormatException {
        problems.working(smtp.key());
        sentFolder.file(message);
        String messageId = ReplyMail.messageIdFor(executions.load(claimedPath), address);
        executions.completeReply(claimedPath, ACTION, messageId, messageId, Map.of());
    }

    /**
     * The send failed. When the server certainly did not take the message (no connection, login
     * refused, sender or recipients rejected) the ledger says so: a passing cause (no connection, a
     * 4xx reply) is retried with backoff, a lasting one goes to {@code Failed/} for the owner to retry;
     * otherwise (the connection broke after the message went out) the outcome is unknown. A server
     * that could not be reached or refused the login or TLS is also shown as a problem until a reply
     * goes through, with the reason in one line.
     */
    public void failed(String claimedPath, Exception error) throws Exception {
        TaskFile task = executions.load(claimedPath);
        if (certainlyNotSent(error)) {
            executions.ledger().notSent(task.id(), ACTION);
            boolean unreachable = causes(error).noneMatch(SendFailedException.class::isInstance);
            if (unreachable) {
                problems.failing(smtp.key(), smtp.reason(error));
            }
            if (passing(error)) {
                throw new ProviderUnavailableException("the mail server did not take the reply (" + rootMessage(error) + ")", error);
            }
            if (unreachable) {
                throw new MessagingException(smtp.reason(error));
            }
            throw error;
        }
        throw new OutcomeUnknownException("the connection to the mail server failed while the reply "
                + ReplyMail.messageIdFor(task, address) + " was being sent (" + rootMessage(error) + "); it may have gone out."
                + " Check the recipient's thread or your Sent folder; move this task back to Approved/ to send it.");
    }

    static boolean certainlyNotSent(Throwable error) {
        return causes(error).anyMatch(t -> t instanceof SendFailedException || t instanceof AuthenticationFailedException || noConnection(t)
                || noSecureConnection(t));
    }

    /** TLS failed before anything was said (a handshake, a certificate, no STARTTLS): nothing of the message went out. */
    private static boolean noSecureConnection(Throwable t) {
        String message = t.getMessage() == null ? "" : t.getMessage();
        return t instanceof SSLHandshakeException || message.startsWith("STARTTLS is required")
                || message.startsWith("Could not convert socket to TLS") || message.startsWith("Could not connect to SMTP host");
    }

    /** No connection at all, or a temporary (4xx) SMTP reply: the same send may well work in a moment. */
    static boolean passing(Throwable error) {
        return causes(error).anyMatch(t -> noConnection(t) || smtpReplyCode(t) / 100 == 4);
    }

    private static boolean noConnection(Throwable t) {
        return t instanceof ConnectException || t instanceof UnknownHostException || t.getClass().getSimpleName().equals("MailConnectException");
    }

    /** The error and its causes, outermost first. */
    private static Stream<Throwable> causes(Throwable error) {
        return Stream.iterate(error, t -> t != null, t -> t.getCause() == t ? null : t.getCause());
    }

    /** The SMTP reply code Angus Mail's SMTP exceptions carry ({@code getReturnCode}), or -1. */
    private static int smtpReplyCode(Throwable t) {
        try {
            Object code = t.getClass().getMethod("getReturnCode").invoke(t);
            return code instanceof Integer i ? i : -1;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable t = causes(error).reduce((outer, inner) -> inner).orElse(error);
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
