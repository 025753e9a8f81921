package com.digitalfte.channel.whatsapp;

import com.digitalfte.execute.Action;
import com.digitalfte.execute.Execution;
import com.digitalfte.execute.Ledger;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskFormatException;
import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.rest.api.v2010.account.Message;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An approved {@code whatsapp_reply} sent to the number that wrote, on the executor contract. Twilio's
 * Messages API takes no idempotency key and a lookup by body and time is no proof, so a send whose
 * answer was lost (a timeout, a 5xx, a kill before done) is uncertain: the owner checks, never a
 * second send on its own. A reply outside WhatsApp's 24-hour window is not tried (Twilio would
 * refuse it with 63016); it goes to Failed/ saying so.
 */
public final class WhatsAppReplyAction implements Action {

    private final TwilioMessages messages;
    private final SessionWindows windows;

    public WhatsAppReplyAction(TwilioMessages messages, SessionWindows windows) {
        this.messages = messages;
        this.windows = windows;
    }

    @Override
    public String name() {
        return "whatsapp_reply";
    }

    @Override
    public String logFile() {
        return "whatsapp_sent.jsonl";
    }

    /** What is sent: the draft, to the address Twilio signed as the sender's ({@code whatsapp_from}), never to one a text names. */
    @Override
    public Request request(TaskFile task) throws TaskFormatException {
        String to = WhatsAppAddress.parse(task.getOrEmpty("whatsapp_from"));
        if (to == null) {
            throw new TaskFormatException("whatsapp_from '" + task.getOrEmpty("whatsapp_from") + "' is not a WhatsApp address like"
                    + " whatsapp:+14155550100: there is nobody to send the reply to");
        }
        String body = task.section(TaskFile.DRAFT).map(String::strip).orElse("");
        if (body.isEmpty()) {
            throw new TaskFormatException("the task has no ## Draft to send");
        }
        if (body.length() > TwilioMessages.MAX_BODY) {
            throw new TaskFormatException("the draft is " + body.length() + " characters; one WhatsApp message through Twilio holds at most "
                    + TwilioMessages.MAX_BODY + ": shorten it, then move it back to Approved/");
        }
        if (!windows.open(to, created(task))) {
            throw new TaskFormatException("more than 24 hours have passed since " + to + " last wrote: WhatsApp refuses a free-form reply"
                    + " then (Twilio error 63016). Nothing was sent; answer another way, or move this task back to Approved/ once they write again");
        }
        return new Request(new Reply(to, body), body.getBytes(StandardCharsets.UTF_8));
    }

    /** The reply and its recipient. */
    private record Reply(String to, String body) {
    }

    private static Instant created(TaskFile task) {
        try {
            return Instant.parse(task.getOrEmpty("created").strip());
        } catch (DateTimeParseException unknown) {
            return null;
        }
    }

    /** A reply begun before a crash: Twilio cannot be asked whether it went, so the owner looks, in Twilio's own logs. */
    @Override
    public Reconciled reconcile(TaskFile task, Ledger.Entry intent) {
        return Reconciled.unknown("Twilio may have sent this reply to " + task.getOrEmpty("whatsapp_from") + " before the agent stopped, and"
                + " Twilio's API cannot be asked: look for it in Twilio's Messaging logs (console.twilio.com, Monitor > Logs > Messaging);"
                + " if it went, move this task to Done/, if not, back to Approved/ to send it");
    }

    @Override
    public Object call(Execution execution) {
        Reply reply = (Reply) execution.payload();
        return messages.text(reply.to(), reply.body());
    }

    @Override
    public Sent sent(Execution execution, Object response) {
        Message message = (Message) response;
        Reply reply = (Reply) execution.payload();
        Map<String, String> result = new LinkedHashMap<>();
        result.put("sent", Instant.now().toString());
        result.put("twilio_sid", message.getSid());
        result.put("to", reply.to());
        if (message.getStatus() != null) {
            result.put("status", message.getStatus().toString());
        }
        return new Sent(message.getSid(), result);
    }

    /**
     * Twilio's 4xx is a refusal in its words (429: too many, tried again); a 5xx or an answer that
     * never came may have been sent; no connection at all was certainly not.
     */
    @Override
    public Failure classify(Exception error) {
        if (error instanceof ApiException e && e.getStatusCode() != null) {
            int status = e.getStatusCode();
            if (status == 429) {
                return Failure.retry("Twilio asks to slow down (429, error " + e.getCode() + ")");
            }
            if (status >= 400 && status < 500) {
                return Failure.refused("Twilio refused the reply: " + TwilioErrors.describe(e.getCode(), e.getMessage()));
            }
            return Failure.maybeDone("Twilio answered " + status + " (" + e.getMessage() + ")");
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return Failure.retry("Twilio cannot be reached (" + t.getMessage() + ")");
            }
            if (t instanceof InterruptedIOException) {
                return Failure.maybeDone("Twilio did not answer in time (" + t.getMessage() + ")");
            }
        }
        String said = error instanceof ApiConnectionException ? error.getMessage() : error.toString();
        return Failure.maybeDone("the call to Twilio failed (" + said + ")");
    }
}
