package com.digitalfte.channel.whatsapp;

import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WhatsApp messages that were refused, by recipient, for the Dashboard's Problems (through the
 * heartbeat) and the log: Twilio's error code and what to do. A refusal is logged when it is new;
 * the next message that reaches the same recipient clears it.
 */
public final class WhatsAppProblems {

    private static final Logger LOG = LoggerFactory.getLogger(WhatsAppProblems.class);

    private final Map<String, String> current = new TreeMap<>();

    /** {@code what}: which message, in the owner's words (notifications to you, the reply to WHATSAPP_...). */
    public void refused(String to, String what, Integer code, String said) {
        String reason = what + " to " + to + " refused: " + TwilioErrors.describe(code, said);
        String before;
        synchronized (current) {
            before = current.put(key(to), reason);
        }
        if (!reason.equals(before)) {
            LOG.error("WhatsApp: {}", reason);
        }
    }

    /** A message reached the recipient (or Twilio took one for it): what was wrong is no longer. */
    public void working(String to) {
        String before;
        synchronized (current) {
            before = current.remove(key(to));
        }
        if (before != null) {
            LOG.info("WhatsApp messages to {} go through again", to);
        }
    }

    public Map<String, String> current() {
        synchronized (current) {
            return new TreeMap<>(current);
        }
    }

    private static String key(String to) {
        return "whatsapp " + to;
    }
}
