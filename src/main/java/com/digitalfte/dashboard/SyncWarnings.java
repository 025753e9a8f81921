package com.digitalfte.dashboard;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.audit.JsonLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the sync wants the owner to see, read from disk so it survives a restart: a remote that
 * refuses this agent or is out of reach (the last line of {@code Logs/vault_sync.jsonl}), and a note
 * edited on two machines at the same lines while its conflict copy is still there.
 */
public final class SyncWarnings {

    private static final int CONFLICTS = 20;

    private final Path syncLog;
    private final AuditLog audit;
    private final Path vaultRoot;

    public SyncWarnings(Path syncLog, AuditLog audit, Path vaultRoot) {
        this.syncLog = syncLog;
        this.audit = audit;
        this.vaultRoot = vaultRoot;
    }

    /** Problem title to what to do about it. */
    public Map<String, String> current() {
        Map<String, String> warnings = new LinkedHashMap<>();
        List<Map<String, Object>> last = JsonLines.tail(syncLog, 1);
        if (!last.isEmpty()) {
            Map<String, Object> line = last.get(0);
            Object error = line.get("error");
            if ("refused".equals(line.get("result"))) {
                warnings.put("sync refused", error + " (since " + line.get("timestamp") + ")");
            } else if ("unreachable".equals(line.get("result"))) {
                warnings.put("remote out of reach", error + " (last tried " + line.get("timestamp") + ")");
            }
        }
        for (Map<String, Object> e : audit.recent(CONFLICTS, "merge_conflict")) {
            Object at = e.get("parameters") instanceof Map<?, ?> p ? p.get("other_side_at") : null;
            if (at != null && Files.exists(vaultRoot.resolve(at.toString()))) {
                warnings.put("edited on two machines: " + e.get("target"), "this machine's text is kept; the other side's is in `" + at
                        + "`: take what you want from it, then delete that file");
            }
        }
        return warnings;
    }
}
