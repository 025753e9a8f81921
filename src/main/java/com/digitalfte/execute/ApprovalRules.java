package com.digitalfte.execute;

import com.digitalfte.channel.PostLengths;
import com.digitalfte.channel.meta.InstagramPosts;
import com.digitalfte.vault.TaskFile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules an approval must pass before anything is executed: it has not expired ({@code expires:}
 * in the task), its draft fits its channel ({@link PostLengths}), and it is under its hourly limits:
 * one for a type ({@code MAX_EMAILS_PER_HOUR} for {@code email_reply}) or one for a channel's types
 * together ({@code MAX_POSTS_PER_HOUR} for X's replies and posts). A limit counts what the ledger
 * holds as done in the last hour, so a restart does not start the count again.
 */
public final class ApprovalRules {

    /** At most {@code max} actions of these types together in an hour; {@code name} says what in the log. */
    public record Limit(String name, Set<String> types, int max) {
    }

    private final List<Limit> limits;
    private final Ledger ledger;
    private final Clock clock;

    /** A limit for each type on its own. */
    public ApprovalRules(Map<String, Integer> perHour, Ledger ledger, Clock clock) {
        this(perHour.entrySet().stream().map(e -> new Limit(e.getKey(), Set.of(e.getKey()), e.getValue())).toList(), ledger, clock);
    }

    public ApprovalRules(List<Limit> limits, Ledger ledger, Clock clock) {
        this.limits = List.copyOf(limits);
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Why this approval may not be executed (it expired, its draft does not fit the channel, its image is no public address), or null when it may. */
    public String refusal(TaskFile task) {
        String expired = expired(task);
        if (expired != null) {
            return expired;
        }
        if (task.type().equals("instagram_post")) {
            String image = InstagramPosts.imageProblem(task).orElse(null);
            if (image != null) {
                return image;
            }
        }
        return task.section(TaskFile.DRAFT).flatMap(draft -> PostLengths.tooLong(task.type(), draft)).orElse(null);
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

    /** True when one more action of this type fits in the last hour, under every limit it counts in. */
    public boolean underLimit(String type) {
        Instant hourAgo = clock.instant().minus(Duration.ofHours(1));
        return limits.stream().filter(l -> l.types().contains(type))
                .allMatch(l -> l.types().stream().mapToInt(t -> ledger.doneSince(t, hourAgo)).sum() < l.max());
    }

    /** The strictest limit this type counts in, as the log says it: "5 x actions (x_post, x_reply)". */
    public String limitOf(String type) {
        return limits.stream().filter(l -> l.types().contains(type)).min(Comparator.comparingInt(Limit::max))
                .map(l -> l.max() + " " + l.name() + " action(s)" + (l.types().size() > 1 ? " (" + String.join(", ", new TreeSet<>(l.types())) + ")" : ""))
                .orElse("no limit");
    }
}
