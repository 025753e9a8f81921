package com.digitalfte.health;

import com.digitalfte.sync.RemoteException;
import com.digitalfte.sync.VaultSync;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the git remote answers and accepts this agent, asked at most every {@link #ASK_EVERY}
 * (one small request for the remote's branches) however often the health is read.
 */
public final class RemoteStatus {

    static final Duration ASK_EVERY = Duration.ofSeconds(15);

    private final VaultSync sync;
    private final String remote;
    private final Clock clock;
    private Instant askedAt = Instant.EPOCH;
    private Health last;

    public RemoteStatus(VaultSync sync, String remote, Clock clock) {
        this.sync = sync;
        this.remote = remote;
        this.clock = clock;
    }

    public synchronized Health now() {
        Instant now = clock.instant();
        if (last == null || Duration.between(askedAt, now).compareTo(ASK_EVERY) >= 0) {
            last = ask(now);
            askedAt = now;
        }
        return last;
    }

    private Health ask(Instant now) {
        Map<String, Object> details = Map.of("remote", remote, "url", com.digitalfte.secrets.Masking.mask(sync.remoteUrl()),
                "asked.at", now.toString());
        Optional<RemoteException> problem = sync.askRemote();
        if (problem.isEmpty()) {
            return Health.up("the remote '" + remote + "' answers and accepts this agent", details);
        }
        String kind = problem.get() instanceof RemoteException.Refused ? "refuses this agent" : "cannot be reached";
        return Health.down("the remote '" + remote + "' " + kind + ": " + problem.get().getMessage(), details);
    }
}
