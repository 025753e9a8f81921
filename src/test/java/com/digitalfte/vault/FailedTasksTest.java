package com.digitalfte.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.secrets.Masking;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailedTasksTest {

    private static final String SMTP_PASSWORD = "smtp-" + "pass-for-failed-tasks";

    @TempDir
    Path dir;

    @Test
    void theErrorWrittenIntoTheTaskNeverQuotesACredential() throws Exception {
        Masking.add(List.of(SMTP_PASSWORD));
        Vault vault = new Vault(dir);
        vault.init("local", false);
        Path task = vault.write(vault.inProgress("local"), TaskFile.create("EMAIL_1", "email_reply").withSection(TaskFile.DRAFT, "Hi"));

        new FailedTasks(vault, new AuditLog(vault.logs(), "local")).fail(task.toString(), new IllegalStateException("send failed",
                new java.io.IOException("535 for smtps://me:" + SMTP_PASSWORD + "@smtp.example.com with " + SMTP_PASSWORD)));

        Path failed = vault.file(Folder.FAILED, "EMAIL_1");
        assertThat(vault.read(failed).section(TaskFile.ERROR)).contains(
                "535 for smtps://me:***@smtp.example.com with [redacted: configured-secret]");
        assertThat(Files.readString(failed)).doesNotContain(SMTP_PASSWORD);
    }

    @Test
    void anExecutorsRefusalIsWrittenInItsOwnWordsNotInThoseOfTheLibraryErrorItWraps() throws Exception {
        Vault vault = new Vault(dir);
        vault.init("local", false);
        Path task = vault.write(vault.inProgress("local"), TaskFile.create("EMAIL_2", "email_reply").withSection(TaskFile.DRAFT, "Hi"));
        Exception library = new jakarta.mail.MessagingException("STARTTLS is required but host does not support STARTTLS");

        new FailedTasks(vault, new AuditLog(vault.logs(), "local")).fail(task.toString(), new IllegalStateException("route failed",
                new com.digitalfte.execute.Executor.RefusedException("the SMTP server does not offer STARTTLS: use SMTP_SECURITY=ssl", library)));

        assertThat(vault.read(vault.file(Folder.FAILED, "EMAIL_2")).section(TaskFile.ERROR).orElseThrow())
                .contains("the SMTP server does not offer STARTTLS: use SMTP_SECURITY=ssl").doesNotContain("host does not support");
    }
}
