package com.digitalfte.draft;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.LocalClaimService;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
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

    /** The owner's handbook as shipped: its own {@code subject: invoice => odoo_invoice} rule. */
    private Vault vaultWithTheStockHandbook() throws Exception {
        Vault vault = new Vault(dir);
        vault.init("cloud", false);
        Files.copy(Path.of("vault/Company_Handbook.md"), dir.resolve("Company_Handbook.md"));
        return vault;
    }

    private DraftService drafting(Vault vault) {
        return new DraftService(vault, new LocalClaimService(vault, "cloud"), new TemplateDrafter(), new AuditLog(vault.logs(), "cloud"), "cloud");
    }

    @Test
    void aDraftTooLongForItsChannelIsFlaggedAndAModelIsToldTheChannelsLimit() throws Exception {
        Vault vault = new Vault(dir);
        vault.init("cloud", false);
        Drafter verbose = new Drafter() {
            @Override
            public String name() {
                return "verbose";
            }

            @Override
            public String draft(TaskFile task, Handbook handbook) {
                return "Thanks! ".repeat(40);
            }
        };
        DraftService drafting = new DraftService(vault, new LocalClaimService(vault, "cloud"), verbose, new AuditLog(vault.logs(), "cloud"), "cloud");
        vault.write(vault.folder(Folder.NEEDS_ACTION), TaskFile.create("X_1", "x_reply").with("from", "ada"));
        vault.write(vault.folder(Folder.NEEDS_ACTION), TaskFile.create("EMAIL_1", "email_reply").with("from", "eve@example.com"));
        workOffTheQueue(vault, drafting);

        assertThat(vault.read(vault.file(Folder.UPDATES, "X_1")).getOrEmpty("draft_warning")).contains("320 characters", "X takes at most 280");
        assertThat(vault.read(vault.file(Folder.UPDATES, "EMAIL_1")).get("draft_warning")).isEmpty();
        // the template drafter's own X reply fits
        assertThat(com.digitalfte.channel.x.XText.length(new TemplateDrafter().draft(TaskFile.create("X_2", "x_reply"), null)))
                .isLessThanOrEqualTo(280);
        // a model is told the limit, as X counts it
        LlmDrafter llm = new LlmDrafter(null, "m", new Examples(vault.folder(Folder.DONE), 0));
        assertThat(llm.messages(TaskFile.create("X_3", "x_reply"), new Handbook("")).toString())
                .contains("at most 280 characters as X counts them");
        assertThat(llm.messages(TaskFile.create("EMAIL_3", "email_reply"), new Handbook("")).toString()).doesNotContain("at most");
    }

    /** Drafts whatever is in Needs_Action/ until nothing new appears there, as the agent's claim route would. */
    private static void workOffTheQueue(Vault vault, DraftService drafting) throws Exception {
        for (int round = 0; round < 20; round++) {
            List<String> queued = names(vault.folder(Folder.NEEDS_ACTION));
            if (queued.isEmpty()) {
                return;
            }
            for (String name : queued) {
                drafting.draft(drafting.claim(name));
            }
        }
    }

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".md")).sorted().toList();
        }
    }

    private static List<String> everyFile(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .filter(p -> !p.startsWith(".state") && !p.startsWith("Logs")).sorted().toList();
        }
    }

    @Test
    void anInvoiceEmailGivesOnePlanOneReplyAndOneInvoiceTaskWithTheStockHandbook() throws Exception {
        Vault vault = vaultWithTheStockHandbook();
        DraftService drafting = drafting(vault);
        vault.write(vault.folder(Folder.NEEDS_ACTION), TaskFile.create("EMAIL_may", "email_reply").with("from", "Kim <kim@example.com>")
                .with("subject", "Invoice for May").withSection(TaskFile.ORIGINAL, "Please send me the invoice for May."));

        workOffTheQueue(vault, drafting);

        assertThat(names(dir.resolve("Plans"))).containsExactly("PLAN_EMAIL_may.md");
        assertThat(names(vault.folder(Folder.UPDATES))).containsExactly("EMAIL_may.md", "INVOICE_EMAIL_may.md");
        assertThat(names(vault.folder(Folder.NEEDS_ACTION))).isEmpty();
        assertThat(everyFile(dir)).noneMatch(p -> p.contains("INVOICE_INVOICE"));
        TaskFile step = vault.read(vault.file(Folder.UPDATES, "INVOICE_EMAIL_may"));
        assertThat(step.type()).isEqualTo("odoo_invoice");
        assertThat(step.getOrEmpty("plan_of")).isEqualTo("EMAIL_may");
        assertThat(step.frontMatter()).doesNotContainKeys("plan", "triage");
        assertThat(step.section(TaskFile.DRAFT)).isPresent();
    }

    @Test
    void aRedraftOfTheSameMessageKeepsItsPlanAndMakesNoSecondStep() throws Exception {
        Vault vault = vaultWithTheStockHandbook();
        DraftService drafting = drafting(vault);
        vault.write(vault.folder(Folder.NEEDS_ACTION), TaskFile.create("EMAIL_may", "email_reply").with("from", "kim@example.com")
                .with("subject", "Invoice for May"));
        workOffTheQueue(vault, drafting);
        Path plan = dir.resolve("Plans/PLAN_EMAIL_may.md");
        // the owner ticks the first box and sends the invoice; then the reply comes back to the queue (a claim returned after a crash)
        Files.writeString(plan, Files.readString(plan).replaceFirst("- \\[ \\] Approve the reply", "- [x] Approve the reply"));
        String ticked = Files.readString(plan);
        vault.move(vault.file(Folder.UPDATES, "INVOICE_EMAIL_may"), vault.folder(Folder.DONE));
        Files.delete(vault.file(Folder.DONE, "INVOICE_EMAIL_may"));
        vault.move(vault.file(Folder.UPDATES, "EMAIL_may"), vault.folder(Folder.NEEDS_ACTION));

        workOffTheQueue(vault, drafting);

        assertThat(plan).hasContent(ticked.strip());
        assertThat(names(dir.resolve("Plans"))).containsExactly("PLAN_EMAIL_may.md");
        assertThat(everyFile(dir)).filteredOn(p -> p.contains("INVOICE_")).isEmpty();
        assertThat(vault.read(vault.file(Folder.UPDATES, "EMAIL_may")).getOrEmpty("plan")).isEqualTo("Plans/PLAN_EMAIL_may.md");
    }

    @Test
    void anUrgentInvoiceIsUrgentAndPlannedAndItsStepIsUrgentToo() throws Exception {
        Vault vault = vaultWithTheStockHandbook();
        DraftService drafting = drafting(vault);
        vault.write(vault.folder(Folder.NEEDS_ACTION), TaskFile.create("EMAIL_now", "email_reply").with("from", "kim@example.com")
                .with("subject", "URGENT: invoice for May"));

        workOffTheQueue(vault, drafting);

        TaskFile reply = vault.read(vault.file(Folder.UPDATES, "EMAIL_now"));
        assertThat(reply.getOrEmpty("priority")).isEqualTo("urgent");
        assertThat(reply.getOrEmpty("plan")).isEqualTo("Plans/PLAN_EMAIL_now.md");
        assertThat(vault.read(vault.file(Folder.UPDATES, "INVOICE_EMAIL_now")).getOrEmpty("priority")).isEqualTo("urgent");
        assertThat(names(vault.folder(Folder.UPDATES))).containsExactly("EMAIL_now.md", "INVOICE_EMAIL_now.md");
    }

    @Test
    void anInvoiceTaskTheOwnerDropsInIsNeverGivenAnInvoiceStepOfItsOwn() throws Exception {
        Vault vault = vaultWithTheStockHandbook();
        DraftService drafting = drafting(vault);
        vault.write(vault.folder(Folder.NEEDS_ACTION), TaskFile.create("INVOICE_kim_may", "odoo_invoice").with("from", "kim@example.com")
                .with("subject", "Invoice for May"));
        vault.write(vault.folder(Folder.NEEDS_ACTION), TaskFile.create("INVOICE_lee", "email_reply").with("from", "lee@example.com")
                .with("subject", "Your invoice"));

        workOffTheQueue(vault, drafting);

        assertThat(everyFile(dir)).noneMatch(p -> p.contains("INVOICE_INVOICE"));
        assertThat(names(vault.folder(Folder.UPDATES))).containsExactly("INVOICE_kim_may.md", "INVOICE_lee.md");
    }
}
