package com.digitalfte.health;

import com.digitalfte.secrets.Masking;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * What each channel's provider said at its last call, by channel name ({@code mail-in},
 * {@code gmail-out}): accepted, refused (the credentials or the account: the owner must act) or
 * unreachable (it may pass), when it last succeeded, and whether a call is under way. The polling
 * consumers ({@link ChannelPollStrategy}), the reply sink's route, the Gmail inbox and every action
 * on the executor contract ({@link ReportedAction}) report here; the health checks read it.
 */
public final class ChannelHealth {

    public enum Outcome { ACCEPTED, REFUSED, UNREACHABLE }

    /** The last call's outcome, its reason (masked, never a secret), and when. */
    public record State(Outcome last, String reason, Instant lastCall, Instant lastSuccess, Instant callStarted) {
    }

    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final Clock clock;

    public ChannelHealth(Clock clock) {
        this.clock = clock;
    }

    /** A call to the provider begins. */
    public void calling(String channel) {
        Instant now = clock.instant();
        states.compute(channel, (k, s) -> s == null ? new State(null, null, null, null, now)
                : new State(s.last(), s.reason(), s.lastCall(), s.lastSuccess(), now));
    }

    public void succeeded(String channel) {
        Instant now = clock.instant();
        states.put(channel, new State(Outcome.ACCEPTED, null, now, now, null));
    }

    /**
     * The call failed: refused when the provider turned the credentials or the account down; a mail
     * server that refused this one message's recipients answered, so the channel works; else unreachable.
     */
    public void failed(String channel, Throwable error) {
        if (isRefusal(error)) {
            record(channel, Outcome.REFUSED, describe(error));
        } else if (causes(error).anyMatch(t -> t.getClass().getSimpleName().equals("SendFailedException"))) {
            succeeded(channel);
        } else {
            record(channel, Outcome.UNREACHABLE, describe(error));
        }
    }

    public void refused(String channel, String reason) {
        record(channel, Outcome.REFUSED, reason);
    }

    public void unreachable(String channel, String reason) {
        record(channel, Outcome.UNREACHABLE, reason);
    }

    private void record(String channel, Outcome outcome, String reason) {
        Instant now = clock.instant();
        String masked = Masking.mask(reason == null ? "" : reason.replaceAll("\\s+", " ").strip());
        states.compute(channel, (k, s) -> new State(outcome, masked, now, s == null ? null : s.lastSuccess(), null));
    }

    /** Every channel that has reported, built-in or the owner's. */
    public java.util.Set<String> channels() {
        return new java.util.TreeSet<>(states.keySet());
    }

    public Optional<State> state(String channel) {
        return Optional.ofNullable(states.get(channel));
    }

    /**
     * A refusal, as mail servers, Google and HTTP APIs say it: a failed login, an expired or revoked
     * token, 401 or 403. Anything else (no route, a timeout, a 5xx) may pass by itself.
     */
    public static boolean isRefusal(Throwable error) {
        return causes(error).anyMatch(t -> {
            String name = t.getClass().getSimpleName();
            String text = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            return name.equals("AuthenticationFailedException") || name.equals("TokenResponseException")
                    || text.contains("invalid_grant") || text.contains("unauthorized") || text.contains("authentication failed")
                    || text.startsWith("401") || text.startsWith("403") || text.contains(" 401 ") || text.contains(" 403 ");
        });
    }

    /** The innermost message that says something, with the outer exception's name when the inner one is bare. */
    static String describe(Throwable error) {
        Throwable inner = causes(error).filter(t -> t.getMessage() != null && !t.getMessage().isBlank())
                .reduce((outer, in) -> in).orElse(error);
        return inner.getMessage() == null ? inner.getClass().getSimpleName() : inner.getMessage();
    }

    private static Stream<Throwable> causes(Throwable error) {
        return Stream.iterate(error, t -> t != null, t -> t.getCause() == t ? null : t.getCause());
    }
}
