package com.digitalfte;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.config.AgentConfig;
import com.digitalfte.dashboard.DashboardWriter;
import com.digitalfte.dashboard.Heartbeat;
import com.digitalfte.draft.DraftService;
import com.digitalfte.draft.TemplateDrafter;
import com.digitalfte.execute.Approvals;
import com.digitalfte.execute.EmailReplyExecutor;
import com.digitalfte.execute.Executions;
import com.digitalfte.execute.Ledger;
import com.digitalfte.channel.ChannelLoader;
import com.digitalfte.channel.ExecutorDispatch;
import com.digitalfte.sync.VaultSync;
import com.digitalfte.vault.ClaimService;
import com.digitalfte.vault.FailedTasks;
import com.digitalfte.vault.LocalClaimService;
import com.digitalfte.vault.SeenIds;
import com.digitalfte.vault.TaskQueue;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The beans the routes call, made for the agent's role: a cloud agent gets no executor, no ledger
 * and no Dashboard writer, whatever its configuration holds.
 */
final class AgentBeans implements AutoCloseable {

    private final Map<String, Object> beans = new LinkedHashMap<>();
    private final VaultSync vaultSync;
    private Ledger ledger;

    AgentBeans(AgentConfig config) {
        Vault vault = new Vault(config.vaultPath());
        vault.init(config.name(), config.type().executes());
        AuditLog audit = new AuditLog(vault.logs(), config.name());
        ClaimService claims = new LocalClaimService(vault, config.name());
        vaultSync = new VaultSync(vault.root(), config.gitRemote(), config.gitBranch(), config.name(), audit.vaultSync());

        beans.put("vault", vault);
        beans.put("vaultSync", vaultSync);
        beans.put("failedTasks", new FailedTasks(vault, audit));
        ChannelLoader channels = new ChannelLoader(config.type());
        beans.put("channels", channels);
        beans.put("heartbeat", new Heartbeat(vault, audit, config.name(), config.type().id(), Clock.systemUTC(),
                () -> prefixed("channel file ", channels.problems())));
        beans.put("taskQueue", new TaskQueue(vault, new SeenIds(vault.state().resolve("seen_ids.txt")), audit));

        if (config.type().drafts()) {
            beans.put("drafting", new DraftService(vault, claims, new TemplateDrafter(), audit));
        }
        if (config.type().executes()) {
            ledger = new Ledger(vault.state().resolve("ledger.jsonl"));
            Executions executions = new Executions(vault, ledger, audit);
            Approvals approvals = new Approvals(vault, claims, audit, new SeenIds(vault.state().resolve("rejected_ids.txt")));
            beans.put("approvals", approvals);
            beans.put("executors", new ExecutorDispatch(approvals, java.util.Set.of("embedded", "imap", "gmail")));
            beans.put("emailReplyExecutor", new EmailReplyExecutor(executions));
            beans.put("dashboard", new DashboardWriter(vault, audit, config.name(), Duration.ofMinutes(5), Clock.systemUTC()));
        }
    }

    private static Map<String, String> prefixed(String prefix, Map<String, String> problems) {
        Map<String, String> result = new LinkedHashMap<>();
        problems.forEach((k, v) -> result.put(prefix + k, v));
        return result;
    }

    Map<String, Object> all() {
        return beans;
    }

    @Override
    public void close() {
        vaultSync.close();
        if (ledger != null) {
            try {
                ledger.close();
            } catch (IOException ignored) {
                // every line was forced to disk when written
            }
        }
    }
}
