package com.digitalfte.config;

import com.digitalfte.mail.MailSessions.Security;
import com.digitalfte.tls.CaFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's settings, validated once at start-up, with the defaults of the embedded
 * configuration filled in. {@link #properties()} hands them to Camel as dotted properties.
 */
public final class AgentConfig {

    public enum MailProvider { EMBEDDED, IMAP, GMAIL }

    public static final String EMBEDDED_ADDRESS = "assistant@localhost";

    private final Settings settings;
    private final AgentType type;
    private final String name;
    private final Path vaultPath;
    private final String gitRemote;
    private final String gitBranch;
    private final int syncIntervalSeconds;
    private final MailProvider mailProvider;
    private final String drafter;
    private final ChannelSwitches channels;
    private final Security imapSecurity;
    private final Security smtpSecurity;

    /**
     * What the start-up check of the mail servers found: why reading ({@code in}) or sending
     * ({@code out}) fails, if it does, and where sent copies go.
     */
    public record MailCheck(Optional<String> in, Optional<String> out, Optional<String> sentCopies) {
        public static final MailCheck NOT_DONE = new MailCheck(Optional.empty(), Optional.empty(), Optional.empty());
    }

    private AgentConfig(Settings given) {
        this.type = AgentType.parse(given.get("AGENT_TYPE", "all"));
        this.name = given.get("AGENT_NAME", type.id());
        if (!com.digitalfte.vault.Vault.isAgentName(name)) {
            throw new IllegalArgumentException("AGENT_NAME may hold letters, digits, '.', '_' and '-' only, not '" + name + "'");
        }
        // a .env file is not a shell: "~/vault" there is expanded here
        this.vaultPath = given.path("VAULT_PATH").orElse(Path.of("./vault").toAbsolutePath().normalize());
        this.gitRemote = given.get("GIT_REMOTE", "");
        this.gitBranch = given.get("GIT_BRANCH", "main");
        this.syncIntervalSeconds = given.getInt("VAULT_SYNC_INTERVAL", 300);
        // whole numbers the routes read from application.properties: a typo says so here, not in a Camel stack trace
        for (String n : List.of("VAULT_SYNC_DEBOUNCE", "VAULT_POLL_DELAY", "VAULT_WATCH_INTERVAL", "HEARTBEAT_INTERVAL", "CLAIM_RECOVERY_INTERVAL",
                "DASHBOARD_INTERVAL", "GMAIL_POLL_DELAY", "OPENAI_RETRY_PAUSE_MS", "EXECUTE_RETRIES", "EXECUTE_RETRY_DELAY_MS", "MAIL_POLL_DELAY",
                "ODOO_TIMEOUT", "ODOO_CHECK_INTERVAL")) {
            given.getInt(n, 0);
        }
        if (syncIntervalSeconds < 1) {
            throw new IllegalArgumentException("VAULT_SYNC_INTERVAL must be at least 1 second");
        }
        for (String file : List.of("GIT_SSH_KEY", "GIT_CA_FILE")) {
            given.path(file).filter(f -> !java.nio.file.Files.isRegularFile(f)).ifPresent(f -> {
                throw new IllegalArgumentException(file + " names " + f + ", which is not a file: give the path of the "
                        + (file.equals("GIT_SSH_KEY") ? "ssh private key (e.g. ~/.ssh/id_ed25519)" : "PEM file of the CA certificates to trust"));
            });
        }
        this.mailProvider = mailProvider(given);
        this.drafter = given.get("DRAFTER", given.has("OPENAI_API_KEY") ? "openai" : "template").toLowerCase(Locale.ROOT);
        if (!drafter.equals("template") && !drafter.equals("openai")) {
            throw new IllegalArgumentException("DRAFTER must be template or openai, not '" + drafter + "'");
        }
        if (drafter.equals("openai") && !given.has("OPENAI_API_KEY") && !given.has("OPENAI_BASE_URL")) {
            throw new IllegalArgumentException("DRAFTER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local server such as Ollama)");
        }
        String odooApi = given.get("ODOO_API", "").toLowerCase(Locale.ROOT);
        if (!odooApi.isEmpty() && !odooApi.equals("json2") && !odooApi.equals("xmlrpc")) {
            throw new IllegalArgumentException("ODOO_API must be json2, xmlrpc or empty (ask the server its version), not '" + odooApi + "'");
        }
        Settings chosen = mailProvider == MailProvider.EMBEDDED
                ? given.withDefaults(embeddedDefaults(given)).withOverrides(embeddedFixed())
                : given;
        // the provider as derived here (embedded when nothing is configured), for the routes' requirements
        this.settings = chosen.withOverrides(Map.of("MAIL_PROVIDER", mailProvider.name().toLowerCase(Locale.ROOT)));
        this.channels = ChannelSwitches.of(settings);
        boolean ssl = settings.getBoolean("MAIL_SSL", true);
        this.imapSecurity = security(settings, "IMAP_SECURITY", ssl ? Security.SSL : Security.NONE);
        // port 587 is submission, which speaks STARTTLS
        this.smtpSecurity = security(settings, "SMTP_SECURITY",
                settings.getInt("SMTP_PORT", 0) == 587 ? Security.STARTTLS : ssl ? Security.SSL : Security.NONE);
        if (settings.has("MAIL_CA_FILE")) {
            CaFiles.read("MAIL_CA_FILE", Path.of(settings.get("MAIL_CA_FILE", "")));
        }
    }

    private static Security security(Settings s, String name, Security otherwise) {
        return s.has(name) ? Security.parse(name, s.get(name, "")) : otherwise;
    }

    public static AgentConfig from(Settings settings) {
        return new AgentConfig(settings);
    }

    private static MailProvider mailProvider(Settings s) {
        if (s.has("MAIL_PROVIDER")) {
            try {
                return MailProvider.valueOf(s.get("MAIL_PROVIDER", "").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("MAIL_PROVIDER must be embedded, imap or gmail, not '" + s.get("MAIL_PROVIDER", "") + "'");
            }
        }
        boolean anyMailSetting = s.has("IMAP_HOST") || s.has("SMTP_HOST") || s.has("MAIL_USERNAME") || s.has("MAIL_ADDRESS");
        return anyMailSetting ? MailProvider.IMAP : MailProvider.EMBEDDED;
    }

    /** The in-process mailbox: ports and address may be chosen; its account password is made fresh at each start. */
    private static Map<String, String> embeddedDefaults(Settings s) {
        Map<String, String> d = new LinkedHashMap<>();
        String address = s.get("MAIL_ADDRESS", EMBEDDED_ADDRESS);
        d.put("IMAP_PORT", "3143");
        d.put("SMTP_PORT", "3025");
        d.put("MAIL_ADDRESS", address);
        d.put("MAIL_POLL_DELAY", "2000");
        return d;
    }

    /** What the embedded mailbox is, whatever a copied .env says: plain protocols on loopback. */
    private static Map<String, String> embeddedFixed() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("IMAP_HOST", "127.0.0.1");
        d.put("SMTP_HOST", "127.0.0.1");
        d.put("MAIL_SSL", "false");
        d.put("IMAP_SECURITY", "none");
        d.put("SMTP_SECURITY", "none");
        d.put("MAIL_CA_FILE", "");
        d.put("MAIL_PASSWORD", java.util.UUID.randomUUID().toString());
        d.put("MAIL_SENT_FOLDER", "Sent");
        d.put("MAIL_SENT_COPY", "server");
        return d;
    }

    public Settings settings() {
        return settings;
    }

    public AgentType type() {
        return type;
    }

    public String name() {
        return name;
    }

    public Path vaultPath() {
        return vaultPath;
    }

    public String gitRemote() {
        return gitRemote;
    }

    public String gitBranch() {
        return gitBranch;
    }

    /** Seconds any one operation on the git remote may take (GIT_TIMEOUT, default 30). */
    public int gitTimeoutSeconds() {
        int seconds = settings.getInt("GIT_TIMEOUT", 30);
        if (seconds < 1) {
            throw new IllegalArgumentException("GIT_TIMEOUT must be at least 1 second");
        }
        return seconds;
    }

    /** How often this agent's heartbeat is written (HEARTBEAT_INTERVAL, default 60 s), and published at most. */
    public java.time.Duration heartbeatInterval() {
        return java.time.Duration.ofSeconds(settings.getInt("HEARTBEAT_INTERVAL", 60));
    }

    /** A claim older than this, by an agent not seen for {@link #failoverAfter()}, goes back to the queue. */
    public java.time.Duration claimTimeout() {
        return java.time.Duration.ofSeconds(settings.getInt("CLAIM_TIMEOUT", 1800));
    }

    /** How long no cloud heartbeat may be seen before the local agent drafts too. */
    public java.time.Duration failoverAfter() {
        return java.time.Duration.ofSeconds(settings.getInt("FAILOVER_AFTER", 900));
    }

    /** "template" or "openai". */
    public String drafter() {
        return drafter;
    }

    /** Gmail through its API: the OAuth client and refresh token this side was given (read on the cloud, send on the local side). */
    public boolean gmailConfigured() {
        return channels.isOn("watch-gmail");
    }

    public MailProvider mailProvider() {
        return mailProvider;
    }

    public boolean mailIn() {
        return channels.isOn("watch-mail");
    }

    public boolean mailOut() {
        return channels.isOn("exec-email-reply");
    }

    public String mailAddress() {
        return settings.get("MAIL_ADDRESS", "");
    }

    /** IMAP_SECURITY: by default what MAIL_SSL says (true: ssl, false: none). */
    public Security imapSecurity() {
        return imapSecurity;
    }

    /** SMTP_SECURITY: by default starttls on port 587, else what MAIL_SSL says. */
    public Security smtpSecurity() {
        return smtpSecurity;
    }

    /** MAIL_CA_FILE, or empty for the system's certificate authorities alone. */
    public String mailCaFile() {
        return settings.get("MAIL_CA_FILE", "");
    }

    public int imapPort() {
        return settings.getInt("IMAP_PORT", imapSecurity == Security.SSL ? 993 : 143);
    }

    public int smtpPort() {
        return settings.getInt("SMTP_PORT", switch (smtpSecurity) {
            case SSL -> 465;
            case STARTTLS -> 587;
            case NONE -> 25;
        });
    }

    /**
     * The properties that need more than a setting's value (a path made absolute, a name checked,
     * one setting derived from another); every other one is in application.properties as
     * {@code {{env:NAME:default}}}. No secrets here: routes read those with {@code {{env:NAME}}}.
     */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("camel.main.name", "DigitalFTE-" + name);
        p.put("agent.type", type.id());
        p.put("agent.name", name);
        p.put("vault.path", vaultPath.toString());
        p.put("vault.sync.interval", Integer.toString(syncIntervalSeconds));
        p.put("channels.dir", channelsDir().toString());
        p.put("camel.main.routesIncludePattern", String.join(",", routeFiles()));
        p.put("mail.imap.security", imapSecurity.name().toLowerCase(Locale.ROOT));
        p.put("mail.smtp.security", smtpSecurity.name().toLowerCase(Locale.ROOT));
        p.put("mail.ca.file", mailCaFile());
        p.put("mail.imap.port", Integer.toString(imapPort()));
        p.put("mail.smtp.port", Integer.toString(smtpPort()));
        p.put("mail.username", settings.get("MAIL_USERNAME", mailAddress()));
        p.put("mail.address", mailAddress());
        p.put("draft.retry.attempts", Integer.toString(Math.max(0, settings.getInt("OPENAI_MAX_ATTEMPTS", 3) - 1)));
        return p;
    }

    /**
     * The route files this agent loads: its role's folders. A built-in channel whose settings are
     * missing is in the list too; its route's precondition ({@code {{channel:<route id>}}}) keeps it out.
     */
    public List<String> routeFiles() {
        List<String> files = new ArrayList<>();
        for (String folder : type.routeFolders()) {
            files.addAll(RouteFiles.in(AgentConfig.class.getClassLoader(), "routes/" + folder));
        }
        return files;
    }

    /** The owner's channel files (CHANNELS_DIR, default ./channels). */
    public Path channelsDir() {
        return settings.path("CHANNELS_DIR").orElse(Path.of("./channels").toAbsolutePath().normalize());
    }

    /** Which built-in channels are on, from what each one's route requires. */
    public ChannelSwitches channels() {
        return channels;
    }

    /** One line per part, on or off with the missing setting, for the start-up log. */
    public List<String> summary() {
        return summary("", MailCheck.NOT_DONE);
    }

    /**
     * The same, saying how the remote is reached (ssh with which key, https with which credentials)
     * and what the check of the mail servers found: {@code failing: <reason>} instead of {@code on}.
     */
    public List<String> summary(String remoteAccess, MailCheck check) {
        List<String> lines = new ArrayList<>();
        lines.add("agent    " + name + " (AGENT_TYPE=" + type.id() + ") on vault " + vaultPath);
        if (gitRemote.isEmpty()) {
            lines.add("sync     local history only (GIT_REMOTE is empty), every " + syncIntervalSeconds + " s");
        } else {
            lines.add("sync     remote '" + gitRemote + "'" + (remoteAccess.isEmpty() ? "" : " (" + remoteAccess + ")") + " branch " + gitBranch
                    + ", every " + syncIntervalSeconds + " s, after each change, and when the remote's branch moved (looked at every "
                    + settings.getInt("VAULT_WATCH_INTERVAL", 5) + " s)");
        }
        lines.add("channels " + channelsDir()
                + " (*.camel.yaml, loaded after start-up and again when changed)");
        if (mailProvider == MailProvider.GMAIL) {
            String missing = "  (needs " + String.join(", ", channels.missing("watch-gmail").orElse(List.of())) + ")";
            if (type.drafts()) {
                lines.add("gmail in " + (gmailConfigured() ? "on   history sync every " + settings.getInt("GMAIL_POLL_DELAY", 5) + " s" : "off" + missing));
            }
            if (type.executes()) {
                lines.add("gmail out " + (gmailConfigured() ? "on   drafts.create + drafts.send as " + mailAddress() : "off" + missing));
            }
        }
        String embedded = "embedded mailbox " + mailAddress() + " (IMAP 127.0.0.1:" + imapPort() + ", SMTP 127.0.0.1:" + smtpPort() + ")";
        if (type.drafts()) {
            String in = mailProvider == MailProvider.EMBEDDED ? embedded
                    : settings.get("MAIL_USERNAME", mailAddress()) + " via IMAP " + settings.get("IMAP_HOST", "?") + ":" + imapPort()
                    + " (" + imapSecurity.label() + ")";
            lines.add("mail in  " + (!mailIn() ? "off  (needs " + String.join(", ", channels.missing("watch-mail").orElse(List.of())) + ")"
                    : check.in().map(why -> "failing: " + why + "; " + in).orElse("on   " + in)));
            lines.add("drafter  " + (drafter.equals("openai")
                    ? "openai: model " + settings.get("OPENAI_MODEL", "gpt-4o-mini") + " at " + settings.get("OPENAI_BASE_URL", "https://api.openai.com/v1")
                    + " (template drafter when it fails)"
                    : "template (set OPENAI_API_KEY, or DRAFTER=openai with OPENAI_BASE_URL, for a model)"));
        }
        if (type.executes()) {
            String out = (mailProvider == MailProvider.EMBEDDED ? embedded
                    : mailAddress() + " via SMTP " + settings.get("SMTP_HOST", "?") + ":" + smtpPort() + " (" + smtpSecurity.label() + ")")
                    + check.sentCopies().map(where -> "; sent copies in " + where).orElse("");
            lines.add("mail out " + (!mailOut() ? "off  (needs " + String.join(", ", channels.missing("exec-email-reply").orElse(List.of())) + ")"
                    : check.out().map(why -> "failing: " + why + "; " + out).orElse("on   " + out)));
            lines.add("odoo     " + (channels.isOn("exec-odoo-invoice")
                    ? "on   invoices and payments at " + settings.get("ODOO_URL", "") + ", database " + settings.get("ODOO_DB", "") + " as "
                    + settings.get("ODOO_USER", "") + " (ODOO_API " + settings.get("ODOO_API", "from the server's version") + ")"
                    : "off  (needs " + String.join(", ", channels.missing("exec-odoo-invoice").orElse(List.of())) + ")"));
            for (String[] part : new String[][] {{"replies", "exec-whatsapp-reply"}, {"webhook", "receive-whatsapp"},
                    {"notify ", "send-whatsapp-notifications"}}) {
                List<String> missing = channels.missing(part[1]).orElse(List.of());
                lines.add("whatsapp " + part[0] + " " + (missing.isEmpty() ? "on" : "off  (needs " + String.join(", ", missing) + ")"));
            }
        }
        return lines;
    }
}
