package com.digitalfte.draft;

import com.digitalfte.vault.TaskFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries the model a few times with growing pauses; when it still fails (an error, a timeout) the task
 * is drafted by the template drafter and marked so, instead of being lost or stuck.
 */
public final class FallbackDrafter implements Drafter {

    private static final Logger LOG = LoggerFactory.getLogger(FallbackDrafter.class);

    private final Drafter primary;
    private final Drafter fallback;
    private final int attempts;
    private final long firstPauseMillis;
    private final ThreadLocal<String> lastName = new ThreadLocal<>();

    public FallbackDrafter(Drafter primary, Drafter fallback, int attempts, long firstPauseMillis) {
        this.primary = primary;
        this.fallback = fallback;
        this.attempts = Math.max(1, attempts);
        this.firstPauseMillis = firstPauseMillis;
    }

    /** The drafter that wrote the last draft on this thread, for the task's {@code drafted_by}. */
    @Override
    public String name() {
        String n = lastName.get();
        return n == null ? primary.name() : n;
    }

    @Override
    public String draft(TaskFile task, Handbook handbook) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                String text = primary.draft(task, handbook);
                lastName.set(primary.name());
                return text;
            } catch (RuntimeException e) {
                last = e;
                LOG.warn("Drafting {} with {} failed (attempt {}/{}): {}", task.id(), primary.name(), attempt, attempts, reason(e));
                if (attempt < attempts) {
                    pause(firstPauseMillis << (attempt - 1));
                }
            }
        }
        LOG.warn("Task {} is drafted by the template drafter instead, after {} failed attempts with {}", task.id(), attempts, primary.name());
        lastName.set(fallback.name() + " (fallback: " + primary.name() + " failed: " + reason(last) + ")");
        return fallback.draft(task, handbook);
    }

    private static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        m = m.replaceAll("\\s+", " ");
        return m.length() > 160 ? m.substring(0, 160) + "..." : m;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
