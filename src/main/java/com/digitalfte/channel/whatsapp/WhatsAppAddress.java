package com.digitalfte.channel.whatsapp;

import java.util.regex.Pattern;

/**
 * A WhatsApp address as Twilio writes it, {@code whatsapp:+14155550100}: what the signed {@code From}
 * of a webhook holds, and what a message is sent to. A setting may leave out the prefix or space the
 * digits; a number that is not E.164 is refused, never guessed at.
 */
public final class WhatsAppAddress {

    private static final String PREFIX = "whatsapp:";
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    private WhatsAppAddress() {
    }

    /** {@code setting}: its name, for the error. */
    public static String of(String raw, String setting) {
        String number = raw == null ? "" : raw.strip().replaceAll("[\\s()-]", "");
        if (number.startsWith(PREFIX)) {
            number = number.substring(PREFIX.length());
        }
        if (!E164.matcher(number).matches()) {
            throw new IllegalArgumentException(setting + " must be a phone number in international form, e.g. +14155550100, not '" + raw + "'");
        }
        return PREFIX + number;
    }

    /** The address, or null when this is not one (what a webhook or a task may hold). */
    public static String parse(String raw) {
        try {
            return of(raw, "address");
        } catch (IllegalArgumentException notAnAddress) {
            return null;
        }
    }
}
