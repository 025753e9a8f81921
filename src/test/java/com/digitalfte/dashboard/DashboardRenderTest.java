package com.digitalfte.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.audit.JsonLines;
import com.digitalfte.sync.SyncAudit;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.Quarantine;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import com.digitalfte.vault.VaultInvariant;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.digitalfte.support.MovableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dashboard of a vault with every queue, warning and activity type, as the owner opens it in
 * Obsidian, compared line for line with {@code src/test/resources/dashboard/expected-Dashboard.md};
 * each wiki link opens a file that is there.
 */
class DashboardRenderTest {

    private static final Pattern WIKI_LINK = Pattern.compile("\\[\\[([^\\]|\\\\]+)\\\\?\\|([^\\]]+)]]");

    @TempDir
    Path dir;

    @Test
    void everyQueueWarningAndActivityRendersAsTheExpectedMarkdownWithLinksThatOpenFiles() throws Exception {
        MovableClock clock = new MovableClock("2026-11-25T08:00:00Z", ZoneId.of("Europe/Berlin"));
        Vault vault = new Vault(dir);
        vault.init("local", false);
        AuditLog local = new AuditLog(vault.logs(), "local", clock);
        AuditLog cloud = new AuditLog(dir.resolve("cloud-machine/Logs"), "cloud", clock);

        // the day, as the two agents lived it
        task(vault, Folder.NEEDS_ACTION, "EMAIL_new", "email_reply");
        at(clock, "08:01");
        cloud.record("task_created", "EMAIL_new", Map.of("channel", "imap"), "n/a", null, "created");
        task(vault, vault.inProgress("cloud"), "EMAIL_claimed", "email_reply");
        task(vault, Folder.UPDATES, "EMAIL_drafted", "email_reply");
        at(clock, "08:02");
        cloud.record("draft_created", "EMAIL_drafted", Map.of("drafted_by", "template"), "n/a", null, "drafted");
        task(vault, Folder.PENDING_APPROVAL, "EMAIL_pending", "email_reply");
        at(clock, "08:03");
        local.record("approval_requested", "EMAIL_pending", Map.of("type", "email_reply", "subject", "Quote"), "pending", null, "requested");
        task(vault, Folder.APPROVED, "EMAIL_approved", "email_reply");
        task(vault, Folder.DONE, "EMAIL_done", "email_reply");
        at(clock, "08:04");
        local.record("email_reply", "EMAIL_done", Map.of("message_id", "<EMAIL_done@digitalfte>"), "approved", "owner", "success");
        Path failing = task(vault, Folder.APPROVED, "EMAIL_failed", "email_reply");
        vault.fail(failing, "The SMTP server refused the login of me@example.com\nfix: check MAIL_PASSWORD");
        at(clock, "08:05");
        local.record("task_failed", "EMAIL_failed", Map.of("reason", "login refused"), "n/a", null, "failed");
        Path posting = task(vault, Folder.APPROVED, "XPOST_2026-11-25_1", "x_post");
        vault.fail(posting, "The connection broke after the post was sent: it may be on X", true);
        at(clock, "08:06");
        local.record("task_uncertain", "XPOST_2026-11-25_1", Map.of("reason", "connection broke"), "n/a", null, "uncertain");
        task(vault, Folder.REJECTED, "EMAIL_rejected", "email_reply");
        at(clock, "08:07");
        local.record("task_rejected", "EMAIL_rejected", Map.of(), "rejected", "owner", "not_executed");
        at(clock, "08:08");
        local.record("dry_run", "EMAIL_approved", Map.of("reason", "DRY_RUN=true"), "approved", "owner", "not_executed");
        // a task in two folders after a sync, repaired toward Done
        at(clock, "08:09");
        new SyncAudit(local).repaired(new VaultInvariant.Repair("EMAIL_done", "Done/EMAIL_done.md", List.of("Approved/EMAIL_done.md")));
        // a note with a key held back, a message that quoted one
        Path note = Files.writeString(dir.resolve("Plans/keys.md"), "my key\n");
        new Quarantine(dir).holdBack(note, "Plans/keys.md", "openai-api-key", 1);
        new Quarantine(dir).keepOriginal("Needs_Action/EMAIL_new.md", "the original\n", "aws-access-key");
        at(clock, "08:10");
        local.record("secret_blocked", "Plans/keys.md", Map.of("rule", "openai-api-key"), "n/a", null, "quarantined");
        // the remote refused the last sync
        Map<String, Object> refused = new LinkedHashMap<>();
        refused.put("timestamp", clock.instant().toString());
        refused.put("agent", "local");
        refused.put("result", "refused");
        refused.put("error", "cannot push to 'origin': the remote refused the credentials");
        JsonLines.append(local.vaultSync(), refused);

        Map<String, Object> pushed = new LinkedHashMap<>();
        pushed.put("timestamp", "2026-11-25T08:02:30Z");
        pushed.put("agent", "cloud");
        pushed.put("result", "pushed");
        JsonLines.append(cloud.vaultSync(), pushed);

        // the heartbeats: the cloud an hour stale, an old standby that stopped long ago
        SyncWarnings warnings = new SyncWarnings(local.vaultSync(), local, dir);
        new Heartbeat(vault, cloud, "cloud", "cloud", clock, () -> Map.of("channel file rss.camel.yaml", "line 3: bad YAML"),
                new Quarantine(dir.resolve("cloud-machine"))).beat();
        at(clock, "09:10");
        new Heartbeat(vault, local, "local", "local", clock, warnings::current, new Quarantine(dir)).beat();
        Files.writeString(vault.heartbeats().resolve("cloud-old.json"),
                "{\"agent\":\"cloud-old\",\"type\":\"cloud-standby\",\"last_seen\":\"2026-11-20T06:00:00Z\"}");

        DashboardWriter dashboard = new DashboardWriter(vault, local, "local", Duration.ofMinutes(5), clock);
        assertThat(dashboard.update()).isTrue();
        String text = Files.readString(dir.resolve("Dashboard.md"));

        // the quarantine's file names carry the moment they were kept
        String comparable = text.replaceAll("\\.state/quarantine/[^`]+", ".state/quarantine/<file>");
        assertThat(comparable).isEqualTo(expected());
        assertThat(text).doesNotContain("{\"", "\":", "T08:", "Z |");

        List<String> links = new ArrayList<>();
        Matcher m = WIKI_LINK.matcher(text);
        while (m.find()) {
            links.add(m.group(1));
            assertThat(dir.resolve(m.group(1) + ".md")).as(m.group()).isRegularFile();
            assertThat(m.group(1)).endsWith("/" + m.group(2));
        }
        assertThat(links).contains("Done/EMAIL_done", "Failed/EMAIL_failed", "Failed/XPOST_2026-11-25_1", "Rejected/EMAIL_rejected",
                "Pending_Approval/EMAIL_pending", "Updates/EMAIL_drafted", "Needs_Action/EMAIL_new", "Approved/EMAIL_approved");

        // a change is on it at the next refresh; the clock alone changes only its time line
        assertThat(dashboard.update()).isFalse();
        vault.move(vault.file(Folder.PENDING_APPROVAL, "EMAIL_pending"), vault.folder(Folder.APPROVED));
        assertThat(dashboard.update()).isTrue();
        assertThat(dir.resolve("Dashboard.md")).content().contains("| Pending Approval | 0 |", "| Approved | 2 |",
                "[[Approved/EMAIL_pending\\|EMAIL_pending]]");
    }

    private static void at(MovableClock clock, String hhmm) {
        clock.set(Instant.parse("2026-11-25T" + hhmm + ":00Z"));
    }

    private static Path task(Vault vault, Folder folder, String id, String type) throws Exception {
        return task(vault, vault.folder(folder), id, type);
    }

    private static Path task(Vault vault, Path folder, String id, String type) throws Exception {
        return vault.write(folder, TaskFile.create(id, type).with("subject", "About " + id));
    }

    private static String expected() throws Exception {
        try (InputStream in = DashboardRenderTest.class.getResourceAsStream("/dashboard/expected-Dashboard.md")) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
