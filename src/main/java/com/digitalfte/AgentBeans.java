package com.digitalfte;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.channel.ChannelLoader;
import com.digitalfte.channel.ChannelStatus;
import com.digitalfte.channel.ScheduledPosts;
import com.digitalfte.channel.TokenExpiry;
import com.digitalfte.channel.ExecutorDispatch;
import com.digitalfte.channel.WebhookHttpEngine;
import com.digitalfte.channel.whatsapp.WhatsAppChannel;
import com.digitalfte.config.AgentConfig;
import com.digitalfte.dashboard.DashboardCommits;
import com.digitalfte.dashboard.DashboardSource;
import com.digitalfte.dashboard.DashboardWriter;
import com.digitalfte.dashboard.Heartbeat;
import com.digitalfte.dashboard.SyncWarnings;
import com.digitalfte.draft.ClaimShare;
import com.digitalfte.draft.DraftService;
import com.digitalfte.draft.Drafter;
import com.digitalfte.draft.Examples;
import com.digitalfte.draft.HandbookFile;
import com.digitalfte.draft.LlmDrafter;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import com.digitalfte.draft.Failover;
import com.digitalfte.draft.TemplateDrafter;
import com.digitalfte.execute.ApprovalRules;
import com.digitalfte.execute.Approvals;
import com.digitalfte.gmail.GmailClientFactory;
import com.digitalfte.health.ChannelHealth;
import com.digitalfte.health.HealthChecks;
import com.digitalfte.health.ReportedAction;
import com.digitalfte.gmail.GmailInbox;
import com.digitalfte.gmail.GmailReplyAction;
import com.digitalfte.mail.MailProblems;
import com.google.api.services.gmail.Gmail;
import com.digitalfte.execute.Executor;
import com.digitalfte.execute.Ledger;
import com.digitalfte.odoo.Odoo;
import com.digitalfte.odoo.OdooDashboard;
import com.digitalfte.odoo.OdooInvoiceAction;
import com.digitalfte.odoo.OdooPaymentAction;
import com.digitalfte.odoo.OdooSettings;
import com.digitalfte.secrets.SecretGuard;
import com.digitalfte.sync.GitClaimService;
import com.digitalfte.sync.GitTransports;
import com.digitalfte.sync.SyncAudit;
import com.digitalfte.sync.SyncResult;
import com.digitalfte.sync.VaultSync;
import com.digitalfte.vault.ClaimRecovery;
import com.digitalfte.vault.ClaimService;
import com.digitalfte.vault.FailedTasks;
import com.digitalfte.vault.LocalClaimService;
import com.digitalfte.vault.Quarantine;
import com.digitalfte.vault.SeenIds;
import com.digitalfte.vault.TaskQueue;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The beans the routes call, made for the agent's role: a cloud agent gets no executor, no ledger
 * and no Dashboard writer, whatever its configuration holds.
 */
final class AgentBeans implements AutoCloseable {

    private final Map<String, Object> beans = new LinkedHashMap<>();
    private final VaultSync vaultSync;
    private Ledger ledger;

    /** {@code drafter}: the drafter to use (the template drafter unless given). */
    AgentBeans(AgentConfig config, Drafter drafter) {
        Clock clock = Clock.systemUTC();
        Vault vault = new Vault(config.vaultPath());
        vault.init(config.name(), config.type().executes());
        AuditLog audit = new AuditLog(vault.logs(), config.name());
        SyncAudit syncAudit = new SyncAudit(audit);
        // the guard also knows a credential the remote's URL carries, once the repository is open
        vaultSync = new VaultSync(vault, new VaultSync.Options(config.gitRemote(), config.gitBranch(), config.name(),
                        config.gitTimeoutSeconds(), config.heartbeatInterval(), GitTransports.from(config.settings())),
                audit.vaultSync(), new SecretGuard(config.settings().secretValues()), syncAudit, new DashboardCommits());
        vaultSync.housekeepingEvery(Duration.ofSeconds(config.settings().getInt("VAULT_GC_INTERVAL", 3600)));
        SecretGuard guard = vaultSync.guard();
        ClaimService claims = config.gitRemote().isEmpty()
                ? new LocalClaimService(vault, config.name())
                : new GitClaimService(vault, vaultSync, config.name());
        ChannelLoader channels = new ChannelLoader(config.type(), java.nio.file.Path.of(config.settings().get("CHANNELS_DIR", "./channels")));
        MailProblems mailProblems = new MailProblems();
        WhatsAppChannel whatsapp = config.type().executes() && config.channels().isOn("exec-whatsapp-reply")
                ? new WhatsAppChannel(config.settings(), vault, audit, clock.withZone(java.time.ZoneId.systemDefault()),
                        config.channels().isOn("receive-whatsapp"), config.channels().isOn("send-whatsapp-notifications"))
                : null;
        ChannelStatus channelStatus = new ChannelStatus(vault.state());

        ChannelHealth channelHealth = new ChannelHealth(clock);
        beans.put("channelHealth", channelHealth);
        beans.putAll(HealthChecks.forAgent(config, vault, vaultSync, channelHealth, clock));
        beans.put("vault", vault);
        beans.put("vaultSync", vaultSync);
        beans.put("channels", channels);
        beans.put("mailProblems", mailProblems);
        if (config.settings().has("WEBHOOK_PORT")) {
            // webhook routes on the webhook server, not on the health server beside it
            beans.put(WebhookHttpEngine.BEAN, new WebhookHttpEngine(config.settings().getInt("WEBHOOK_PORT", 8080)));
        }
        beans.put("failedTasks", new FailedTasks(vault, audit));
        HandbookFile handbook = new HandbookFile(vault.root().resolve("Company_Handbook.md"));
        // the owner's books: only an executing agent holds Odoo's credentials
        Odoo odoo = config.type().executes() && config.channels().isOn("exec-odoo-invoice")
                ? new Odoo(OdooSettings.from(config.settings()), clock) : null;
        SyncWarnings syncWarnings = new SyncWarnings(audit.vaultSync(), audit, vault.root());
        beans.put("heartbeat", new Heartbeat(vault, audit, config.name(), config.type().id(), clock, () -> {
            Map<String, String> problems = new LinkedHashMap<>();
            channels.problems().forEach((file, why) -> problems.put("channel file " + file, why));
            problems.putAll(syncWarnings.current());
            problems.putAll(mailProblems.current());
            if (whatsapp != null) {
                problems.putAll(whatsapp.problems());
            }
            if (config.type().executes() && config.settings().has("LINKEDIN_ACCESS_TOKEN")) {
                new TokenExpiry("LinkedIn token", "LINKEDIN_TOKEN_EXPIRES", config.settings().get("LINKEDIN_TOKEN_EXPIRES", ""),
                        "make a new one (docs/SOCIAL_SETUP.md) and set LINKEDIN_ACCESS_TOKEN and LINKEDIN_TOKEN_EXPIRES", clock)
                        .problem().ifPresent(why -> problems.put("LinkedIn", why));
            }
            channelStatus.all().forEach((channel, report) -> {
                if (!report.problem().isEmpty()) {
                    problems.put("channel " + channel, report.problem());
                }
            });
            if (config.type().drafts()) {
                handbook.problem().ifPresent(why -> problems.put("handbook", why));
            }
            if (odoo != null) {
                OdooDashboard.keyWarning(odoo.status(), java.time.LocalDate.now()).ifPresent(why -> problems.put("odoo", why));
            }
            return problems;
        }, new Quarantine(vault.root()), () -> {
            Map<String, String> usage = new java.util.TreeMap<>();
            channelStatus.all().forEach((channel, report) -> {
                if (!report.usage().isEmpty()) {
                    usage.put(channel, report.usage());
                }
            });
            return usage;
        }));
        TaskQueue taskQueue = new TaskQueue(vault, new SeenIds(vault.state().resolve("seen_ids.txt")), audit, guard);
        beans.put("taskQueue", taskQueue);
        beans.put("scheduledPosts", new ScheduledPosts(vault, taskQueue, clock));
        Gmail gmail = config.gmailConfigured() ? gmailClient(config) : null;
        if (gmail != null && config.type().drafts()) {
            beans.put("gmailInbox", new GmailInbox(gmail, vault.state().resolve("gmail_history_id"), config.settings().get("GMAIL_QUERY", ""),
                    channelHealth));
        }
        beans.put("drafting", new DraftService(vault, claims, drafter != null ? drafter : drafterFor(config, vault), audit, config.name(),
                handbook));
        beans.put("claimShare", new ClaimShare(vault, config.name(), config.failoverAfter(), config.settings().getInt("DRAFT_CONCURRENCY", 4), clock));
        beans.put("claimRecovery", new ClaimRecovery(vault, claims, audit, config.name(),
                config.claimTimeout(), config.failoverAfter(), clock));

        if (config.type().executes()) {
            ledger = new Ledger(vault.state().resolve("ledger.jsonl"), clock);
            ApprovalRules rules = new ApprovalRules(limits(config), ledger, clock);
            // the local agent is the only executor: its claim of an approval is a local rename, carried by the next
            // sync, so approvals and sends never wait for the remote
            Approvals approvals = new Approvals(vault, new LocalClaimService(vault, config.name()), audit, new SeenIds(vault.state().resolve("rejected_ids.txt")),
                    rules, config.settings().getBoolean("DRY_RUN", false), config.name());
            beans.put("approvals", approvals);
            beans.put("executors", new ExecutorDispatch(approvals, Set.of("embedded", "imap", "whatsapp", "x", "linkedin", "facebook", "instagram"), channels));
            beans.put("executor", new Executor(vault, ledger, audit, clock));
            beans.put("socialBriefing", new com.digitalfte.dashboard.SocialBriefing(vault, clock));
            beans.put("instagramPosts", new com.digitalfte.channel.meta.InstagramPosts(vault));
            if (gmail != null) {
                beans.put("gmailReply", new ReportedAction(new GmailReplyAction(gmail, config.mailAddress()), channelHealth, "gmail-out"));
            }
            List<DashboardSource> services = new ArrayList<>();
            if (odoo != null) {
                beans.put("odoo", odoo);
                beans.put("odooInvoice", new OdooInvoiceAction(odoo));
                beans.put("odooPayment", new OdooPaymentAction(odoo));
                services.add(new OdooDashboard(odoo, vault.logs().resolve("odoo_transactions.jsonl"), clock, ZoneId.systemDefault()));
            }
            if (whatsapp != null) {
                beans.putAll(whatsapp.beans());
            }
            beans.put("dashboard", new DashboardWriter(vault, audit, config.name(), Duration.ofMinutes(5), clock.withZone(ZoneId.systemDefault()), services));
            beans.put("failover", new Failover(vault.heartbeats(), config.failoverAfter(), clock));
        }
    }

    /** MAX_EMAILS_PER_HOUR for mail; MAX_POSTS_PER_HOUR for each social channel, its replies and posts together. */
    private static java.util.List<ApprovalRules.Limit> limits(AgentConfig config) {
        int posts = config.settings().getInt("MAX_POSTS_PER_HOUR", 5);
        return java.util.List.of(
                new ApprovalRules.Limit("email_reply", Set.of("email_reply"), config.settings().getInt("MAX_EMAILS_PER_HOUR", 10)),
                new ApprovalRules.Limit("X", Set.of("x_reply", "x_post"), posts),
                new ApprovalRules.Limit("LinkedIn", Set.of("linkedin_post"), posts),
                new ApprovalRules.Limit("Facebook", Set.of("facebook_post"), posts),
                new ApprovalRules.Limit("Instagram", Set.of("instagram_post"), posts));
    }

    private static Gmail gmailClient(AgentConfig config) {
        var s = config.settings();
        return new GmailClientFactory(s.get("GMAIL_API_URL", "https://gmail.googleapis.com/"),
                s.get("GMAIL_TOKEN_URL", "https://oauth2.googleapis.com/token"))
                .makeClient(s.get("GMAIL_CLIENT_ID", ""), s.get("GMAIL_CLIENT_SECRET", ""), java.util.List.of(), "DigitalFTE",
                        s.get("GMAIL_REFRESH_TOKEN", ""), null);
    }

    /** The template drafter, or a chat model that falls back to it after its last failed try. */
    private static Drafter drafterFor(AgentConfig config, Vault vault) {
        if (!config.drafter().equals("openai")) {
            return new TemplateDrafter();
        }
        var s = config.settings();
        String model = s.get("OPENAI_MODEL", "gpt-4o-mini");
        ChatModel chat = OpenAiChatModel.builder()
                .baseUrl(s.get("OPENAI_BASE_URL", "https://api.openai.com/v1"))
                .apiKey(s.get("OPENAI_API_KEY", "not-needed-for-a-local-server"))
                .modelName(model)
                .timeout(Duration.ofSeconds(s.getInt("OPENAI_TIMEOUT", 60)))
                .maxRetries(0)
                .build();
        Examples examples = new Examples(vault.folder(com.digitalfte.vault.Folder.DONE), s.getInt("OPENAI_EXAMPLES", 3));
        return new LlmDrafter(chat, model, examples);
    }

    Map<String, Object> all() {
        return beans;
    }

    /** How the vault's remote is reached, for the start-up summary. */
    String remoteAccess() {
        return vaultSync.remoteAccess();
    }

    MailProblems mailProblems() {
        return (MailProblems) beans.get("mailProblems");
    }

    /** The sync a stopping agent makes after its routes stopped, so what it finished reaches the remote now. */
    SyncResult lastSync() {
        return vaultSync.sync();
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
