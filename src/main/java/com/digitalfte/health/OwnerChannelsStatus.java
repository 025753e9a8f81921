package com.digitalfte.health;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The owner's own channels (files in {@code CHANNELS_DIR}, loaded after start-up): each one that
 * reports under a name of its own (the kamelets' {@code channel} property) is judged as a built-in
 * channel is, and this one check is down while any of them is.
 */
public final class OwnerChannelsStatus {

    private final ChannelHealth health;
    private final Set<String> builtIn;
    private final Clock clock;

    public OwnerChannelsStatus(ChannelHealth health, Set<String> builtIn, Clock clock) {
        this.health = health;
        this.builtIn = builtIn;
        this.clock = clock;
    }

    public Health now() {
        Map<String, Object> details = new LinkedHashMap<>();
        List<String> down = new ArrayList<>();
        for (String channel : health.channels()) {
            if (builtIn.contains(channel)) {
                continue;
            }
            Health h = new ChannelStatus(health, channel, channel, null, clock).now();
            details.put(channel, h.up() ? "UP" : "DOWN");
            if (!h.up()) {
                down.add(h.message());
            }
        }
        if (details.isEmpty()) {
            return Health.up("no channel of CHANNELS_DIR has reported yet", details);
        }
        if (!down.isEmpty()) {
            return Health.down(String.join("; ", down), details);
        }
        return Health.up(details.size() + " channel(s) of CHANNELS_DIR: " + String.join(", ", details.keySet()) + ", all up", details);
    }
}
