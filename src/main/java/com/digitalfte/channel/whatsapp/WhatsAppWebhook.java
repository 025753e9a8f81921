package com.digitalfte.channel.whatsapp;

import com.digitalfte.vault.TaskIds;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logic of the route that receives Twilio's webhook ({@code receive-whatsapp}): whether Twilio
 * signed the request, its key for the idempotent consumer, and what it is. A message from
 * {@code OWNER_WHATSAPP} is the owner's (a command, perhaps); one from anyone else is a task's text
 * and only that, unless it is an {@code approve} or a {@code reject}, which is one log line and nothing else; a status callback tells whether a message we sent arrived. What
 * the request says is untrusted: only the fields named here go on, as headers of the agent's own.
 */
public final class WhatsAppWebhook {

    private static final Logger LOG = LoggerFactory.getLogger(WhatsAppWebhook.class);
    public static final String KIND = "WhatsAppKind";
    private static final int MAX_MEDIA = 10;
    private static final int SUBJECT_LENGTH = 60;

    private final TwilioSignature signature;
    private final String owner;
    private final SessionWindows windows;
    private final WhatsAppProblems problems;

    /** {@code owner}: the owner's address ({@code whatsapp:+...}). */
    public WhatsAppWebhook(TwilioSignature signature, String owner, SessionWindows windows, WhatsAppProblems problems) {
        this.signature = signature;
        this.owner = owner;
        this.windows = windows;
        this.problems = problems;
    }

    /**
     * Whether the request is to be refused: not a form, or not signed by Twilio for
     * {@code TWILIO_WEBHOOK_URL}. One log line, which repeats nothing it carried.
     */
    public boolean refused(Map<String, Object> headers, Object body) {
        Object sent = headers.get(TwilioSignature.HEADER);
        if (body instanceof Map<?, ?> form && signature.verified(sent == null ? null : sent.toString(), form(form))) {
            return false;
        }
        LOG.warn("WhatsApp webhook: a request without a valid X-Twilio-Signature for TWILIO_WEBHOOK_URL was refused (403)");
        return true;
    }

    /** MessageSid; a status callback's is its message's, so its status is part of the key. */
    public String key(Map<String, Object> form) {
        String sid = value(form, "MessageSid");
        if (sid.isEmpty()) {
            return "form-" + TaskIds.sha256(new TreeMap<>(form).toString());
        }
        String status = value(form, "MessageStatus");
        return status.isEmpty() ? sid : sid + "-" + status;
    }

    /**
     * What the request is, in the header {@link #KIND}: {@code owner} (the body: the owner's text),
     * {@code message} (the body: a stranger's text; {@code task.*} headers for the vault's task),
     * or {@code status} / {@code ignored}, done with here. Every other header is dropped.
     */
    public String inbound(Map<String, Object> headers, Map<String, Object> form) {
        headers.clear();
        String sid = value(form, "MessageSid");
        if (!value(form, "MessageStatus").isEmpty()) {
            status(sid, form);
            headers.put(KIND, "status");
            return "";
        }
        String raw = value(form, "From");
        String from = raw.startsWith("whatsapp:") ? WhatsAppAddress.parse(raw) : null;
        if (from == null || sid.isEmpty()) {
            LOG.warn("WhatsApp webhook: a message {} from '{}' is not a WhatsApp message (an SMS?) and is ignored", sid, raw);
            headers.put(KIND, "ignored");
            return "";
        }
        windows.inbound(from);
        String text = value(form, "Body");
        if (from.equals(owner)) {
            headers.put(KIND, "owner");
            return text;
        }
        // someone posing as the owner: no task, no draft, no answer (each would tell them something)
        if (OwnerCommand.parse(text).map(OwnerCommand::decides).orElse(false)) {
            LOG.warn("WhatsApp: {} sent an approval command ({}); only OWNER_WHATSAPP's are obeyed: nothing was done", from, sid);
            headers.put(KIND, "ignored");
            return "";
        }
        String name = PendingApprovals.clip(value(form, "ProfileName").replaceAll("[<>\"\\\\\\p{Cntrl}]", "").strip(), 60);
        headers.put(KIND, "message");
        headers.put("task.key", sid);
        headers.put("task.from", name.isEmpty() ? from : name + " <" + from + ">");
        headers.put("task.whatsapp_from", from);
        headers.put("task.message_sid", sid);
        String firstLine = PendingApprovals.oneLine(text.lines().findFirst().orElse(""));
        StringBuilder media = new StringBuilder();
        StringBuilder attachments = new StringBuilder();
        int count = Math.min(MAX_MEDIA, parseCount(value(form, "NumMedia")));
        for (int i = 0; i < count; i++) {
            String url = value(form, "MediaUrl" + i);
            String type = value(form, "MediaContentType" + i);
            if (url.isEmpty()) {
                continue;
            }
            media.append(media.length() == 0 ? "" : ", ").append(url).append(" (").append(type.isEmpty() ? "unknown type" : type).append(')');
            attachments.append("\n[attachment ").append(i + 1).append(": ").append(type.isEmpty() ? "unknown type" : type)
                    .append(", not downloaded: ").append(url).append(']');
        }
        if (media.length() > 0) {
            headers.put("task.media", media.toString());
            headers.put("task.media_count", Integer.toString(count));
        }
        headers.put("task.subject", PendingApprovals.clip(firstLine.isEmpty() ? (count > 0 ? "an attachment" : "a message") : firstLine, SUBJECT_LENGTH));
        return text + attachments;
    }

    /** A message we sent reached its recipient, or was refused (63016 outside the 24-hour window, and others). */
    private void status(String sid, Map<String, Object> form) {
        String status = value(form, "MessageStatus");
        String to = value(form, "To");
        switch (status) {
            case "failed", "undelivered" -> {
                String code = value(form, "ErrorCode");
                problems.refused(to, "the WhatsApp message " + sid, code.matches("[0-9]{1,9}") ? Integer.valueOf(code) : null,
                        value(form, "ErrorMessage"));
            }
            case "sent", "delivered", "read" -> problems.working(to);
            default -> {
                // queued, accepted, sending: nothing to tell yet
            }
        }
    }

    private static int parseCount(String n) {
        return n.matches("[0-9]{1,3}") ? Integer.parseInt(n) : 0;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> form(Map<?, ?> body) {
        return (Map<String, ?>) body;
    }

    private static String value(Map<String, ?> form, String name) {
        Object value = form.get(name);
        if (value instanceof List<?> values) {
            value = values.isEmpty() ? null : values.get(0);
        }
        return value == null ? "" : value.toString();
    }
}
