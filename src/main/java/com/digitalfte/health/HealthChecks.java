package com.digitalfte.health;

import com.digitalfte.config.AgentConfig;
import com.digitalfte.sync.VaultSync;
import com.digitalfte.vault.Vault;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The health checks of an agent, by bean name: one for each channel it runs, the git remote when it
 * has one, the last sync, the disk and the vault's queues. Bound in Camel's registry, they are
 * served at {@code /observe/health}.
 */
public final class HealthChecks {

    /** The names the built-in channels report under; the owner's channels report under names of their own. */
    static final java.util.Set<String> BUILT_IN = java.util.Set.of("mail-in", "mail-out", "gmail-in", "gmail-out");

    private HealthChecks() {
    }

    public static Map<String, Object> forAgent(AgentConfig config, Vault vault, VaultSync sync, ChannelHealth channels, Clock clock) {
        Map<String, Object> checks = new LinkedHashMap<>();
        var s = config.settings();
        String mailbox = config.mailProvider() == AgentConfig.MailProvider.EMBEDDED ? "embedded mailbox " : "";
        if (config.type().drafts() && config.mailIn()) {
            String host = s.get("IMAP_HOST", "localhost");
            channel(checks, new ChannelStatus(channels, "mail-in", mailbox + "IMAP " + host + ":" + config.imapPort() + " as "
                    + s.get("MAIL_USERNAME", config.mailAddress()), new Reachability(host, config.imapPort()), clock));
        }
        if (config.type().executes() && config.mailOut()) {
            String host = s.get("SMTP_HOST", "localhost");
            channel(checks, new ChannelStatus(channels, "mail-out", mailbox + "SMTP " + host + ":" + config.smtpPort() + " as "
                    + config.mailAddress(), new Reachability(host, config.smtpPort()), clock));
        }
        Reachability gmail = Reachability.ofUrl(s.get("GMAIL_API_URL", "https://gmail.googleapis.com/"));
        if (config.type().drafts() && config.gmailConfigured()) {
            channel(checks, new ChannelStatus(channels, "gmail-in", "Gmail API (history of " + config.mailAddress() + ")", gmail, clock));
        }
        if (config.type().executes() && config.channels().isOn("exec-email-reply-gmail")) {
            channel(checks, new ChannelStatus(channels, "gmail-out", "Gmail API (drafts.send as " + config.mailAddress() + ")", gmail, clock));
        }
        checks.put("health-owner-channels", new PartCheck("channels", "owner-channels", new OwnerChannelsStatus(channels, BUILT_IN, clock)::now));
        if (!config.gitRemote().isEmpty()) {
            RemoteStatus remote = new RemoteStatus(sync, config.gitRemote(), clock);
            checks.put("health-git-remote", new PartCheck("vault", "git-remote", remote::now));
        }
        SyncStatus lastSync = new SyncStatus(vault.logs().resolve("vault_sync.jsonl"), Duration.ofSeconds(s.getInt("VAULT_SYNC_INTERVAL", 300)), clock);
        checks.put("health-vault-sync", new PartCheck("vault", "vault-sync", lastSync::now));
        checks.put("health-disk", new PartCheck("vault", "disk", new DiskStatus(vault.root())::now));
        checks.put("health-vault-queues", new PartCheck("vault", "vault-queues", new QueueStatus(vault)::now));
        return checks;
    }

    private static void channel(Map<String, Object> checks, ChannelStatus status) {
        checks.put("health-" + status.channel(), new PartCheck("channels", status.channel(), status::now));
    }
}
