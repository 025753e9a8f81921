package com.digitalfte.support;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.draft.DraftService;
import com.digitalfte.draft.TemplateDrafter;
import com.digitalfte.execute.Executor;
import com.digitalfte.execute.Ledger;
import com.digitalfte.secrets.SecretGuard;
import com.digitalfte.vault.FailedTasks;
import com.digitalfte.vault.LocalClaimService;
import com.digitalfte.vault.SeenIds;
import com.digitalfte.vault.TaskQueue;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * One kamelet proven alone: a small Camel Main with the kamelet, the task-failures policy, a route
 * file of the test's, and only the beans the kamelet calls (the vault, the ledger and the executor,
 * the task queue), over a vault in a temporary folder. {@link #restart()} makes a second Camel Main
 * on the same folder, as a new process would find it.
 */
public abstract class KameletTestSupport extends CamelMainTestSupport {

    @TempDir
    protected Path dir;

    private Ledger ledger;
    private CamelContext restarted;

    /** The route file under src/test/resources/kamelets-under-test/. */
    protected abstract String routeFile();

    /** The properties the route file reads ({@code test.api}, ...). */
    protected abstract Map<String, String> testProperties();

    protected Path vault() {
        return dir.resolve("vault");
    }

    /**
     * The agent's application.properties, then the test's own, which win: in a file of the test,
     * because Camel Main reads its own settings (the HTTP server's) before anything can be added.
     */
    @Override
    protected String getPropertyPlaceholderLocations() {
        return "classpath:application.properties,file:" + dir.resolve("kamelet-test.properties");
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        Properties properties = new Properties();
        properties.put("vault.path", vault().toString());
        properties.put("execute.retry.attempts", "3");
        properties.put("execute.retry.delay", "200");
        properties.put("draft.retry.attempts", "0");
        properties.put("webhook.enabled", "false");
        properties.putAll(testProperties());
        try (var out = Files.newBufferedWriter(dir.resolve("kamelet-test.properties"))) {
            properties.store(out, "written by " + getClass().getSimpleName());
        }
        camelContextConfiguration().withUseOverridePropertiesWithPropertiesComponent(properties);
        return super.createCamelContext();
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.withRoutesIncludePattern("classpath:routes/common/task-failures.camel.yaml,classpath:kamelets-under-test/" + routeFile());
    }

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        Vault vault = new Vault(vault());
        vault.init("local", false);
        AuditLog audit = new AuditLog(vault.logs(), "local");
        ledger = new Ledger(vault.state().resolve("ledger.jsonl"));
        registry.bind("vault", vault);
        registry.bind("executor", new Executor(vault, ledger, audit, Clock.systemUTC()));
        registry.bind("failedTasks", new FailedTasks(vault, audit));
        // named by the task-failures policy, for a draft whose model failed
        registry.bind("drafting", new DraftService(vault, new LocalClaimService(vault, "local"), new TemplateDrafter(), audit, "local"));
        registry.bind("taskQueue", new TaskQueue(vault, new SeenIds(vault.state().resolve("seen_ids.txt")), audit, new SecretGuard(java.util.Set.of())));
    }

    /**
     * Stops this Camel Main and starts another on the same vault, with beans of its own: what a new
     * process finds is only what is on disk.
     */
    protected CamelContext restart() throws Exception {
        context.stop();
        ledger.close();
        CamelContext second = createCamelContext();
        bindToRegistry(second.getRegistry());
        second.start();
        restarted = second;
        return second;
    }

    @AfterEach
    void stopRestarted() throws Exception {
        if (restarted != null) {
            restarted.stop();
        }
        if (ledger != null) {
            ledger.close();
        }
    }

    protected Ledger ledger() {
        return ledger;
    }

    protected Path folder(String name) throws IOException {
        return Files.createDirectories(vault().resolve(name));
    }
}
