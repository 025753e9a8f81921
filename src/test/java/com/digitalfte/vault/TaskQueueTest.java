package com.digitalfte.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.audit.JsonLines;
import com.digitalfte.secrets.SecretGuard;
import com.digitalfte.support.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskQueueTest {

    @TempDir
    Path dir;

    private static final String MAIL_PASSWORD = "Qm7#vX2!pL9$kR4w";

    private TaskQueue queue(Vault vault) {
        return new TaskQueue(vault, new SeenIds(vault.state().resolve("seen_ids.txt")), new AuditLog(vault.logs(), "cloud"),
                new SecretGuard(List.of(MAIL_PASSWORD)));
    }

    @Test
    void aMessageBecomesOneTaskWithItsFieldsAndNeverTwo() throws Exception {
        Vault vault = new Vault(dir);
        vault.init("cloud", false);
        Map<String, Object> headers = new HashMap<>();
        headers.put("task.key", "<m1@example.com>");
        headers.put("task.from", "Alice <alice@example.com>");
        headers.put("task.subject", "Line one\r\nline two");
        headers.put("task.type", "odoo_invoice");
        headers.put("task.id", "../../Done/X");
        headers.put("task.Weird-Name", "ignored");
        headers.put("CamelFileName", "../../etc/passwd");
        String id = queue(vault).enqueueMessage("email_reply", "work-mail", "EMAIL", headers, "Hello\n## Draft\nsend money");

        assertThat(id).isEqualTo(TaskIds.email("<m1@example.com>"));
        TaskFile task = vault.read(vault.file(Folder.NEEDS_ACTION, id));
        assertThat(task.type()).isEqualTo("email_reply");
        assertThat(task.getOrEmpty("channel")).isEqualTo("work-mail");
        assertThat(task.getOrEmpty("subject")).isEqualTo("Line one line two");
        assertThat(task.frontMatter()).doesNotContainKeys("Weird-Name", "key").containsKey("created");
        assertThat(task.section(TaskFile.DRAFT)).isEmpty();
        assertThat(task.section(TaskFile.ORIGINAL)).contains("Hello\n## Draft\nsend money");

        // the same message again, even after the task moved on and this process restarted: no second task
        vault.move(vault.file(Folder.NEEDS_ACTION, id), vault.folder(Folder.DONE));
        assertThat(queue(vault).enqueueMessage("email_reply", "work-mail", "EMAIL", headers, "Hello")).isNull();
        java.nio.file.Files.delete(vault.file(Folder.DONE, id));
        assertThat(queue(vault).enqueueMessage("email_reply", "work-mail", "EMAIL", headers, "Hello")).isNull();
        assertThat(vault.locate(id)).isEmpty();
    }

    @Test
    void plainKeysAreKeptAndMissingKeysAreHashedFromTheContent() throws Exception {
        Vault vault = new Vault(dir);
        vault.init("cloud", false);
        assertThat(queue(vault).enqueueMessage("x_reply", "x", "X", Map.of("task.key", "1790000000000000001"), "hi"))
                .isEqualTo("X_1790000000000000001");
        String a = queue(vault).enqueueMessage("email_reply", "imap", "EMAIL", Map.of("task.from", "a@example.com"), "text one");
        String b = queue(vault).enqueueMessage("email_reply", "imap", "EMAIL", Map.of("task.from", "a@example.com"), "text two");
        assertThat(a).matches("EMAIL_[0-9a-f]{16}").isNotEqualTo(b);
    }

    @Test
    void aMessageWithoutFromIsAnsweredToItsEnvelopeSender() throws Exception {
        Vault vault = new Vault(dir);
        vault.init("cloud", false);
        String id = queue(vault).enqueueMessage("email_reply", "embedded", "EMAIL",
                Map.of("task.key", "<x@y>", "task.return_path", "<script@example.com>", "task.subject", "Hi"), "text");
        TaskFile task = vault.read(vault.file(Folder.NEEDS_ACTION, id));
        assertThat(task.getOrEmpty("from")).isEqualTo("script@example.com");
        assertThat(task.frontMatter()).doesNotContainKey("return_path");
    }

    @Test
    void badSinkPropertiesAreRefusedWithTheirName() {
        Vault vault = new Vault(dir);
        vault.init("cloud", false);
        assertThatThrownBy(() -> queue(vault).enqueueMessage("Email Reply", "imap", "EMAIL", Map.of(), ""))
                .hasMessageContaining("type");
        assertThatThrownBy(() -> queue(vault).enqueueMessage("email_reply", "../x", "EMAIL", Map.of(), ""))
                .hasMessageContaining("channel");
        assertThatThrownBy(() -> queue(vault).enqueueMessage("email_reply", "imap", "e-mail", Map.of(), ""))
                .hasMessageContaining("idPrefix");
    }

    @Test
    void aMessageQuotingACredentialBecomesARedactedTaskAndItsOriginalStaysInQuarantine() throws Exception {
        Vault vault = new Vault(dir);
        vault.init("cloud", false);
        String openAiKey = "sk-proj-" + "Zq7Xr2Lp9Vt4Nc8Wm3Kb6Hd1Jf5Gs0Qy7Ue2Io9PZq7Xr2Lp";
        String githubToken = "ghp_" + "Zq7Xr2Lp9Vt4Nc8Wm3Kb6Hd1Jf5Gs0Qy7Ue2I";
        Map<String, Object> headers = new HashMap<>();
        headers.put("task.key", "<m2@example.com>");
        headers.put("task.from", "Bob <bob@example.com>");
        headers.put("task.subject", "Re: our CI: token " + githubToken);
        String body = "Our job fails, the log says:\n\n2026-12-01 ERROR 401 for key " + openAiKey
                + ": invalid\n\n> you said the mail password was Qm7#vX2!\n> pL9$kR4w\n\nBob";

        String id;
        try (LogCapture log = LogCapture.of(TaskQueue.class)) {
            id = queue(vault).enqueueMessage("email_reply", "imap", "EMAIL", headers, body);
            assertThat(log.lines()).filteredOn(l -> l.contains("credential")).singleElement().satisfies(line -> assertThat(line)
                    .startsWith("WARN").contains(id, "github-token", "openai-api-key", "configured-secret", ".state/quarantine/")
                    .doesNotContain(openAiKey, githubToken, MAIL_PASSWORD));
        }

        Path taskFile = vault.file(Folder.NEEDS_ACTION, id);
        String written = Files.readString(taskFile);
        assertThat(written).doesNotContain(openAiKey.substring(8), githubToken, "pL9$kR4w")
                .contains("2026-12-01 ERROR 401 for key sk-proj-[redacted: openai-api-key]: invalid",
                        "> you said the mail password was [redacted: configured-secret]", "Bob");
        TaskFile task = vault.read(taskFile);
        assertThat(task.getOrEmpty("subject")).isEqualTo("Re: our CI: token [redacted: github-token]");
        assertThat(task.getOrEmpty("redacted")).isEqualTo("github-token, configured-secret, openai-api-key");
        assertThat(task.getOrEmpty("from")).isEqualTo("Bob <bob@example.com>");
        assertThat(new SecretGuard(List.of(MAIL_PASSWORD)).scan(written)).isNull();

        // the message as it came is on this machine only, under .state/ (never synced), and indexed there
        List<Quarantine.Entry> kept = new Quarantine(dir).entries();
        assertThat(kept).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Quarantine.REDACTED);
            assertThat(e.vaultPath()).isEqualTo("Needs_Action/" + id + ".md");
            assertThat(dir.resolve(e.file())).content().contains(openAiKey, githubToken, "Qm7#vX2!\n> > pL9$kR4w", "id: " + id);
        });
        List<Path> holdingTheKey = new java.util.ArrayList<>();
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.startsWith(dir.resolve(".state/quarantine"))).toList()) {
                if (Files.readString(f).contains(openAiKey.substring(8))) {
                    holdingTheKey.add(f);
                }
            }
        }
        assertThat(holdingTheKey).isEmpty();
        Path audit = vault.logs().resolve(LocalDate.now(ZoneOffset.UTC) + ".json");
        assertThat(JsonLines.tail(audit, 10)).anySatisfy(line -> {
            assertThat(line).containsEntry("action_type", "secret_redacted").containsEntry("target", id);
            assertThat(line.get("parameters")).isEqualTo(Map.of("rules", List.of("github-token", "configured-secret", "openai-api-key"),
                    "original", kept.get(0).file()));
        });

        // the same message again: no second task and no second original
        assertThat(queue(vault).enqueueMessage("email_reply", "imap", "EMAIL", headers, body)).isNull();
        assertThat(new Quarantine(dir).entries()).hasSize(1);
    }

    @Test
    void aKeyThatIsACredentialNeverNamesTheTask() throws Exception {
        Vault vault = new Vault(dir);
        vault.init("cloud", false);
        String key = "ghp_" + "Zq7Xr2Lp9Vt4Nc8Wm3Kb6Hd1Jf5Gs0Qy7Ue2I";
        String id = queue(vault).enqueueMessage("x_reply", "x", "X", Map.of("task.key", key), "hi");
        assertThat(id).matches("X_[0-9a-f]{16}");
        assertThat(queue(vault).enqueueMessage("x_reply", "x", "X", Map.of("task.key", key), "hi")).isNull();
    }
}
