package com.digitalfte.draft;

import com.digitalfte.audit.JsonLines;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which new tasks this agent reaches for. It claims only while it has room (fewer than
 * {@code DRAFT_CONCURRENCY} claims waiting for their draft), so a busy agent leaves work to the
 * others; and agents that share a queue each reach first for their own share of it (a task's id,
 * hashed, modulo the drafting agents alive, names its agent), so they seldom race for the same file
 * and each drafts about as many. A task that waited {@link #GRACE} is anybody's: its agent is busy
 * or gone. The claim itself stays the compare-and-swap on the remote.
 */
public final class ClaimShare {

    /** How long a task waits for the agent whose share it is before anybody takes it. */
    static final Duration GRACE = Duration.ofSeconds(10);
    private static final Duration LOOK_AGAIN = Duration.ofSeconds(1);

    private final Vault vault;
    private final String self;
    private final Duration staleAfter;
    private final int concurrency;
    private final Clock clock;
    private List<String> drafters = List.of();
    private Instant lookedAt = Instant.EPOCH;

    public ClaimShare(Vault vault, String self, Duration staleAfter, int concurrency, Clock clock) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("DRAFT_CONCURRENCY must be at least 1");
        }
        this.vault = vault;
        this.self = self;
        this.staleAfter = staleAfter;
        this.concurrency = concurrency;
        this.clock = clock;
    }

    /** Whether to claim this file of {@code Needs_Action/} now. */
    public synchronized boolean mayClaim(String fileName, long lastModifiedMillis) {
        if (vault.count(vault.inProgress(self)) >= concurrency) {
            return false;
        }
        List<String> agents = drafters();
        if (agents.size() < 2) {
            return true;
        }
        String id = fileName.endsWith(".md") ? fileName.substring(0, fileName.length() - 3) : fileName;
        boolean mine = agents.get(Math.floorMod(id.hashCode(), agents.size())).equals(self);
        return mine || Duration.between(Instant.ofEpochMilli(lastModifiedMillis), clock.instant()).compareTo(GRACE) >= 0;
    }

    /** The drafting agents alive by their heartbeats, this one always among them, sorted by name; looked at once a second. */
    private List<String> drafters() {
        Instant now = clock.instant();
        if (Duration.between(lookedAt, now).compareTo(LOOK_AGAIN) < 0) {
            return drafters;
        }
        lookedAt = now;
        TreeSet<String> alive = new TreeSet<>(List.of(self));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(vault.heartbeats(), "*.json")) {
            for (Path f : files) {
                try {
                    Map<?, ?> hb = JsonLines.JSON.readValue(f.toFile(), Map.class);
                    Object type = hb.get("type");
                    if (("cloud".equals(type) || "all".equals(type))
                            && Duration.between(Instant.parse(String.valueOf(hb.get("last_seen"))), now).compareTo(staleAfter) <= 0) {
                        alive.add(String.valueOf(hb.get("agent")));
                    }
                } catch (IOException | RuntimeException unreadable) {
                    // a heartbeat being replaced right now: the next look reads it
                }
            }
        } catch (IOException noHeartbeatsYet) {
            // this agent alone
        }
        drafters = new ArrayList<>(alive);
        return drafters;
    }
}
