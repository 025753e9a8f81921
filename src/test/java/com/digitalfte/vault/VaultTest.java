package com.digitalfte.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.FileForces;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultTest {

    @TempDir
    Path dir;

    @Test
    void firstStartCreatesEveryFolderTheGitignoreAndTheOwnersFiles() {
        Vault vault = new Vault(dir);
        vault.init("local", true);
        for (Folder f : Folder.values()) {
            assertThat(vault.folder(f)).isDirectory();
        }
        assertThat(vault.inProgress("local")).isDirectory();
        assertThat(vault.heartbeats()).isDirectory();
        assertThat(dir.resolve(".gitignore")).content().contains(".env", ".state/", "Logs/", "*_token.json");
        assertThat(dir.resolve("Company_Handbook.md")).content().contains("## Holding reply");
        assertThat(dir.resolve("Accounting/Rates.md")).exists();
    }

    @Test
    void theCloudSeedsNoOwnerFiles() {
        Vault vault = new Vault(dir);
        vault.init("cloud", false);
        assertThat(dir.resolve("Company_Handbook.md")).doesNotExist();
        assertThat(dir.resolve("Dashboard.md")).doesNotExist();
    }

    @Test
    void writesAreAtomicAndLeaveNoTemporaryFileInTheFolders() throws Exception {
        Vault vault = new Vault(dir);
        vault.init("cloud", false);
        TaskFile task = TaskFile.create("EMAIL_1", "email_reply").withSection(TaskFile.ORIGINAL, "hi");
        Path written = vault.write(vault.folder(Folder.NEEDS_ACTION), task);
        assertThat(written).hasFileName("EMAIL_1.md");
        try (var files = Files.list(vault.folder(Folder.NEEDS_ACTION))) {
            assertThat(files).containsExactly(written);
        }
        assertThat(vault.locate("EMAIL_1")).containsExactly(written);
        assertThat(vault.contains("EMAIL_2")).isFalse();
    }

    @Test
    void anUnreadableFileGoesToFailedWithItsTextAndTheReason() throws Exception {
        Vault vault = new Vault(dir);
        vault.init("local", false);
        Path bad = vault.folder(Folder.APPROVED).resolve("NOTES.md");
        Files.writeString(bad, "my own notes, no front matter\n");
        Path failed = vault.fail(bad, "no front matter");
        assertThat(bad).doesNotExist();
        assertThat(failed).content().startsWith("my own notes, no front matter\n").contains("## Error", "no front matter");
    }

    @Test
    void aFailedTaskKeepsItsFieldsAndGetsAnErrorSection() throws Exception {
        Vault vault = new Vault(dir);
        vault.init("local", false);
        Path file = vault.write(vault.inProgress("local"), TaskFile.create("EMAIL_3", "email_reply").withSection(TaskFile.DRAFT, "Hello"));
        Path failed = vault.fail(file, "SMTP refused the login");
        TaskFile back = vault.read(failed);
        assertThat(back.section(TaskFile.DRAFT)).contains("Hello");
        assertThat(back.section(TaskFile.ERROR)).contains("SMTP refused the login");
    }

    @Test
    void nonUtf8AndHugeFilesAreRefusedWithAReason() throws Exception {
        Path binary = dir.resolve("bin.md");
        Files.write(binary, new byte[] {'-', '-', '-', '\n', (byte) 0xC3, (byte) 0x28});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Vault.readText(binary))
                .isInstanceOf(TaskFormatException.class).hasMessageContaining("not UTF-8");
        Path huge = dir.resolve("huge.md");
        Files.write(huge, "x".repeat((int) Vault.MAX_TASK_BYTES + 1).getBytes(StandardCharsets.UTF_8));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Vault.readText(huge))
                .isInstanceOf(TaskFormatException.class).hasMessageContaining("at most");
    }

    @Test
    void aTaskWrittenOrMovedIsOnDiskWithItsFolderWhenTheCallReturns() throws Exception {
        Vault vault = new Vault(dir);
        vault.init("cloud", false);
        try (FileForces forces = FileForces.record()) {
            Path task = vault.write(vault.folder(Folder.NEEDS_ACTION), TaskFile.create("EMAIL_4", "email_reply"));
            Path claimed = vault.move(task, vault.inProgress("cloud"));
            vault.rewriteAndMove(claimed, TaskFile.create("EMAIL_4", "email_reply").withSection(TaskFile.DRAFT, "Hi"), vault.folder(Folder.UPDATES));
            // a write: the content before the rename that names it, then the folder that holds the new name;
            // a move: the folder it went to, then the one it left
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(forces.under(dir).stream()
                    .map(p -> p.replaceAll("\\.[0-9a-f-]{36}\\.tmp$", ".tmp"))).containsExactly(
                    ".state/tmp/EMAIL_4.md.tmp", "Needs_Action",
                    "In_Progress/cloud", "Needs_Action",
                    ".state/tmp/EMAIL_4.md.tmp", "In_Progress/cloud", "Updates", "In_Progress/cloud"));
        }
        assertThat(vault.locate("EMAIL_4")).containsExactly(vault.file(Folder.UPDATES, "EMAIL_4"));
    }
}
