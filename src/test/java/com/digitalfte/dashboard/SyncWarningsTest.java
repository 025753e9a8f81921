package com.digitalfte.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.audit.JsonLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncWarningsTest {

    @TempDir
    Path dir;

    @Test
    void whatTheSyncWantsTheOwnerToSeeComesFromDisk() throws Exception {
        Path syncLog = dir.resolve("Logs/vault_sync.jsonl");
        AuditLog audit = new AuditLog(dir.resolve("Logs"), "local");
        Path copy = Files.writeString(dir.resolve("Company_Handbook (conflict cloud 2026-12-01T0930Z).md"), "their text\n");
        audit.record("merge_conflict", "Company_Handbook.md", Map.of("other_side_at", copy.getFileName().toString()), "n/a", null, "kept_both");
        JsonLines.append(syncLog, Map.of("timestamp", "2026-12-01T09:31:00Z", "result", "refused",
                "error", "cannot fetch from the remote 'origin': the remote refused the credentials (not authorized)"));

        // a new instance, as after a restart
        Map<String, String> warnings = new SyncWarnings(syncLog, audit, dir).current();
        assertThat(warnings).containsOnlyKeys("sync refused", "edited on two machines: Company_Handbook.md");
        assertThat(warnings.get("sync refused")).contains("refused the credentials", "since 2026-12-01T09:31:00Z");
        assertThat(warnings.get("edited on two machines: Company_Handbook.md")).contains(copy.getFileName().toString(), "delete that file");

        // fixed: the next sync went through, and the owner deleted the copy once merged
        JsonLines.append(syncLog, Map.of("timestamp", "2026-12-01T09:40:00Z", "result", "pushed"));
        Files.delete(copy);
        assertThat(new SyncWarnings(syncLog, audit, dir).current()).isEmpty();
    }
}
