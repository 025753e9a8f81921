package com.digitalfte.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** A clock that stands still until the test moves it. */
public final class MovableClock extends Clock {

    private volatile Instant now;
    private final ZoneId zone;

    public MovableClock(String at, ZoneId zone) {
        this.now = Instant.parse(at);
        this.zone = zone;
    }

    public void set(Instant at) {
        now = at;
    }

    public void advance(Duration by) {
        now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
        return new MovableClock(now.toString(), other);
    }

    @Override
    public Instant instant() {
        return now;
    }
}
