package com.digitalfte.odoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.AgentProcess;
import com.digitalfte.support.OdooTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The local agent in its own JVM, killed with SIGKILL by Odoo itself right after it created the
 * invoice and before it could post it: after the restart the move is found by its ref and posted,
 * once; no second invoice is created.
 */
class OdooCrashTest extends OdooAgentTests {

    static final String ID = "INVOICE_EMAIL_may";

    @ParameterizedTest
    @ValueSource(strings = {"xmlrpc", "json2"})
    void aKillBetweenCreateAndPostIsPostedOnceAfterTheRestartAndNeverCreatedTwice(String api) throws Exception {
        AtomicReference<AgentProcess> agent = new AtomicReference<>();
        AtomicInteger kills = new AtomicInteger();
        odoo.afterCall((model, method) -> {
            if (model.equals("account.move") && method.equals("create") && kills.get() == 0) {
                try {
                    agent.get().kill();
                    kills.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        OdooTasks.approve(vault, OdooTasks.invoiceTask(ID, OdooTasks.may("USD")));
        Map<String, String> env = env(api);
        Path log = dir.resolve("agent.log");
        try {
            agent.set(AgentProcess.start(env, dir.resolve("work"), log));
            await().atMost(Duration.ofSeconds(60)).until(() -> kills.get() == 1 && !agent.get().alive());
            assertThat(odoo.records("account.move")).singleElement().satisfies(m -> assertThat(m).containsEntry("state", "draft"));
            assertThat(vault.resolve("In_Progress/local/" + ID + ".md")).exists();

            agent.set(AgentProcess.start(env, dir.resolve("work"), log));
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(vault.resolve("Done/" + ID + ".md")));
        } catch (Throwable t) {
            throw new AssertionError(t.getMessage() + "\n--- agent log ---\n" + Files.readString(log), t);
        } finally {
            if (agent.get() != null) {
                agent.get().close();
            }
        }
        assertThat(odoo.calls("account.move", "create")).hasSize(1);
        assertThat(odoo.calls("account.move", "action_post")).hasSize(1);
        assertThat(odoo.records("account.move")).singleElement().satisfies(m -> assertThat(m)
                .containsEntry("state", "posted").containsEntry("name", "INV/2026/00001").containsEntry("ref", ID));
        assertThat(vault.resolve("Done/" + ID + ".md")).content().contains("- number: INV/2026/00001",
                "- note: an earlier try had created it; posted now");
        assertThat(Files.readAllLines(vault.resolve(".state/ledger.jsonl")).stream().filter(l -> l.contains("\"state\":\"done\""))).hasSize(1);
        assertThat(Files.readString(vault.resolve("Logs/odoo_transactions.jsonl")).lines()).hasSize(1);
    }
}
