package com.digitalfte.draft;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.odoo.Amounts;
import com.digitalfte.odoo.Invoice;
import com.digitalfte.odoo.InvoiceTable;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.LocalClaimService;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan's invoice step drafted from its message and the stock Accounting/Rates.md, by the template
 * drafter and by a model: priced from the rates only, with unknowns left as "?" for the owner.
 */
class InvoiceDraftingTest {

    @TempDir
    Path dir;

    private Vault stockVault() throws Exception {
        Vault vault = new Vault(dir);
        vault.init("cloud", false);
        Files.copy(Path.of("vault/Company_Handbook.md"), dir.resolve("Company_Handbook.md"));
        Files.createDirectories(dir.resolve("Accounting"));
        Files.copy(Path.of("vault/Accounting/Rates.md"), dir.resolve("Accounting/Rates.md"));
        return vault;
    }

    private static TaskFile email(String from, String body) {
        return TaskFile.create("EMAIL_may", "email_reply").with("channel", "imap").with("from", from).with("subject", "Invoice for May")
                .withSection(TaskFile.ORIGINAL, body);
    }

    /** Drafts the message, then its invoice step, as the claim route would; the step as drafted. */
    private static TaskFile draftedStep(Vault vault, Drafter drafter, TaskFile email) throws Exception {
        DraftService drafting = new DraftService(vault, new LocalClaimService(vault, "cloud"), drafter, new AuditLog(vault.logs(), "cloud"), "cloud");
        vault.write(vault.folder(Folder.NEEDS_ACTION), email);
        drafting.draft(drafting.claim("EMAIL_may.md"));
        drafting.draft(drafting.claim("INVOICE_EMAIL_may.md"));
        return vault.read(vault.file(Folder.UPDATES, "INVOICE_EMAIL_may"));
    }

    @Test
    void theTemplateDrafterPricesTheServicesTheMessageNamesFromTheRates() throws Exception {
        TaskFile step = draftedStep(stockVault(), new TemplateDrafter(), email("Kim Lee <kim@example.com>",
                "Hello, please send me the invoice for the 12 hours of consulting in May, and for the project setup."));
        Invoice invoice = Invoice.of(step);
        assertThat(invoice.problems()).isEmpty();
        assertThat(invoice.customer()).isEqualTo("Kim Lee");
        assertThat(invoice.customerEmail()).isEqualTo("kim@example.com");
        assertThat(invoice.currency()).isEqualTo("USD");
        assertThat(invoice.invoiceDate()).isEqualTo(LocalDate.now());
        assertThat(invoice.dueDate()).isEqualTo(LocalDate.now().plusDays(30));
        assertThat(invoice.lines()).extracting(Invoice.Line::description, l -> l.quantity().toPlainString(), l -> Amounts.price(l.unitPrice()))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Consulting", "12", "100.00"),
                        org.assertj.core.groups.Tuple.tuple("Project setup", "1", "500.00"));
        String draft = step.section(TaskFile.DRAFT).orElseThrow();
        assertThat(draft).contains("| 1 | Consulting | 12 | 100.00 | 1,200.00 |", "| 2 | Project setup | 1 | 500.00 | 500.00 |",
                "**1,700.00 USD**");
        assertThat(InvoiceTable.disagreement(invoice, draft)).isEmpty();
        // a step is its type's own work: it does not carry the message's channel to an executor of that channel
        assertThat(step.frontMatter()).doesNotContainKey("channel").containsEntry("plan_of", "EMAIL_may");
    }

    @Test
    void whatTheMessageDoesNotSayIsLeftForTheOwnerToFillIn() throws Exception {
        TaskFile step = draftedStep(stockVault(), new TemplateDrafter(), email("kim@example.com", "Could you send me the invoice for May?"));
        assertThat(Invoice.of(step).problems()).containsExactly("fill in customer", "fill in lines[1].description", "fill in lines[1].quantity",
                "fill in lines[1].unit_price");
        assertThat(step.section(TaskFile.DRAFT).orElseThrow()).contains("**Invoice** to **?** <kim@example.com>",
                "| 1 | **?** | **?** | **?** | **?** |", "**Before you approve:** fill in customer;");
    }

    @Test
    void anHourlyServiceNamedWithoutItsHoursIsPricedAndItsQuantityAskedFor() throws Exception {
        TaskFile step = draftedStep(stockVault(), new TemplateDrafter(), email("Kim <kim@example.com>", "Please bill the consulting, thanks."));
        assertThat(Invoice.of(step).lines()).singleElement().satisfies(l -> {
            assertThat(l.description()).isEqualTo("Consulting");
            assertThat(l.unitPrice()).isEqualByComparingTo("100");
            assertThat(l.quantity()).isNull();
        });
        assertThat(Invoice.of(step).problems()).containsExactly("fill in lines[1].quantity");
    }

    @Test
    void anInvoiceTheOwnerWroteKeepsWhatTheOwnerWrote() throws Exception {
        Vault vault = stockVault();
        TaskFile owners = TaskFile.create("INVOICE_acme", Invoice.TYPE).with("from", "ops@acme.example").with("subject", "Retainer")
                .with("customer", "Acme Ltd").with("currency", "EUR").with("invoice_date", "2026-06-01").with("due_date", "2026-06-15")
                .with("lines", List.of(java.util.Map.of("description", "Retainer, June", "quantity", 1, "unit_price", "2 500,00")));
        vault.write(vault.folder(Folder.NEEDS_ACTION), owners);
        DraftService drafting = new DraftService(vault, new LocalClaimService(vault, "cloud"), new TemplateDrafter(), new AuditLog(vault.logs(), "cloud"), "cloud");
        drafting.draft(drafting.claim("INVOICE_acme.md"));
        TaskFile drafted = vault.read(vault.file(Folder.UPDATES, "INVOICE_acme"));
        Invoice invoice = Invoice.of(drafted);
        assertThat(invoice.customer()).isEqualTo("Acme Ltd");
        assertThat(invoice.currency()).isEqualTo("EUR");
        assertThat(invoice.lines()).singleElement().satisfies(l -> assertThat(l.unitPrice()).isEqualByComparingTo("2500"));
        assertThat(drafted.section(TaskFile.DRAFT).orElseThrow()).contains("| 1 | Retainer, June | 1 | 2,500.00 | 2,500.00 |");
    }

    @Test
    void aModelSaysWhichServicesAndHowManyAndTheRatesSayThePrice() throws Exception {
        List<List<ChatMessage>> asked = new ArrayList<>();
        ChatModel model = new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                asked.add(request.messages());
                return ChatResponse.builder().aiMessage(AiMessage.from("""
                        ```json
                        {"customer": "Acme Ltd", "reference": "PO 4711", "lines": [
                          {"service": "consulting", "description": "Consulting, May 2026", "quantity": 12, "unit_price": 1},
                          {"service": "Training", "description": "Training day", "quantity": 2}]}
                        ```""")).build();
            }
        };
        TaskFile step = draftedStep(stockVault(), new LlmDrafter(model, "test-model", new Examples(dir.resolve("Done"), 0)), email("Kim Lee <kim@example.com>", "Invoice Acme for 12 hours of consulting and two training days, PO 4711."));
        Invoice invoice = Invoice.of(step);
        assertThat(invoice.customer()).isEqualTo("Acme Ltd");
        assertThat(invoice.reference()).isEqualTo("PO 4711");
        assertThat(invoice.lines().get(0)).satisfies(l -> {
            assertThat(l.description()).isEqualTo("Consulting, May 2026");
            assertThat(l.unitPrice()).isEqualByComparingTo("100.00");
        });
        assertThat(invoice.lines().get(1).unitPrice()).as("Training is not in the rates: no price is invented").isNull();
        assertThat(invoice.problems()).containsExactly("fill in lines[2].unit_price");
        assertThat(asked).last().satisfies(messages -> assertThat(messages.get(0).toString()).contains("- Consulting (per hour)",
                "- Project setup (per fixed)", "Never write prices"));
    }
}
