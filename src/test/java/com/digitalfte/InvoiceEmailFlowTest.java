package com.digitalfte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.odoo.Invoice;
import com.digitalfte.support.FakeOdoo;
import com.digitalfte.support.Json2Odoo;
import com.digitalfte.support.LocalAgentEnv;
import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskIds;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An email about an invoice, with the stock handbook ({@code subject: invoice => odoo_invoice}),
 * through a whole agent: one plan, one reply and one invoice task for the owner, and nothing more;
 * with Odoo configured, the invoice drafted from the stock Rates.md is posted once when approved.
 */
class InvoiceEmailFlowTest {

    private static final String ASSISTANT = "assistant@example.com";
    private static final Json2Odoo JSON2 = new Json2Odoo();

    @RegisterExtension
    static WireMockExtension odooServer = WireMockExtension.newInstance()
            .options(WireMockConfiguration.wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(JSON2)).build();

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(ASSISTANT, ASSISTANT, "pw-123456"));

    @TempDir
    Path dir;

    @Test
    void anInvoiceEmailGivesOnePlanOneReplyAndOneInvoiceTaskAndTheAgentSettles() throws Exception {
        Path vault = dir.resolve("vault");
        Map<String, String> env = LocalAgentEnv.mailbox(ASSISTANT, mail.getSmtp().getPort(), mail.getImap().getPort());
        env.put("AGENT_TYPE", "all");
        env.put("VAULT_PATH", vault.toString());
        env.put("CHANNELS_DIR", dir.resolve("none").toString());
        env.put("MAIL_POLL_DELAY", "200");
        try (TestAgent agent = TestAgent.start(env)) {
            GreenMailUtil.sendTextEmail(ASSISTANT, "kim@example.com", "Invoice for May",
                    "Hello, could you send me the invoice for May?", mail.getSmtp().getServerSetup());
            await().atMost(Duration.ofSeconds(20)).until(() -> mail.getReceivedMessagesForDomain(ASSISTANT).length == 1);
            String id = TaskIds.email(mail.getReceivedMessagesForDomain(ASSISTANT)[0].getMessageID());

            await().atMost(Duration.ofSeconds(30)).until(() -> files(vault, "Pending_Approval").size() >= 2);
            awaitSettled(vault);

            assertThat(files(vault, "Plans")).containsExactly("PLAN_" + id + ".md");
            assertThat(files(vault, "Pending_Approval")).containsExactlyInAnyOrder(id + ".md", "INVOICE_" + id + ".md");
            assertThat(taskFiles(vault)).containsExactlyInAnyOrder("Pending_Approval/" + id + ".md", "Pending_Approval/INVOICE_" + id + ".md",
                    "Plans/PLAN_" + id + ".md");
            assertThat(taskFiles(vault)).noneMatch(p -> p.contains("INVOICE_INVOICE"));
        }
    }

    @Test
    void anInvoiceEmailBecomesOneInvoiceDraftPricedFromTheRatesAndOnceApprovedItIsPostedOnce() throws Exception {
        FakeOdoo odoo = new FakeOdoo();
        JSON2.use(odoo);
        odooServer.stubFor(WireMock.any(WireMock.anyUrl()).willReturn(WireMock.ok()));
        Path vault = dir.resolve("vault");
        Map<String, String> env = LocalAgentEnv.mailbox(ASSISTANT, mail.getSmtp().getPort(), mail.getImap().getPort());
        env.put("AGENT_TYPE", "all");
        env.put("VAULT_PATH", vault.toString());
        env.put("CHANNELS_DIR", dir.resolve("none").toString());
        env.put("MAIL_POLL_DELAY", "200");
        env.put("DASHBOARD_INTERVAL", "1");
        // no ODOO_API: the agent asks the server, which says 19.0, so JSON-2
        env.putAll(Map.of("ODOO_URL", odooServer.baseUrl(), "ODOO_DB", FakeOdoo.DB, "ODOO_USER", FakeOdoo.LOGIN, "ODOO_API_KEY", FakeOdoo.API_KEY));
        try (TestAgent agent = TestAgent.start(env)) {
            GreenMailUtil.sendTextEmail(ASSISTANT, "Kim Lee <kim@example.com>", "Invoice for May",
                    "Hello, could you send me the invoice for the 12 hours of consulting we did in May?", mail.getSmtp().getServerSetup());
            await().atMost(Duration.ofSeconds(20)).until(() -> mail.getReceivedMessagesForDomain(ASSISTANT).length == 1);
            String id = "INVOICE_" + TaskIds.email(mail.getReceivedMessagesForDomain(ASSISTANT)[0].getMessageID());
            Path pending = vault.resolve("Pending_Approval/" + id + ".md");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pending));
            awaitSettled(vault);

            assertThat(files(vault, "Plans")).hasSize(1);
            assertThat(taskFiles(vault)).filteredOn(p -> p.contains("INVOICE_")).containsExactly("Pending_Approval/" + id + ".md");
            TaskFile draft = TaskFile.parse(Files.readString(pending));
            Invoice invoice = Invoice.of(draft);
            assertThat(invoice.problems()).isEmpty();
            assertThat(invoice.customer()).isEqualTo("Kim Lee");
            assertThat(invoice.currency()).isEqualTo("USD");
            assertThat(invoice.lines()).singleElement().satisfies(l -> {
                assertThat(l.description()).isEqualTo("Consulting");
                assertThat(l.quantity()).isEqualByComparingTo("12");
                assertThat(l.unitPrice()).isEqualByComparingTo("100.00");
            });
            assertThat(draft.section(TaskFile.DRAFT).orElseThrow()).contains("| 1 | Consulting | 12 | 100.00 | 1,200.00 |", "**1,200.00 USD**");
            assertThat(odoo.calls()).noneMatch(c -> c.model().equals("account.move"));

            // the owner approves the invoice as drafted
            Files.move(pending, vault.resolve("Approved/" + id + ".md"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(vault.resolve("Done/" + id + ".md")));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(vault.resolve("Dashboard.md")).content()
                    .contains("- Invoices posted this week (since Monday): 1, 1,200.00 USD"));
        }
        assertThat(odoo.calls("account.move", "create")).hasSize(1);
        assertThat(odoo.calls("account.move", "action_post")).hasSize(1);
        assertThat(odoo.records("account.move")).singleElement().satisfies(m -> assertThat(m).containsEntry("state", "posted")
                .containsEntry("amount_total", 1200.0).containsEntry("move_type", "out_invoice"));
        assertThat(odoo.records("res.partner")).singleElement().satisfies(p -> assertThat(p).containsEntry("name", "Kim Lee")
                .containsEntry("email", "kim@example.com"));
    }

    /** Waits until no task or plan has appeared, moved or gone for three seconds. */
    private static void awaitSettled(Path vault) {
        List<?>[] last = {List.of()};
        Instant[] since = {Instant.now()};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            List<String> now = taskFiles(vault);
            if (!now.equals(last[0])) {
                last[0] = now;
                since[0] = Instant.now();
            }
            return Duration.between(since[0], Instant.now()).compareTo(Duration.ofSeconds(3)) >= 0;
        });
    }

    /** Every task and plan in the vault, by its path: the folders are the states. */
    private static List<String> taskFiles(Path vault) throws Exception {
        try (Stream<Path> files = Files.walk(vault)) {
            return files.filter(Files::isRegularFile).map(p -> vault.relativize(p).toString())
                    .filter(p -> p.endsWith(".md") && p.contains("/") && !p.startsWith(".") && !p.startsWith("Accounting/"))
                    .sorted().toList();
        }
    }

    private static List<String> files(Path vault, String folder) throws Exception {
        try (Stream<Path> files = Files.list(vault.resolve(folder))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".md")).sorted().toList();
        }
    }
}
