package com.digitalfte.channel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A token that cannot be refreshed (LinkedIn's self-serve apps: 60 days, no refresh token): from two
 * weeks before it expires, a problem on the Dashboard saying when and what to do.
 */
public final class TokenExpiry {

    static final Duration WARN_BEFORE = Duration.ofDays(14);

    private final String what;
    private final String setting;
    private final String expires;
    private final String renew;
    private final Clock clock;

    /** {@code expires}: the setting's value, a date (2027-01-31) or an instant (2027-01-31T09:00:00Z). */
    public TokenExpiry(String what, String setting, String expires, String renew, Clock clock) {
        this.what = what;
        this.setting = setting;
        this.expires = expires == null ? "" : expires.strip();
        this.renew = renew;
        this.clock = clock;
    }

    /** What the owner should know now, or empty while the token has more than two weeks left (or no date is set). */
    public Optional<String> problem() {
        if (expires.isEmpty()) {
            return Optional.empty();
        }
        Instant at;
        try {
            at = expires.contains("T") ? Instant.parse(expires) : LocalDate.parse(expires).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            return Optional.of(setting + " is not a date (2027-01-31) or an instant (2027-01-31T09:00:00Z)");
        }
        Duration left = Duration.between(clock.instant(), at);
        if (left.isNegative() || left.isZero()) {
            return Optional.of("the " + what + " expired on " + expires + ": " + renew);
        }
        if (left.compareTo(WARN_BEFORE) > 0) {
            return Optional.empty();
        }
        long days = left.toDays();
        return Optional.of("the " + what + " expires on " + expires + " (in " + (days == 0 ? "less than a day" : days + " day" + (days == 1 ? "" : "s"))
                + "): " + renew);
    }
}
