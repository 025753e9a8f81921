package com.digitalfte.channel.whatsapp;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * WhatsApp's 24-hour rule: a free-form message may be sent to a number only within 24 hours of that
 * number's last message to us; outside it only an approved template goes (Twilio error 63016
 * otherwise). The time each number last wrote, kept across restarts.
 */
public final class SessionWindows {

    static final Duration WINDOW = Duration.ofHours(24);
    /** Sent this close to the end, a message could arrive after it: taken as closed. */
    private static final Duration MARGIN = Duration.ofMinutes(5);

    private final LatestValues lastInbound;
    private final Clock clock;

    public SessionWindows(Path file, Clock clock) {
        this.lastInbound = new LatestValues(file);
        this.clock = clock;
    }

    /** The number wrote to us now. */
    public void inbound(String address) {
        lastInbound.put(address, clock.instant().toString());
    }

    public Optional<Instant> lastInbound(String address) {
        return lastInbound.get(address).map(Instant::parse);
    }

    /** Whether a free-form message to the number goes now, given it wrote at {@code known} too (a task's arrival), if not null. */
    public boolean open(String address, Instant known) {
        Instant last = lastInbound(address).orElse(known);
        if (known != null && known.isAfter(last)) {
            last = known;
        }
        return last != null && clock.instant().isBefore(last.plus(WINDOW).minus(MARGIN));
    }
}
