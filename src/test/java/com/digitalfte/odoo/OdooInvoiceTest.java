package com.digitalfte.odoo;

import static com.digitalfte.support.OdooTasks.MOVE_FIELDS;
import static com.digitalfte.support.OdooTasks.call;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.audit.JsonLines;
import com.digitalfte.execute.Ledger;
import com.digitalfte.support.FakeOdoo;
import com.digitalfte.support.OdooTasks;
import com.digitalfte.support.TestAgent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An approved invoice through a whole local agent to a small Odoo, over JSON-2 (WireMock) and over
 * XML-RPC (apache-xmlrpc's server): the same calls with the same arguments either way, posted once,
 * recorded in Done/, Logs/odoo_transactions.jsonl and on the Dashboard.
 */
class OdooInvoiceTest extends OdooAgentTests {

    static final String ID = "INVOICE_EMAIL_may";

    @ParameterizedTest
    @ValueSource(strings = {"json2", "xmlrpc"})
    void anApprovedInvoiceFindsOrMakesTheCustomerThenCreatesAndPostsTheMoveOnce(String api) throws Exception {
        try (TestAgent agent = TestAgent.start(env(api))) {
            OdooTasks.approve(vault, OdooTasks.invoiceTask(ID, OdooTasks.may("USD")));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Done/" + ID + ".md")));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(vault.resolve("Dashboard.md")).content()
                    .contains("| Odoo | odoo 19.0 (" + api + ") |", "account.move/read: ok | reachable |",
                            "- Invoices posted this week (since Monday): 1, 1,700.00 USD"));
        }
        Map<String, Object> move = Map.of("move_type", "out_invoice", "partner_id", 100, "invoice_date", "2026-05-31",
                "invoice_date_due", "2026-06-30", "currency_id", 2, "ref", ID, "invoice_line_ids", List.of(
                        List.of(0, 0, Map.of("name", "Consulting", "quantity", 12.0, "price_unit", 100.0)),
                        List.of(0, 0, Map.of("name", "Project setup", "quantity", 1.0, "price_unit", 500.0))));
        assertThat(modelCalls()).containsExactly(
                call(api, "account.move", "search_read", Map.of("domain", List.of(List.of("ref", "=", ID), List.of("move_type", "=", "out_invoice")),
                        "fields", MOVE_FIELDS)),
                call(api, "res.partner", "search_read", Map.of("domain", List.of(List.of("email", "=ilike", "kim@example.com")),
                        "fields", List.of("id"), "limit", 1)),
                call(api, "res.partner", "search_read", Map.of("domain", List.of(List.of("name", "=ilike", "Kim Lee")), "fields", List.of("id"),
                        "limit", 1)),
                call(api, "res.partner", "create", Map.of("vals_list", List.of(Map.of("name", "Kim Lee", "email", "kim@example.com")))),
                call(api, "res.currency", "search_read", Map.of("domain", List.of(List.of("name", "=", "USD")), "fields", List.of("id"), "limit", 1)),
                call(api, "account.move", "create", Map.of("vals_list", List.of(move))),
                call(api, "account.move", "action_post", Map.of("ids", List.of(101))),
                call(api, "account.move", "read", Map.of("ids", List.of(101), "fields", MOVE_FIELDS)));
        if (api.equals("xmlrpc")) {
            assertThat(odoo.calls("common", "authenticate")).singleElement().isEqualTo(call("xmlrpc", "common", "authenticate",
                    Map.of("db", FakeOdoo.DB, "login", FakeOdoo.LOGIN, "password", FakeOdoo.API_KEY)));
        } else {
            List<LoggedRequest> requests = json2.findAll(postRequestedFor(urlMatching("/json/2/.*")));
            assertThat(requests).extracting(LoggedRequest::getUrl).containsSubsequence("/json/2/account.move/search_read",
                    "/json/2/res.partner/create", "/json/2/account.move/create", "/json/2/account.move/action_post", "/json/2/account.move/read");
            assertThat(requests).allSatisfy(r -> {
                assertThat(r.getHeader("Authorization")).isEqualTo("bearer " + FakeOdoo.API_KEY);
                assertThat(r.getHeader("X-Odoo-Database")).isEqualTo(FakeOdoo.DB);
                assertThat(r.getHeader("Content-Type")).startsWith("application/json");
            });
        }
        assertThat(odoo.records("account.move")).singleElement().satisfies(m -> assertThat(m)
                .containsEntry("state", "posted").containsEntry("name", "INV/2026/00001").containsEntry("ref", ID));
        assertThat(vault.resolve("Done/" + ID + ".md")).content().contains("- odoo_id: 101", "- number: INV/2026/00001", "- total: 1700.00",
                "- currency: USD", "- partner: Kim Lee", "- state: posted", "- odoo_api: " + api, "- draft_sha256: ");
        assertThat(JsonLines.tail(vault.resolve("Logs/odoo_transactions.jsonl"), 10)).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("task_id", ID).containsEntry("type", "odoo_invoice").containsEntry("number", "INV/2026/00001")
                .containsEntry("total", "1700.00").containsEntry("provider_id", "101"));
        assertThat(Files.readString(vault.resolve("Done/" + ID + ".md"))).doesNotContain(FakeOdoo.API_KEY);
    }

    @Test
    void aCustomerKnownByEmailIsNotCreatedAgainNorOneKnownByName() throws Exception {
        int kim = odoo.addPartner("Kim Lee (Acme)", "KIM@example.com");
        odoo.addPartner("Lee_Ltd", "accounts@lee.example");
        odoo.addPartner("Lee Ltd", null);
        try (TestAgent agent = TestAgent.start(env("json2"))) {
            OdooTasks.approve(vault, OdooTasks.invoiceTask(ID, OdooTasks.may("USD")));
            com.digitalfte.vault.TaskFile byName = OdooTasks.invoiceTask("INVOICE_lee", new Invoice("Lee Ltd", null, "EUR",
                    LocalDate.of(2026, 5, 31), LocalDate.of(2026, 6, 30), "PO 4711", OdooTasks.may("EUR").lines()));
            OdooTasks.approve(vault, byName);
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Done/" + ID + ".md"))
                    && Files.exists(vault.resolve("Done/INVOICE_lee.md")));
        }
        assertThat(odoo.calls("res.partner", "create")).isEmpty();
        assertThat(odoo.records("account.move")).extracting(m -> m.get("partner_id")).containsExactlyInAnyOrder(kim, kim + 2);
        // "Lee_Ltd" does not match "Lee Ltd": the underscore is escaped, not a wildcard
        assertThat(odoo.records("account.move")).filteredOn(m -> "INVOICE_lee".equals(m.get("ref")))
                .singleElement().satisfies(m -> assertThat(m).containsEntry("invoice_origin", "PO 4711").containsEntry("currency_id", 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 17, 19})
    void withoutOdooApiTheServersVersionChoosesTheApi(int version) throws Exception {
        odoo.version(version);
        String served = version >= 19 ? "json2" : "xmlrpc";
        try (TestAgent agent = TestAgent.start(OdooTasks.env(vault, dir, url(served), ""))) {
            OdooTasks.approve(vault, OdooTasks.invoiceTask(ID, OdooTasks.may("USD")));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Done/" + ID + ".md")));
        }
        assertThat(modelCalls()).isNotEmpty().allSatisfy(c -> assertThat(c.api()).isEqualTo(served));
        assertThat(vault.resolve("Done/" + ID + ".md")).content().contains("- odoo_api: " + served);
    }

    @ParameterizedTest
    @ValueSource(strings = {"draft", "posted"})
    void afterARestartAMoveWithTheTasksRefIsPostedIfADraftAndNeverPostedTwice(String state) throws Exception {
        // the agent stopped after create (draft) or after action_post (posted), before the ledger's done
        int partner = odoo.addPartner("Kim Lee", "kim@example.com");
        odoo.addInvoice(partner, ID, 12, 100, state.equals("posted"));
        Files.createDirectories(vault.resolve(".state"));
        try (Ledger ledger = new Ledger(vault.resolve(".state/ledger.jsonl"))) {
            ledger.intent(ID, "odoo_invoice");
        }
        Files.createDirectories(vault.resolve("In_Progress/local"));
        Files.writeString(vault.resolve("In_Progress/local/" + ID + ".md"), OdooTasks.invoiceTask(ID, OdooTasks.may("USD")).render());
        try (TestAgent agent = TestAgent.start(env("xmlrpc"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Done/" + ID + ".md")));
        }
        assertThat(odoo.calls()).noneMatch(c -> c.method().equals("create"));
        // a draft is posted by the agent, once; a posted move is only recorded
        assertThat(odoo.calls("account.move", "action_post")).hasSize(state.equals("draft") ? 1 : 0);
        assertThat(odoo.records("account.move")).singleElement().satisfies(m -> assertThat(m).containsEntry("state", "posted"));
        assertThat(vault.resolve("Done/" + ID + ".md")).content().contains("- number: INV/2026/00001",
                state.equals("draft") ? "- note: an earlier try had created it; posted now" : "- note: found posted in Odoo after a restart");
    }

    @Test
    void theDashboardWarnsBeforeTheBotsApiKeyExpires() throws Exception {
        LocalDate expires = LocalDate.now().plusDays(5);
        odoo.setKeyExpiry(expires + " 08:00:00");
        Map<String, String> env = env("json2");
        env.put("ODOO_CHECK_INTERVAL", "1");
        try (TestAgent agent = TestAgent.start(env)) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(vault.resolve("Dashboard.md")).content().contains(
                    "| Odoo | odoo 19.0 | no call yet | reachable |",
                    "- The bot's API key expires on " + expires + ": **soon**, make a new one (docs/ODOO_SETUP.md)",
                    "odoo: the Odoo API key expires on " + expires + ": make a new one and set ODOO_API_KEY (docs/ODOO_SETUP.md)"));
        }
        assertThat(odoo.calls("res.users.apikeys", "search_read")).isNotEmpty();
        assertThat(odoo.calls()).noneMatch(c -> c.model().equals("account.move"));
    }
}
