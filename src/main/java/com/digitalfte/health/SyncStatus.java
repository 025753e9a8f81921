package com.digitalfte.health;

import com.digitalfte.audit.JsonLines;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last sync, from {@code Logs/vault_sync.jsonl}: down when the remote refused it, when syncs have
 * failed (out of reach, an error) for longer than {@link #LONG_OUTAGE}, or when none ran for three
 * intervals. A short outage is normal for a laptop that sleeps or changes networks: up, with a note.
 */
public final class SyncStatus {

    static final Duration LONG_OUTAGE = Duration.ofMinutes(10);
    private static final int LINES = 500;

    private final Path syncLog;
    private final Duration interval;
    private final Clock clock;

    public SyncStatus(Path syncLog, Duration interval, Clock clock) {
        this.syncLog = syncLog;
        this.interval = interval;
        this.clock = clock;
    }

    public Health now() {
        List<Map<String, Object>> lines = JsonLines.tail(syncLog, LINES);
        Map<String, Object> details = new LinkedHashMap<>();
        if (lines.isEmpty()) {
            return Health.up("no sync yet", details);
        }
        Map<String, Object> last = lines.get(lines.size() - 1);
        Instant now = clock.instant();
        Instant at = Instant.parse(String.valueOf(last.get("timestamp")));
        String result = String.valueOf(last.get("result"));
        details.put("last.result", result);
        details.put("last.at", at.toString());
        details.put("last.age.seconds", Duration.between(at, now).toSeconds());
        for (String k : List.of("files", "pulled", "pushed", "ms")) {
            details.put("last." + k, last.get(k));
        }
        Object error = last.get("error");
        if ("refused".equals(result)) {
            return Health.down("the remote refused the last sync at " + at + ": " + error, details);
        }
        if (error != null) {
            Instant since = failingSince(lines);
            details.put("failing.since", since.toString());
            String how = "unreachable".equals(result) ? "out of reach" : "failing";
            if (Duration.between(since, now).compareTo(LONG_OUTAGE) > 0) {
                return Health.down("syncs have been " + how + " since " + since + ": " + error, details);
            }
            return Health.up("syncs " + how + " since " + since + " (down after " + LONG_OUTAGE.toMinutes() + " min): " + error, details);
        }
        Duration overdue = interval.multipliedBy(3).plusMinutes(1);
        if (Duration.between(at, now).compareTo(overdue) > 0) {
            return Health.down("no sync since " + at + " (one is due every " + interval.toSeconds() + " s)", details);
        }
        return Health.up("last sync " + Duration.between(at, now).toSeconds() + " s ago: " + result + ", " + last.get("files") + " file(s), "
                + last.get("pulled") + " pulled, " + last.get("pushed") + " pushed", details);
    }

    /** When the run of failed syncs that ends the log began (its oldest line when all failed). */
    private static Instant failingSince(List<Map<String, Object>> lines) {
        Instant since = null;
        for (int i = lines.size() - 1; i >= 0 && lines.get(i).get("error") != null; i--) {
            since = Instant.parse(String.valueOf(lines.get(i).get("timestamp")));
        }
        return since;
    }
}
