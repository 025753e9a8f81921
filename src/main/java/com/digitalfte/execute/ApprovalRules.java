package com.digitalfte.execute;

import com.digitalfte.vault.TaskFile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The rules an approval must pass before anything is executed: it has not expired ({@code expires:}
 * in the task), and its action type is under its hourly limit ({@code MAX_EMAILS_PER_HOUR} for
 * {@code email_reply}, {@code MAX_<TYPE>S_PER_HOUR} for the others). The limit counts what the
 * ledger holds as done in the last hour, so a restart does not start the count again.
 */
public final class ApprovalRules {

    private final Map<String, Integer> perHour;
    private final Ledger ledger;
    private final Clock clock;

    public ApprovalRules(Map<String, Integer> perHour, Ledger ledger, Clock clock) {
        this.perHour = perHour;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Why this approval may not be executed now, or null when it may. */
    public String expired(TaskFile task) {
        String expires = task.getOrEmpty("expires");
        if (expires.isBlank()) {
            return null;
        }
        try {
            Instant at = Instant.parse(expires.strip());
            return clock.instant().isAfter(at) ? "the approval came after the task expired (" + expires.strip() + ")" : null;
        } catch (DateTimeParseException e) {
            return "expires '" + expires + "' is not a time like 2026-01-25T09:00:00Z";
        }
    }

    /** True when one more action of this type fits in the last hour. */
    public boolean underLimit(String type) {
        Integer max = perHour.get(type);
        return max == null || ledger.doneSince(type, clock.instant().minus(Duration.ofHours(1))) < max;
    }

    public int limit(String type) {
        return perHour.getOrDefault(type, Integer.MAX_VALUE);
    }
}
