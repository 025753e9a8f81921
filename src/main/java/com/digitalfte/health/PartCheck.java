package com.digitalfte.health;

import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * One part of the agent as a Camel health check, named by what it is ({@code mail-in},
 * {@code git-remote}, {@code disk}); the judgement is the part's own status class. A part that is
 * down makes the agent not ready, never not alive: restarting it would not bring a mail server back.
 */
final class PartCheck extends AbstractHealthCheck {

    private final Supplier<Health> status;

    PartCheck(String group, String id, Supplier<Health> status) {
        super(group, id);
        this.status = status;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Health health;
        try {
            health = status.get();
        } catch (RuntimeException e) {
            builder.down().message("cannot tell: " + e.getMessage()).error(e);
            return;
        }
        builder.message(health.message()).details(health.details());
        if (health.up()) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
