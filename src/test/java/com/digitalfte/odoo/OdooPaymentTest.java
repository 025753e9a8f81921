package com.digitalfte.odoo;

import static com.digitalfte.support.OdooTasks.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.execute.Ledger;
import com.digitalfte.support.OdooTasks;
import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A customer payment registered against a posted invoice through Odoo's wizard, over either API;
 * and never registered twice: an unknown outcome is uncertain, for the owner, and is not tried again.
 */
class OdooPaymentTest extends OdooAgentTests {

    static final String ID = "PAYMENT_kim_may";

    /** INV/2026/00001, 1,700.00 USD due, as id 101 of customer 100. */
    private void postedInvoice() {
        int kim = odoo.addPartner("Kim Lee", "kim@example.com");
        odoo.addInvoice(kim, "INVOICE_EMAIL_may", 17, 100, true);
    }

    private static TaskFile payment(String invoice) {
        TaskFile task = TaskFile.create(ID, "odoo_payment").with("invoice", invoice).with("amount", "700.00").with("payment_date", "2026-06-15");
        return task.withSection(TaskFile.DRAFT, Payment.of(task).draft());
    }

    private List<com.digitalfte.support.FakeOdoo.Call> agentCalls() {
        return modelCalls();
    }

    @ParameterizedTest
    @ValueSource(strings = {"json2", "xmlrpc"})
    void aPaymentIsRegisteredThroughTheWizardWithTheInvoiceInItsContext(String api) throws Exception {
        postedInvoice();
        try (TestAgent agent = TestAgent.start(env(api))) {
            OdooTasks.approve(vault, payment("INV/2026/00001"));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Done/" + ID + ".md")));
        }
        Map<String, Object> context = Map.of("active_model", "account.move", "active_ids", List.of(101));
        assertThat(agentCalls()).containsExactly(
                call(api, "account.move", "search_read", Map.of("domain", List.of(List.of("move_type", "=", "out_invoice"),
                                List.of("state", "=", "posted"), "|", List.of("name", "=", "INV/2026/00001"), List.of("ref", "=", "INV/2026/00001")),
                        "fields", List.of("id", "name", "amount_residual", "currency_id", "payment_state"), "limit", 1)),
                call(api, "account.payment.register", "create", Map.of("vals_list", List.of(Map.of("payment_date", "2026-06-15", "amount", 700.0)),
                        "context", context)),
                call(api, "account.payment.register", "action_create_payments", Map.of("ids", List.of(102), "context", context)),
                call(api, "account.move", "read", Map.of("ids", List.of(101), "fields", List.of("payment_state"))));
        assertThat(odoo.records("account.payment")).singleElement().satisfies(p -> assertThat(p).containsEntry("amount", 700.0));
        assertThat(vault.resolve("Done/" + ID + ".md")).content().contains("- invoice: INV/2026/00001", "- amount: 700.00",
                "- currency: USD", "- payment_id: 103", "- invoice_payment_state: partial");
        assertThat(Files.readString(vault.resolve("Logs/odoo_transactions.jsonl"))).contains("\"task_id\":\"" + ID + "\"", "\"payment_id\":\"103\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json2", "xmlrpc"})
    void aPaymentWhoseAnswerIsLostIsUncertainAndNeverRegisteredAgain(String api) throws Exception {
        postedInvoice();
        odoo.loseAnswerTo("account.payment.register", "action_create_payments");
        Path failed = vault.resolve("Failed/" + ID + ".md");
        try (TestAgent agent = TestAgent.start(env(api))) {
            // found by the invoice task's id, its ref, as well as by its number
            OdooTasks.approve(vault, payment("INVOICE_EMAIL_may"));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(failed));
            // retries would come within 100, 200, 400 ms: none does
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                    .until(() -> odoo.calls("account.payment.register", "action_create_payments").size() == 1);
        }
        TaskFile task = TaskFile.parse(Files.readString(failed));
        assertThat(task.getOrEmpty("uncertain")).isEqualTo("true");
        assertThat(task.section(TaskFile.ERROR).orElseThrow()).contains("HTTP 502 without an answer from Odoo",
                "It may have been done: check with the provider");
        assertThat(odoo.records("account.payment")).hasSize(1);
    }

    @Test
    void aRestartAfterThePaymentWasBegunIsUncertainWithoutAskingOdooToPayAgain() throws Exception {
        postedInvoice();
        Files.createDirectories(vault.resolve(".state"));
        try (Ledger ledger = new Ledger(vault.resolve(".state/ledger.jsonl"))) {
            ledger.intent(ID, "odoo_payment");
        }
        Files.createDirectories(vault.resolve("In_Progress/local"));
        Files.writeString(vault.resolve("In_Progress/local/" + ID + ".md"), payment("INV/2026/00001").render());
        try (TestAgent agent = TestAgent.start(env("json2"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Failed/" + ID + ".md")));
        }
        assertThat(TaskFile.parse(Files.readString(vault.resolve("Failed/" + ID + ".md"))).getOrEmpty("uncertain")).isEqualTo("true");
        assertThat(agentCalls()).noneMatch(c -> c.model().equals("account.payment.register"));
    }

    @Test
    void anInvoiceOdooDoesNotHaveIsRefusedAndNothingIsPaid() throws Exception {
        postedInvoice();
        try (TestAgent agent = TestAgent.start(env("json2"))) {
            OdooTasks.approve(vault, payment("INV/2026/09999"));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Failed/" + ID + ".md")));
        }
        TaskFile task = TaskFile.parse(Files.readString(vault.resolve("Failed/" + ID + ".md")));
        assertThat(task.section(TaskFile.ERROR).orElseThrow()).contains("Odoo has no posted customer invoice INV/2026/09999 (by number or by ref);"
                + " no payment was registered. Move this task back to Approved/ to try again.");
        assertThat(task.frontMatter()).doesNotContainKey("uncertain");
        assertThat(agentCalls()).noneMatch(c -> c.model().equals("account.payment.register"));
    }
}
