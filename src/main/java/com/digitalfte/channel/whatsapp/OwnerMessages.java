package com.digitalfte.channel.whatsapp;

import com.twilio.exception.TwilioException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answers to the owner's commands. The owner just wrote, so the 24-hour window is open and free
 * text goes; an answer that does not is one log line (the command itself was carried out).
 */
public final class OwnerMessages {

    private static final Logger LOG = LoggerFactory.getLogger(OwnerMessages.class);

    private final TwilioMessages messages;
    private final String owner;

    public OwnerMessages(TwilioMessages messages, String owner) {
        this.messages = messages;
        this.owner = owner;
    }

    public void send(String text) {
        try {
            messages.text(owner, PendingApprovals.clip(text, TwilioMessages.MAX_BODY));
        } catch (TwilioException e) {
            LOG.warn("WhatsApp: the answer to the owner's command did not go out: {}", e.getMessage());
        }
    }
}
