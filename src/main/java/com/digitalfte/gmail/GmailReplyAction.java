package com.digitalfte.gmail;

import com.digitalfte.execute.Action;
import com.digitalfte.execute.Execution;
import com.digitalfte.execute.Ledger;
import com.digitalfte.mail.ReplyMail;
import com.digitalfte.vault.OutcomeUnknownException;
import com.digitalfte.vault.TaskFile;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.services.gmail.Gmail;
import com.google.api.services.gmail.model.Draft;
import com.google.api.services.gmail.model.ListMessagesResponse;
import com.google.api.services.gmail.model.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An approved {@code email_reply} sent through Gmail, on the executor contract: a draft in the
 * original thread ({@code threadId}, {@code In-Reply-To}, {@code References}, {@code Re:}) whose id
 * is recorded before {@code drafts.send}. A sent draft no longer exists, so calling again after a
 * crash or a failed answer cannot send twice: a second {@code drafts.send} gets a 404, and the Sent
 * folder, searched by the reply's fixed Message-ID, says whether it went out.
 */
public final class GmailReplyAction implements Action {

    private static final Logger LOG = LoggerFactory.getLogger(GmailReplyAction.class);
    private static final String ME = "me";

    private final Gmail gmail;
    private final String fromAddress;

    public GmailReplyAction(Gmail gmail, String fromAddress) {
        this.gmail = gmail;
        this.fromAddress = fromAddress;
    }

    @Override
    public String name() {
        return "gmail_reply";
    }

    @Override
    public String logFile() {
        return "email_sent.jsonl";
    }

    @Override
    public Request request(TaskFile task) throws Exception {
        MimeMessage reply = ReplyMail.build(task, fromAddress);
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        reply.writeTo(raw);
        Message message = new Message().setRaw(Base64.getUrlEncoder().withoutPadding().encodeToString(raw.toByteArray()));
        String thread = task.getOrEmpty("thread_id");
        if (!thread.isBlank()) {
            message.setThreadId(thread);
        }
        return new Request(message, ReplyMail.body(task).getBytes(StandardCharsets.UTF_8));
    }

    /** A draft made by an earlier try is sent as it is; otherwise one is made and its id recorded first. */
    @Override
    public Object call(Execution execution) throws Exception {
        String draftId = execution.checkpoint().orElse(null);
        if (draftId == null) {
            draftId = gmail.users().drafts().create(ME, new Draft().setMessage((Message) execution.payload())).execute().getId();
            execution.checkpoint(draftId);
        }
        try {
            return gmail.users().drafts().send(ME, new Draft().setId(draftId)).execute();
        } catch (GoogleJsonResponseException e) {
            if (e.getStatusCode() != 404) {
                throw e;
            }
            // the draft is gone: sent before, or deleted by the owner. The Sent folder knows which.
            String messageId = ReplyMail.messageIdFor(execution.task(), fromAddress);
            Message sent = inSent(messageId);
            if (sent == null) {
                throw new OutcomeUnknownException("Gmail draft " + draftId + " no longer exists and no sent message with Message-ID "
                        + messageId + " was found; check the Sent folder, then move this task back to Approved/ to send it again");
            }
            LOG.info("Task {}: its Gmail draft was sent before; not sending it again", execution.task().id());
            return new SentBefore(sent);
        }
    }

    /** What an earlier try had sent already, found in the Sent folder. */
    private record SentBefore(Message message) {
    }

    @Override
    public Sent sent(Execution execution, Object response) {
        Message message = response instanceof SentBefore before ? before.message() : (Message) response;
        TaskFile task = execution.task();
        Map<String, String> result = new LinkedHashMap<>();
        if (response instanceof SentBefore) {
            result.put("note", "sent before a restart");
        }
        result.put("sent", Instant.now().toString());
        result.put("gmail_id", message.getId());
        result.put("message_id", ReplyMail.messageIdFor(task, fromAddress));
        result.put("to", task.get("reply_to").orElse(task.getOrEmpty("from")));
        return new Sent(message.getId(), result);
    }

    /** A draft's id in the intent makes another call safe: it is the draft that is sent, once. */
    @Override
    public Reconciled reconcile(TaskFile task, Ledger.Entry intent) {
        return Reconciled.callAgain();
    }

    @Override
    public boolean reconciles() {
        return true;
    }

    /**
     * 429 and 5xx: Gmail did not act, or the draft guards a repeat; tried again. Another 4xx is
     * Gmail's refusal, in its words. No connection at all: tried again.
     */
    @Override
    public Failure classify(Exception error) {
        if (error instanceof GoogleJsonResponseException e) {
            String said = e.getDetails() != null && e.getDetails().getMessage() != null ? e.getDetails().getMessage() : e.getStatusMessage();
            if (e.getStatusCode() == 429 || e.getStatusCode() >= 500) {
                return Failure.maybeDone("Gmail answered " + e.getStatusCode() + " (" + said + ")");
            }
            return Failure.refused("Gmail refused the reply: " + e.getStatusCode() + " " + said);
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return Failure.retry("Gmail cannot be reached (" + t.getMessage() + ")");
            }
            if (t instanceof InterruptedIOException) {
                return Failure.maybeDone("Gmail did not answer in time (" + t.getMessage() + ")");
            }
        }
        return Failure.maybeDone("the call to Gmail failed (" + error.getMessage() + ")");
    }

    private Message inSent(String messageId) throws IOException {
        ListMessagesResponse found = gmail.users().messages().list(ME).setQ("in:sent rfc822msgid:" + messageId).execute();
        return found.getMessages() == null || found.getMessages().isEmpty() ? null : found.getMessages().get(0);
    }
}
