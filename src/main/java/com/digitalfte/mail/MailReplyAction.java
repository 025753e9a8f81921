package com.digitalfte.mail;

import com.digitalfte.execute.Action;
import com.digitalfte.execute.Execution;
import com.digitalfte.execute.Ledger;
import com.digitalfte.vault.TaskFile;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.MimeMessage;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;

/**
 * An approved {@code email_reply} sent as a threaded reply over SMTP from one mailbox, on the
 * executor contract: the message (its {@code Message-ID} fixed by the task id) is what the
 * channel's route hands to Camel's SMTP endpoint. After a crash or a broken connection the reply is
 * looked up in the Sent folder by that Message-ID before anything is sent again; where the agent
 * itself files the copies, a reply not found there may still have gone out, and the owner decides.
 */
public final class MailReplyAction implements Action {

    private final SentFolder sentFolder;
    private final String address;
    private final MailProblems problems;
    private final MailConnection smtp;

    /** {@code problems}: where a server that cannot be reached is shown; {@code smtp}: the server replies go through. */
    public MailReplyAction(SentFolder sentFolder, String address, MailProblems problems, MailConnection smtp) {
        this.sentFolder = sentFolder;
        this.address = address;
        this.problems = problems;
        this.smtp = smtp;
    }

    @Override
    public String name() {
        return "email_reply";
    }

    @Override
    public String logFile() {
        return "email_sent.jsonl";
    }

    @Override
    public Request request(TaskFile task) throws Exception {
        return new Request(ReplyMail.build(task, address), ReplyMail.body(task).getBytes(StandardCharsets.UTF_8));
    }

    /** The server took the reply: its copy in Sent (when the agent files it), and what Done/ shows. */
    @Override
    public Sent sent(Execution execution, Object response) {
        problems.working(smtp.key());
        sentFolder.file((MimeMessage) execution.payload());
        return sent(execution.task(), null);
    }

    private Sent sent(TaskFile task, String note) {
        String messageId = ReplyMail.messageIdFor(task, address);
        Map<String, String> result = new LinkedHashMap<>();
        if (note != null) {
            result.put("note", note);
        }
        result.put("sent", Instant.now().toString());
        result.put("message_id", messageId);
        result.put("to", task.get("reply_to").orElse(task.getOrEmpty("from")));
        return new Sent(messageId, result);
    }

    @Override
    public Reconciled reconcile(TaskFile task, Ledger.Entry intent) throws Exception {
        String messageId = ReplyMail.messageIdFor(task, address);
        if (sentFolder.holds(messageId)) {
            return Reconciled.done(sent(task, "found in the '" + sentFolder.name() + "' folder after a restart"));
        }
        if (sentFolder.serverFilesCopies()) {
            // the server files a copy of everything it takes: not there, not sent
            return Reconciled.callAgain();
        }
        return Reconciled.unknown("the reply " + messageId + " was being sent when it stopped, and it is not in the '" + sentFolder.name()
                + "' folder; this agent files that copy itself just after sending (MAIL_SENT_COPY=agent), so it may have gone out."
                + " Check the recipient's thread or your Sent folder; move this task back to Approved/ to send it.");
    }

    @Override
    public boolean reconciles() {
        return true;
    }

    /**
     * Certainly not sent (no connection, the login or TLS refused, sender or recipients rejected): a
     * passing cause (no connection, a 4xx reply) is tried again, a lasting one is refused in the
     * server's words; a server that could not be reached is shown as a problem until a reply goes
     * through. Otherwise the connection broke after the message went out: maybe sent.
     */
    @Override
    public Failure classify(Exception error) {
        if (!certainlyNotSent(error)) {
            return Failure.maybeDone("the connection to the mail server failed while the reply was being sent (" + rootMessage(error) + ")");
        }
        boolean unreachable = causes(error).noneMatch(SendFailedException.class::isInstance);
        if (unreachable) {
            problems.failing(smtp.key(), smtp.reason(error));
        }
        if (passing(error)) {
            return Failure.retry("the mail server did not take the reply (" + rootMessage(error) + ")");
        }
        return Failure.refused(unreachable ? smtp.reason(error) : rootMessage(error));
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
