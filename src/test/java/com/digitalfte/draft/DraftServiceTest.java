package com.digitalfte.draft;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.LocalClaimService;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DraftServiceTest {

    @TempDir
    Path dir;

    @Test
    void aRestartDraftsWhatWasClaimedBeforeItAndOnlyThat() throws Exception {
        Vault vault = new Vault(dir);
        vault.init("cloud", false);
        vault.write(vault.inProgress("cloud"), TaskFile.create("EMAIL_left", "email_reply").with("from", "eve@example.com"));
        vault.write(vault.inProgress("cloud"), TaskFile.create("EMAIL_done", "email_reply").withSection(TaskFile.DRAFT, "already"));
        DraftService drafting = new DraftService(vault, new LocalClaimService(vault, "cloud"), new TemplateDrafter(),
                new AuditLog(vault.logs(), "cloud"), "cloud");

        vault.write(vault.folder(Folder.NEEDS_ACTION), TaskFile.create("EMAIL_new", "email_reply"));
        String claimed = drafting.claim("EMAIL_new.md");
        assertThat(claimed).endsWith("In_Progress/cloud/EMAIL_new.md");

        assertThat(drafting.unfinishedClaims()).singleElement().satisfies(p -> assertThat(p).endsWith("EMAIL_left.md"));
        assertThat(drafting.unfinishedClaims()).isEmpty();
        drafting.draft(vault.inProgress("cloud").resolve("EMAIL_left.md").toString());
        TaskFile drafted = vault.read(vault.file(Folder.UPDATES, "EMAIL_left"));
        assertThat(drafted.getOrEmpty("drafted_on")).isEqualTo("cloud");
        assertThat(drafted.section(TaskFile.DRAFT)).hasValueSatisfying(d -> assertThat(d).startsWith("Hello Eve,"));
        assertThat(Files.exists(vault.inProgress("cloud").resolve("EMAIL_left.md"))).isFalse();
    }
}
