package com.digitalfte.odoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.FakeOdoo;
import com.digitalfte.support.FakeOdoo.Raised;
import com.digitalfte.support.OdooTasks;
import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Odoo's refusals over either API land in Failed/ with Odoo's own message (never its traceback),
 * nothing is posted, and the ledger says not sent, so moving the task back tries it afresh.
 */
class OdooFaultsTest extends OdooAgentTests {

    static final String ID = "INVOICE_EMAIL_may";
    static final String WRONG_KEY = "not-the-key-of-the-bot-123456";

    static Stream<Arguments> faults() {
        Consumer<FakeOdoo> none = o -> { };
        Stream.Builder<Arguments> cases = Stream.builder();
        for (String api : new String[] {"json2", "xmlrpc"}) {
            cases.add(Arguments.of("access denied", api, (Consumer<FakeOdoo>) o -> o.failOn("account.move", "create", Raised.ACCESS_ERROR,
                    "You are not allowed to create 'Journal Entry' (account.move) records.\n\nThis operation is allowed for the following groups:\n"
                            + "\t- Accounting/Billing"), "USD", "", "Odoo refused to create the invoice: You are not allowed to create 'Journal Entry'"
                            + " (account.move) records."));
            cases.add(Arguments.of("a validation error", api, (Consumer<FakeOdoo>) o -> o.failOn("account.move", "action_post", Raised.VALIDATION_ERROR,
                    "The field 'Customer' is required, please complete it to validate the Customer Invoice."), "USD", "",
                    "Odoo refused to post the invoice created as draft 101: The field 'Customer' is required, please complete it to validate the"
                            + " Customer Invoice. The draft stays in Odoo"));
            cases.add(Arguments.of("an unknown partner", api, (Consumer<FakeOdoo>) o -> o.failOn("account.move", "create", Raised.MISSING_ERROR,
                    "Record does not exist or has been deleted.\n(Record: res.partner(100,), User: 7)"), "USD", "",
                    "Odoo refused to create the invoice: Record does not exist or has been deleted.\n(Record: res.partner(100,), User: 7)"));
            cases.add(Arguments.of("an unknown currency", api, none, "XYZ", "", "Odoo has no active currency XYZ: activate it in Odoo"));
            cases.add(Arguments.of("a wrong key", api, none, "USD", WRONG_KEY, api.equals("json2")
                    ? "Odoo refused to look up the invoice by its reference " + ID + ": Invalid apikey (check ODOO_USER and ODOO_API_KEY"
                    : "Odoo refused to look up the invoice by its reference " + ID + ": Odoo did not accept the login 'bot@example.com' on database"
                            + " 'books': check ODOO_USER and ODOO_API_KEY (or ODOO_PASSWORD)"));
            cases.add(Arguments.of("an error inside Odoo", api, (Consumer<FakeOdoo>) o -> o.failOn("account.move", "create", Raised.SERVER_ERROR,
                    "'invoice_line_ids'"), "USD", "", "Odoo refused to create the invoice: KeyError: 'invoice_line_ids'"));
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("faults")
    void odoosRefusalLandsInFailedWithOdoosMessage(String fault, String api, Consumer<FakeOdoo> setUp, String currency, String key,
                                                    String expected) throws Exception {
        setUp.accept(odoo);
        Map<String, String> env = env(api);
        if (!key.isEmpty()) {
            env.put("ODOO_API_KEY", key);
        }
        Path failed = vault.resolve("Failed/" + ID + ".md");
        try (TestAgent agent = TestAgent.start(env)) {
            OdooTasks.approve(vault, OdooTasks.invoiceTask(ID, OdooTasks.may(currency)));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(failed));
        }
        TaskFile task = TaskFile.parse(Files.readString(failed));
        assertThat(task.section(TaskFile.ERROR).orElseThrow()).contains(expected).doesNotContain("Traceback", "odoo/http.py");
        assertThat(task.frontMatter()).doesNotContainKey("uncertain");
        assertThat(odoo.records("account.move")).noneMatch(m -> "posted".equals(m.get("state")));
        assertThat(vault.resolve("Done/" + ID + ".md")).doesNotExist();
        assertThat(Files.readString(vault.resolve(".state/ledger.jsonl"))).contains("\"state\":\"not_sent\"");
        assertThat(Files.readString(failed)).doesNotContain(FakeOdoo.API_KEY, WRONG_KEY);
    }

    @Test
    void aDraftOdooRefusedToPostIsPostedOnceTheOwnerMovesTheTaskBack() throws Exception {
        odoo.failOn("account.move", "action_post", Raised.VALIDATION_ERROR, "The field 'Customer' is required.");
        try (TestAgent agent = TestAgent.start(env("xmlrpc"))) {
            OdooTasks.approve(vault, OdooTasks.invoiceTask(ID, OdooTasks.may("USD")));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Failed/" + ID + ".md")));
            // the owner fixes it in Odoo, then moves the task back
            odoo.clearFaults();
            Files.move(vault.resolve("Failed/" + ID + ".md"), vault.resolve("Approved/" + ID + ".md"));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Done/" + ID + ".md")));
        }
        assertThat(odoo.calls("account.move", "create")).hasSize(1);
        assertThat(odoo.records("account.move")).singleElement().satisfies(m -> assertThat(m).containsEntry("state", "posted"));
        assertThat(vault.resolve("Done/" + ID + ".md")).content().contains("- note: an earlier try had created it; posted now");
    }

    @Test
    void anInvoiceWithAnUnknownLeftOrATableThatDisagreesIsRefusedAtApprovalAndOdooIsNotAsked() throws Exception {
        Invoice unknown = new Invoice(null, "kim@example.com", "USD", java.time.LocalDate.of(2026, 5, 31), null, null, OdooTasks.may("USD").lines());
        TaskFile edited = OdooTasks.invoiceTask("INVOICE_edited", OdooTasks.may("USD"));
        // the owner changed the quantity in the front matter, not in the table
        edited = TaskFile.parse(edited.render().replace("quantity: 12", "quantity: 10"));
        try (TestAgent agent = TestAgent.start(env("json2"))) {
            OdooTasks.approve(vault, OdooTasks.invoiceTask("INVOICE_unknown", unknown));
            OdooTasks.approve(vault, edited);
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Failed/INVOICE_unknown.md"))
                    && Files.exists(vault.resolve("Failed/INVOICE_edited.md")));
        }
        assertThat(TaskFile.parse(Files.readString(vault.resolve("Failed/INVOICE_unknown.md"))).section(TaskFile.ERROR).orElseThrow())
                .contains("the invoice cannot be posted yet: fill in customer; fill in due_date. Fill it in (the front matter is what is posted)");
        assertThat(TaskFile.parse(Files.readString(vault.resolve("Failed/INVOICE_edited.md"))).section(TaskFile.ERROR).orElseThrow())
                .contains("the ## Draft table and the front matter disagree: line 1 quantity is 12 in the table, 10 in the front matter",
                        "make the table say the same (this one does)", "| 1 | Consulting | 10 | 100.00 | 1,000.00 |");
        assertThat(modelCalls()).isEmpty();
    }
}
