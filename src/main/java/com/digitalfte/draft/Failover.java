package com.digitalfte.draft;

import com.digitalfte.audit.JsonLines;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local agent drafts too while no cloud agent is alive: when every cloud heartbeat in
 * {@code Updates/agents/} is older than {@code FAILOVER_AFTER} (or there has never been one), and
 * only until a cloud heartbeat is fresh again. The drafts go through the same claim.
 */
public final class Failover {

    private static final Logger LOG = LoggerFactory.getLogger(Failover.class);

    private final Path heartbeats;
    private final Duration after;
    private final Clock clock;
    private volatile Boolean lastState;

    public Failover(Path heartbeats, Duration after, Clock clock) {
        this.heartbeats = heartbeats;
        this.after = after;
        this.clock = clock;
    }

    public boolean active() {
        boolean active = !cloudAlive();
        if (lastState == null || lastState != active) {
            if (active) {
                LOG.warn("No cloud agent has been seen for {} minute(s): this agent drafts new tasks until one is back", after.toMinutes());
            } else if (lastState != null) {
                LOG.info("A cloud agent is back: drafting is left to it again");
            }
            lastState = active;
        }
        return active;
    }

    @SuppressWarnings("unchecked")
    private boolean cloudAlive() {
        if (!Files.isDirectory(heartbeats)) {
            return false;
        }
        Instant now = clock.instant();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(heartbeats, "*.json")) {
            for (Path f : files) {
                try {
                    Map<String, Object> hb = JsonLines.JSON.readValue(f.toFile(), Map.class);
                    if ("cloud".equals(hb.get("type"))
                            && Duration.between(Instant.parse(String.valueOf(hb.get("last_seen"))), now).compareTo(after) <= 0) {
                        return true;
                    }
                } catch (IOException | RuntimeException unreadable) {
                    // a heartbeat being replaced or hand-edited: the others still count
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
