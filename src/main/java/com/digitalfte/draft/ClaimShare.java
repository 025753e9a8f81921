package com.digitalfte.draft;

import com.digitalfte.audit.JsonLines;
import com.digitalfte.vault.Folder;
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
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which new tasks this agent reaches for. It claims only while it has room: the tasks it drafts
 * now ({@code DRAFT_CONCURRENCY}) and as many again queued behind them, so a drafting thread that
 * finishes starts the next task at once instead of waiting for a poll and a claim push, and a busy
 * agent still leaves the rest to the others. Agents that share a queue each reach first for their
 * own share of it (a task's id, hashed, modulo the drafting agents alive, names its agent), from the
 * front, so they seldom race for the same file. An agent with room to spare and nothing of its own
 * left helps out: from the back of another agent's share, it takes what that agent has no room for
 * now (its share left over, less its free room as its {@code In_Progress/} folder shows), so an
 * uneven share does not leave agents idle while one works through a backlog. A task that waited
 * {@link #GRACE} is anybody's: its agent is busy or gone. The claim itself stays the
 * compare-and-swap on the remote.
 */
public final class ClaimShare {

    /** How long a task waits for the agent whose share it is before anybody takes it. */
    static final Duration GRACE = Duration.ofSeconds(10);
    private static final Duration LOOK_AGAIN = Duration.ofSeconds(1);
    /** Claimed tasks an agent holds at most, in drafting threads: those being drafted and as many queued. */
    static final int AHEAD = 2;

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

    /**
     * Which of these files of {@code Needs_Action/} to claim now, in one claim: as many as there is
     * room for, this agent's share first, then what waited past {@link #GRACE}.
     */
    public synchronized List<Path> choose(List<String> fileNames) {
        int room = roomOf(self);
        if (room <= 0) {
            return List.of();
        }
        List<String> agents = drafters();
        Instant now = clock.instant();
        Path queue = vault.folder(Folder.NEEDS_ACTION);
        List<Path> mine = new ArrayList<>();
        List<Path> waiting = new ArrayList<>();
        Map<String, List<Path>> others = new TreeMap<>();
        for (String name : new TreeSet<>(fileNames)) {
            Path file = queue.resolve(name);
            String id = name.endsWith(".md") ? name.substring(0, name.length() - 3) : name;
            String owner = agents.size() < 2 ? self : agents.get(Math.floorMod(id.hashCode(), agents.size()));
            if (owner.equals(self)) {
                mine.add(file);
            } else if (waitedPastGrace(file, now)) {
                waiting.add(file);
            } else {
                others.computeIfAbsent(owner, o -> new ArrayList<>()).add(file);
            }
        }
        List<Path> chosen = new ArrayList<>(mine);
        chosen.addAll(waiting);
        // room to spare: the back of each other share, as much of it as its agent has no room for now
        for (Map.Entry<String, List<Path>> share : others.entrySet()) {
            if (chosen.size() >= room) {
                break;
            }
            List<Path> theirs = share.getValue();
            int spare = theirs.size() - Math.max(0, roomOf(share.getKey()));
            for (int i = theirs.size() - 1; i >= theirs.size() - spare && chosen.size() < room; i--) {
                chosen.add(theirs.get(i));
            }
        }
        return chosen.subList(0, Math.min(room, chosen.size()));
    }

    /** How many more tasks an agent may hold: this agent's setting, for the others too (they run the same defaults). */
    private int roomOf(String agent) {
        return AHEAD * concurrency - vault.count(vault.inProgress(agent));
    }

    private static boolean waitedPastGrace(Path file, Instant now) {
        try {
            return Duration.between(Files.getLastModifiedTime(file).toInstant(), now).compareTo(GRACE) >= 0;
        } catch (IOException gone) {
            return false;
        }
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
                    String agent = String.valueOf(hb.get("agent"));
                    // a name from the shared vault is data: it names a folder only when it is an agent's name
                    if (("cloud".equals(type) || "all".equals(type)) && Vault.isAgentName(agent)
                            && Duration.between(Instant.parse(String.valueOf(hb.get("last_seen"))), now).compareTo(staleAfter) <= 0) {
                        alive.add(agent);
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
