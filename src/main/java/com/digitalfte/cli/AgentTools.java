package com.digitalfte.cli;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.config.AgentConfig;
import com.digitalfte.dashboard.DashboardCommits;
import com.digitalfte.secrets.Masking;
import com.digitalfte.secrets.SecretGuard;
import com.digitalfte.sync.SyncAudit;
import com.digitalfte.sync.VaultSync;
import com.digitalfte.vault.Vault;

/** The agent's own parts, opened by a command as the agent opens them, without Camel. */
final class AgentTools {

    private AgentTools() {
    }

    /** The vault, its folders made as the agent makes them at start. */
    static Vault vault(AgentConfig config) {
        Vault vault = new Vault(config.vaultPath());
        vault.init(config.name(), config.type().executes());
        return vault;
    }

    /** The sync as the agent runs it: the same remote, guard, audit lines and Dashboard rule. */
    static VaultSync sync(AgentConfig config, Vault vault) {
        Masking.add(config.settings().secretValues());
        AuditLog audit = new AuditLog(vault.logs(), config.name());
        return new VaultSync(vault, new VaultSync.Options(config.gitRemote(), config.gitBranch(), config.name(), config.gitTimeoutSeconds(),
                config.heartbeatInterval()), audit.vaultSync(), new SecretGuard(config.settings().secretValues()), new SyncAudit(audit),
                new DashboardCommits());
    }
}
