package com.digitalfte.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardWriterTest {

    @TempDir
    Path dir;

    @Test
    void showsQueuesAgentsProblemsRepairsAndActivityAndIsRewrittenOnlyOnChange() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
        Vault vault = new Vault(dir);
        vault.init("local", false);
        vault.write(vault.folder(Folder.PENDING_APPROVAL), TaskFile.create("EMAIL_1", "email_reply"));
        vault.write(vault.inProgress("cloud"), TaskFile.create("EMAIL_2", "email_reply"));
        AuditLog cloudAudit = new AuditLog(dir.resolve("cloud-logs"), "cloud");
        cloudAudit.record("invariant_repaired", "EMAIL_9", Map.of("kept", "Done/EMAIL_9.md", "removed", List.of("Approved/EMAIL_9.md")), "n/a", null, "repaired");
        new Heartbeat(vault, cloudAudit, "cloud", "cloud", clock, () -> Map.of("channel file rss.camel.yaml", "line 3: bad YAML")).beat();
        Files.writeString(vault.heartbeats().resolve("old-cloud.json"),
                "{\"agent\":\"old-cloud\",\"type\":\"cloud\",\"last_seen\":\"2026-11-25T10:00:00Z\"}");

        DashboardWriter dashboard = new DashboardWriter(vault, new AuditLog(vault.logs(), "local"), "local", Duration.ofMinutes(5), clock);
        assertThat(dashboard.update()).isTrue();
        String text = Files.readString(dir.resolve("Dashboard.md"));
        assertThat(text).contains("| Pending Approval | 1 |", "| In Progress (cloud) | 1 |", "| Done | 0 |",
                "| cloud | cloud | 2026-11-25T12:00:00Z | ok |", "| old-cloud | cloud | 2026-11-25T10:00:00Z | stale |",
                "## Problems", "**cloud**: channel file rss.camel.yaml: line 3: bad YAML",
                "## Repairs", "| cloud | EMAIL_9 | kept Done/EMAIL_9.md, removed [Approved/EMAIL_9.md] |",
                "invariant_repaired");
        assertThat(dashboard.update()).isFalse();
        vault.write(vault.folder(Folder.DONE), TaskFile.create("EMAIL_3", "email_reply"));
        assertThat(dashboard.update()).isTrue();
        assertThat(dir.resolve("Dashboard.md")).content().contains("| Done | 1 |");
    }
}
