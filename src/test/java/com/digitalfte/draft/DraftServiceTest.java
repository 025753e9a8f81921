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

    @Test
    void theHandbooksTriageIgnoresMarksUrgentAndPlans() throws Exception {
        Vault vault = new Vault(dir);
        vault.init("cloud", false);
        Files.writeString(dir.resolve("Company_Handbook.md"), """
                # Handbook
                ## Ignore
                - from: *@news.example.com
                - subject: unsubscribe
                ## Urgent
                - from: boss@client.example
                ## Needs a plan
                - subject: invoice => odoo_invoice
                """);
        DraftService drafting = new DraftService(vault, new LocalClaimService(vault, "cloud"), new TemplateDrafter(),
                new AuditLog(vault.logs(), "cloud"), "cloud");
        vault.write(vault.folder(Folder.NEEDS_ACTION), TaskFile.create("EMAIL_news", "email_reply").with("from", "Weekly <deals@news.example.com>").with("subject", "Deals"));
        vault.write(vault.folder(Folder.NEEDS_ACTION), TaskFile.create("EMAIL_boss", "email_reply").with("from", "Boss <boss@client.example>").with("subject", "Call me"));
        vault.write(vault.folder(Folder.NEEDS_ACTION), TaskFile.create("EMAIL_inv", "email_reply").with("from", "kim@example.com").with("subject", "Please send the Invoice for May"));
        vault.write(vault.folder(Folder.NEEDS_ACTION), TaskFile.create("EMAIL_plain", "email_reply").with("from", "lee@example.com").with("subject", "Hello"));
        for (String id : new String[] {"EMAIL_news", "EMAIL_boss", "EMAIL_inv", "EMAIL_plain"}) {
            drafting.draft(drafting.claim(id + ".md"));
        }
        assertThat(vault.read(vault.file(Folder.REJECTED, "EMAIL_news")).getOrEmpty("triage")).isEqualTo("ignored (from: *@news.example.com)");
        assertThat(vault.read(vault.file(Folder.REJECTED, "EMAIL_news")).section(TaskFile.DRAFT)).isEmpty();
        assertThat(vault.read(vault.file(Folder.UPDATES, "EMAIL_boss")).getOrEmpty("priority")).isEqualTo("urgent");
        TaskFile invoice = vault.read(vault.file(Folder.UPDATES, "EMAIL_inv"));
        assertThat(invoice.getOrEmpty("plan")).isEqualTo("Plans/PLAN_EMAIL_inv.md");
        assertThat(dir.resolve("Plans/PLAN_EMAIL_inv.md")).content()
                .contains("- [ ] Approve the reply", "- [ ] Approve task `INVOICE_EMAIL_inv`", "invoice", "kim@example.com");
        TaskFile step = vault.read(vault.file(Folder.NEEDS_ACTION, "INVOICE_EMAIL_inv"));
        assertThat(step.type()).isEqualTo("odoo_invoice");
        assertThat(step.getOrEmpty("plan_of")).isEqualTo("EMAIL_inv");
        assertThat(vault.read(vault.file(Folder.UPDATES, "EMAIL_plain")).frontMatter()).doesNotContainKeys("triage", "priority", "plan");
    }
}
