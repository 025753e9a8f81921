package com.digitalfte.dashboard;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.audit.JsonLines;
import com.digitalfte.vault.Quarantine;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** {@code Updates/agents/<agent>.json}: this agent's sign of life and its recent activity, for the Dashboard. */
public final class Heartbeat {

    private static final int RECENT = 5;

    private final Vault vault;
    private final AuditLog audit;
    private final String agentName;
    private final String agentType;
    private final Instant started;
    private final Clock clock;
    private final Supplier<Map<String, String>> problems;
    private final Quarantine quarantine;
    private final Supplier<Map<String, String>> usage;
    private volatile boolean syncShown;

    /**
     * {@code problems}: what this agent wants the owner to see (a channel file it skipped, and why);
     * {@code quarantine}: what this machine keeps back because it holds a credential, read from disk
     * at every beat, so it shows after a restart too.
     */
    public Heartbeat(Vault vault, AuditLog audit, String agentName, String agentType, Clock clock,
                     Supplier<Map<String, String>> problems, Quarantine quarantine) {
        this(vault, audit, agentName, agentType, clock, problems, quarantine, Map::of);
    }

    /** {@code usage}: what each channel used of a paid allowance ("124 of 3000 reads in 2026-12"), by channel. */
    public Heartbeat(Vault vault, AuditLog audit, String agentName, String agentType, Clock clock,
                     Supplier<Map<String, String>> problems, Quarantine quarantine, Supplier<Map<String, String>> usage) {
        this.usage = usage;
        this.problems = problems;
        this.quarantine = quarantine;
        this.vault = vault;
        this.audit = audit;
        this.agentName = agentName;
        this.agentType = agentType;
        this.clock = clock;
        this.started = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * After each sync: beats once more when the last beat had no sync to show (a new vault's first
     * start, where the first beat can come before the first sync ends), so that the Dashboard does
     * not say "none yet" until the next beat, a minute later.
     */
    public void afterSync() throws IOException {
        if (!syncShown) {
            beat();
        }
    }

    /** The timer's beat and {@link #afterSync()} on the sync's thread: one at a time, so the last written is the newest. */
    public synchronized void beat() throws IOException {
        Map<String, Object> hb = new LinkedHashMap<>();
        hb.put("agent", agentName);
        hb.put("type", agentType);
        hb.put("last_seen", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        hb.put("started", started.toString());
        List<Map<String, Object>> recent = new ArrayList<>();
        for (Map<String, Object> e : audit.recent(RECENT)) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("timestamp", e.get("timestamp"));
            r.put("action_type", e.get("action_type"));
            r.put("target", e.get("target"));
            r.put("result", e.get("result"));
            recent.add(r);
        }
        hb.put("recent", recent);
        List<Map<String, Object>> lastSync = JsonLines.tail(audit.vaultSync(), 1);
        if (!lastSync.isEmpty()) {
            Map<String, Object> sync = new LinkedHashMap<>();
            sync.put("timestamp", lastSync.get(0).get("timestamp"));
            sync.put("result", lastSync.get(0).get("result"));
            hb.put("last_sync", sync);
        }
        hb.put("problems", new TreeMap<>(problems.get()));
        hb.put("usage", new TreeMap<>(usage.get()));
        List<Map<String, Object>> repairs = new ArrayList<>();
        for (Map<String, Object> e : audit.recent(RECENT, "invariant_repaired")) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("timestamp", e.get("timestamp"));
            r.put("target", e.get("target"));
            r.put("parameters", e.get("parameters"));
            repairs.add(r);
        }
        hb.put("repairs", repairs);
        hb.put("quarantine", quarantine.entries());
        vault.writeAtomically(vault.heartbeats().resolve(agentName + ".json"),
                JsonLines.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(hb) + "\n");
        syncShown = !lastSync.isEmpty();
    }
}
