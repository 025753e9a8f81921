package com.digitalfte.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A channel's health: down while its provider refuses the credentials, cannot be reached, or a call
 * has hung; up otherwise, with the age of its last successful call. A channel that has not called
 * yet (a standby agent's watcher, a sender before the first approval) is judged by whether its
 * server answers.
 */
public final class ChannelStatus {

    /** A call still under way after this long has hung (mail clients wait forever by default). */
    static final Duration HUNG_AFTER = Duration.ofSeconds(50);

    private final ChannelHealth health;
    private final String channel;
    private final String what;
    private final Reachability server;
    private final Clock clock;

    /** {@code what}: the channel in the owner's words ("IMAP 127.0.0.1:993 as me@example.com"). */
    public ChannelStatus(ChannelHealth health, String channel, String what, Reachability server, Clock clock) {
        this.health = health;
        this.channel = channel;
        this.what = what;
        this.server = server;
        this.clock = clock;
    }

    public String channel() {
        return channel;
    }

    public Health now() {
        Instant now = clock.instant();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("channel", channel);
        details.put("provider", what);
        ChannelHealth.State state = health.state(channel).orElse(null);
        if (state != null && state.lastSuccess() != null) {
            details.put("last.success", state.lastSuccess().toString());
            details.put("last.success.age.seconds", Duration.between(state.lastSuccess(), now).toSeconds());
        }
        ChannelHealth.Outcome last = state == null ? null : state.last();
        details.put("credentials", last == ChannelHealth.Outcome.REFUSED ? "refused" : last == ChannelHealth.Outcome.ACCEPTED ? "accepted" : "not used yet");
        String unreachable = server == null ? null : server.check().orElse(null);
        details.put("reachable", unreachable == null);
        if (last == ChannelHealth.Outcome.REFUSED) {
            return Health.down(what + ": the provider refused the credentials at " + state.lastCall() + " (" + state.reason() + ")", details);
        }
        if (unreachable != null) {
            return Health.down(what + ": " + unreachable, details);
        }
        if (last == ChannelHealth.Outcome.UNREACHABLE) {
            return Health.down(what + ": the last call failed at " + state.lastCall() + " (" + state.reason() + ")", details);
        }
        if (state != null && state.callStarted() != null && Duration.between(state.callStarted(), now).compareTo(HUNG_AFTER) > 0) {
            return Health.down(what + ": a call begun at " + state.callStarted() + " has not finished", details);
        }
        if (state == null || state.lastSuccess() == null) {
            return Health.up(what + ": no call yet" + (server == null ? "" : "; the server answers"), details);
        }
        return Health.up(what + ": the last call succeeded " + Duration.between(state.lastSuccess(), now).toSeconds() + " s ago", details);
    }
}
