package com.digitalfte.channel.whatsapp;

import java.util.Map;

/** What the owner can do about a message Twilio or WhatsApp refused, by Twilio's error code. */
final class TwilioErrors {

    private static final Map<Integer, String> ADVICE = Map.of(
            20003, "Twilio refused the login: check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN",
            21211, "the recipient's number is not valid: check it (international form, e.g. +14155550100)",
            21610, "the recipient has opted out (they sent STOP): they must send START before they can be written to",
            21656, "the template's ContentVariables were refused: check that TWILIO_NOTIFY_TEMPLATE_SID's placeholders are {{1}} and {{2}}",
            63007, "Twilio has no WhatsApp sender for TWILIO_WHATSAPP_FROM: check the number (the sandbox's is +14155238886)",
            63015, "the recipient has not joined the Twilio sandbox: they send 'join <your sandbox word>' to the sandbox number",
            63016, "outside WhatsApp's 24-hour window free-form messages are refused: for notifications set TWILIO_NOTIFY_TEMPLATE_SID to an"
                    + " approved template (docs/WHATSAPP_SETUP.md), or write to the assistant's number once to open the window again",
            63018, "too many messages for this sender at once: they go again later");

    private TwilioErrors() {
    }

    /** {@code Twilio error 63016 (<Twilio's words>): <what to do>}. */
    static String describe(Integer code, String said) {
        StringBuilder text = new StringBuilder("Twilio error ").append(code == null ? "?" : code);
        if (said != null && !said.isBlank()) {
            text.append(" (").append(said.replaceAll("\\s+", " ").strip()).append(')');
        }
        String advice = code == null ? null : ADVICE.get(code);
        return text.append(": ").append(advice != null ? advice
                : "see https://www.twilio.com/docs/api/errors/" + (code == null ? "" : code)).toString();
    }
}
