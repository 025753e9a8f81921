package com.digitalfte.draft;

/**
 * The model failed or did not answer in time. The route tries the draft again with growing pauses
 * ({@code OPENAI_MAX_ATTEMPTS}, {@code OPENAI_RETRY_PAUSE_MS}); after the last try the template
 * drafter writes it.
 */
public class ModelFailedException extends Exception {

    public ModelFailedException(String drafter, Throwable cause) {
        super(drafter + " failed: " + reason(cause), cause);
    }

    /** The innermost message, on one line and short: what the owner reads in {@code drafted_by}. */
    static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        m = m.replaceAll("\\s+", " ");
        return m.length() > 160 ? m.substring(0, 160) + "..." : m;
    }
}
