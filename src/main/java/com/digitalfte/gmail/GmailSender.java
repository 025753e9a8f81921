package com.digitalfte.gmail;

import com.digitalfte.execute.Executions;
import com.digitalfte.execute.Ledger;
import com.digitalfte.mail.ReplyMail;
import com.digitalfte.vault.OutcomeUnknownException;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskFormatException;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.services.gmail.Gmail;
import com.google.api.services.gmail.model.Draft;
import com.google.api.services.gmail.model.ListMessagesResponse;
import com.google.api.services.gmail.model.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends an approved {@code email_reply} through Gmail, exactly once: a draft in the original thread
 * ({@code threadId}, {@code In-Reply-To}, {@code References}, {@code Re:}) whose id goes into the
 * ledger, then {@code drafts.send}. A sent draft no longer exists, so after a crash the second
 * {@code drafts.send} fails instead of sending twice; the Sent folder, searched by the reply's fixed
 * Message-ID, then says whether it went out.
 */
public final class GmailSender {

    public static final String ACTION = "gmail_reply";
    private static final Logger LOG = LoggerFactory.getLogger(GmailSender.class);
    private static final String ME = "me";
    private static final int ATTEMPTS = 3;

    private final Gmail gmail;
    private final Executions executions;
    private final String fromAddress;

    public GmailSender(Gmail gmail, Executions executions, String fromAddress) {
        this.gmail = gmail;
        this.executions = executions;
        this.fromAddress = fromAddress;
    }

    public void send(String claimedPath) throws IOException, TaskFormatException, MessagingException, OutcomeUnknownException {
        TaskFile task = executions.load(claimedPath);
        Ledger ledger = executions.ledger();
        String messageId = ReplyMail.messageIdFor(task, fromAddress);
        if (ledger.isDone(task.id())) {
            complete(claimedPath, ledger.find(task.id()).map(Ledger.Entry::providerId).orElse(""), messageId, "sent before a restart");
            return;
        }
        String draftId = ledger.find(task.id()).map(Ledger.Entry::providerId).orElse(null);
        if (draftId == null) {
            MimeMessage reply = ReplyMail.build(task, fromAddress);
            ledger.intent(task.id(), ACTION);
            Message message = new Message().setRaw(raw(reply));
            String thread = task.getOrEmpty("thread_id");
            if (!thread.isBlank()) {
                message.setThreadId(thread);
            }
            Draft draft = retrying("drafts.create", () -> gmail.users().drafts().create(ME, new Draft().setMessage(message)).execute());
            draftId = draft.getId();
            ledger.intent(task.id(), ACTION, draftId);
        }
        String finalDraftId = draftId;
        Message sent;
        try {
            sent = retrying("drafts.send", () -> gmail.users().drafts().send(ME, new Draft().setId(finalDraftId)).execute());
        } catch (GoogleJsonResponseException e) {
            if (e.getStatusCode() != 404) {
                throw e;
            }
            // the draft is gone: sent before a crash, or deleted by the owner. The Sent folder knows which.
            ListMessagesResponse found = gmail.users().messages().list(ME).setQ("in:sent rfc822msgid:" + messageId).execute();
            if (found.getMessages() == null || found.getMessages().isEmpty()) {
                throw new OutcomeUnknownException("Gmail draft " + finalDraftId + " no longer exists and no sent message with Message-ID "
                        + messageId + " was found; check the Sent folder, then move this task back to Approved/ to send it again");
            }
            LOG.info("Task {}: its Gmail draft was already sent before a restart; not sending it again", task.id());
            complete(claimedPath, found.getMessages().get(0).getId(), messageId, "sent before a restart");
            return;
        }
        complete(claimedPath, sent.getId(), messageId, null);
    }

    private void complete(String claimedPath, String gmailId, String messageId, String note)
            throws IOException, TaskFormatException {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("gmail_id", gmailId);
        if (note != null) {
            extra.put("note", note);
        }
        executions.completeReply(claimedPath, ACTION, messageId, gmailId, extra);
    }

    private static String raw(MimeMessage message) throws IOException, MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }

    interface Call<T> {
        T run() throws IOException;
    }

    /** Retries only what cannot repeat the send: 429 and 5xx, where Gmail did not act or the draft guards a repeat. */
    private static <T> T retrying(String what, Call<T> call) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (GoogleJsonResponseException e) {
                boolean transientError = e.getStatusCode() == 429 || e.getStatusCode() >= 500;
                if (!transientError || attempt >= ATTEMPTS) {
                    throw e;
                }
                LOG.warn("Gmail {} answered {}; trying again ({}/{})", what, e.getStatusCode(), attempt, ATTEMPTS);
                try {
                    Thread.sleep(500L << attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
