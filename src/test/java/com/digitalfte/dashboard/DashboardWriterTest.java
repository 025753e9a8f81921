package com.digitalfte.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.sync.SyncAudit;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.Quarantine;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import com.digitalfte.vault.VaultInvariant;
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
        new Heartbeat(vault, cloudAudit, "cloud", "cloud", clock, () -> Map.of("channel file rss.camel.yaml", "line 3: bad YAML"),
                new Quarantine(dir)).beat();
        Files.writeString(vault.heartbeats().resolve("old-cloud.json"),
                "{\"agent\":\"old-cloud\",\"type\":\"cloud\",\"last_seen\":\"2026-11-25T10:00:00Z\"}");

        DashboardWriter dashboard = new DashboardWriter(vault, new AuditLog(vault.logs(), "local"), "local", Duration.ofMinutes(5), clock);
        assertThat(dashboard.update()).isTrue();
        String text = Files.readString(dir.resolve("Dashboard.md"));
        assertThat(text).contains("| Pending Approval | 1 |", "| In Progress (cloud) | 1 |", "| Done | 0 |",
                "| cloud | cloud | 2026-11-25 12:00:00 | none yet | **1 problem** |", "| old-cloud | cloud | 2026-11-25 10:00:00 | none yet | **stale** |",
                "**old-cloud**: not heard from since 2026-11-25 10:00",
                "## Problems", "**cloud**: channel file rss.camel.yaml: line 3: bad YAML",
                "## Repairs", "| cloud | EMAIL_9 | kept Done/EMAIL_9.md, removed [Approved/EMAIL_9.md] |",
                "invariant_repaired");
        assertThat(dashboard.update()).isFalse();
        vault.write(vault.folder(Folder.DONE), TaskFile.create("EMAIL_3", "email_reply"));
        assertThat(dashboard.update()).isTrue();
        assertThat(dir.resolve("Dashboard.md")).content().contains("| Done | 1 |");
    }

    @Test
    void quarantinedFilesAndRepairsAreShownFromDiskAfterARestart() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
        Vault vault = new Vault(dir);
        vault.init("local", false);
        // before the restart: the sync held a note back, a message's original was kept, a task in two folders was repaired
        Path note = Files.writeString(dir.resolve("Plans/keys.md"), "my key\n");
        Path held = new Quarantine(dir).holdBack(note, "Plans/keys.md", "openai-api-key", 1);
        new Quarantine(dir).keepOriginal("Needs_Action/EMAIL_1.md", "the original\n", "aws-access-key");
        new SyncAudit(new AuditLog(vault.logs(), "local"))
                .repaired(new VaultInvariant.Repair("EMAIL_9", "Done/EMAIL_9.md", List.of("Approved/EMAIL_9.md")));

        // after it: new instances over the same vault, nothing carried over in memory
        AuditLog audit = new AuditLog(vault.logs(), "local");
        new Heartbeat(vault, audit, "local", "local", clock, Map::of, new Quarantine(dir)).beat();
        new DashboardWriter(vault, audit, "local", Duration.ofMinutes(5), clock).update();

        String heldFile = dir.relativize(held).toString();
        assertThat(dir.resolve("Dashboard.md")).content().contains(
                "## Problems\n\n- **local**: not synced: `Plans/keys.md` holds a secret (openai-api-key, line 1); kept in `" + heldFile
                        + "` on that machine; remove the secret and move it back to `Plans/keys.md`\n",
                "## Messages that quoted a credential (for your information)\n\n- **local**: `Needs_Action/EMAIL_1.md` quoted a credential"
                        + " (aws-access-key); its task went on with it redacted, and the original is kept in `.state/quarantine/",
                "## Repairs", "| local | EMAIL_9 | kept Done/EMAIL_9.md, removed [Approved/EMAIL_9.md] |");

        // the owner took the note back out of quarantine: its warning goes, after another restart too
        Files.move(held, dir.resolve("Plans/keys.md"));
        new Heartbeat(vault, audit, "local", "local", clock, Map::of, new Quarantine(dir)).beat();
        new DashboardWriter(vault, audit, "local", Duration.ofMinutes(5), clock).update();
        assertThat(dir.resolve("Dashboard.md")).content().doesNotContain("not synced", "## Problems").contains("EMAIL_1.md` quoted a credential");
    }

    @Test
    void eachOutcomeOfASyncIsNamedInTheAgentsTable() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
        Vault vault = new Vault(dir);
        vault.init("local", false);
        // the results VaultSync records, as heartbeats carry them
        Map<String, String> shown = Map.of("pushed", "ok", "up-to-date", "ok", "refused", "refused", "unreachable", "remote out of reach",
                "error", "failed");
        for (String result : shown.keySet()) {
            Files.writeString(vault.heartbeats().resolve("agent-" + result + ".json"), "{\"agent\":\"agent-" + result + "\",\"type\":\"cloud\","
                    + "\"last_seen\":\"2026-12-01T11:59:00Z\",\"last_sync\":{\"timestamp\":\"2026-12-01T11:58:00Z\",\"result\":\"" + result + "\"}}");
        }
        new DashboardWriter(vault, new AuditLog(vault.logs(), "local"), "local", Duration.ofMinutes(5), clock).update();
        String text = Files.readString(dir.resolve("Dashboard.md"));
        shown.forEach((result, words) -> assertThat(text).contains("| agent-" + result + " | cloud | 2026-12-01 11:59:00 | 2026-12-01 11:58:00, "
                + words + " |"));
    }
}
