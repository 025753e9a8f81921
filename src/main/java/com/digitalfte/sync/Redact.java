package com.digitalfte.sync;

/** Keeps credentials that a remote URL may carry out of log lines and error messages. */
public final class Redact {

    private Redact() {
    }

    public static String urls(String text) {
        return text == null ? null : text.replaceAll("(?i)([a-z][a-z0-9+.-]*://)[^/@\\s]+@", "$1***@");
    }
}
