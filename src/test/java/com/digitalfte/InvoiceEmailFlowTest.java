package com.digitalfte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.LocalAgentEnv;
import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskIds;
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
 * through a whole agent: one plan, one reply and one invoice task for the owner, and nothing more.
 */
class InvoiceEmailFlowTest {

    private static final String ASSISTANT = "assistant@example.com";

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
