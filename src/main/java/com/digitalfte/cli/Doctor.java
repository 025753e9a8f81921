package com.digitalfte.cli;

import com.digitalfte.audit.JsonLines;
import com.digitalfte.config.AgentConfig;
import com.digitalfte.config.Settings;
import com.digitalfte.health.DiskStatus;
import com.digitalfte.health.Health;
import com.digitalfte.health.Observe;
import com.digitalfte.health.QueueStatus;
import com.digitalfte.health.SyncStatus;
import com.digitalfte.mail.MailConnection;
import com.digitalfte.mail.MailSessions;
import com.digitalfte.secrets.Masking;
import com.digitalfte.sync.RemoteException;
import com.digitalfte.sync.VaultSync;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What is wrong with this machine's agent, and how to fix it, without starting it: the settings,
 * which channels are on and what the others miss, whether each server takes the credentials, the
 * vault, its remote and the last sync. Secrets are named, never shown.
 */
final class Doctor {

    /** A section of the report and what was found in it. */
    record Section(String title, List<Finding> findings) {
    }

    private final Settings given;
    private final Path dotEnv;
    private final Clock clock;
    private final List<Section> sections = new ArrayList<>();

    Doctor(Settings given, Path dotEnv, Clock clock) {
        this.given = given;
        this.dotEnv = dotEnv;
        this.clock = clock;
    }

    List<Section> examine() {
        List<Finding> settings = section("settings");
        settings.add(Files.isRegularFile(dotEnv) ? Finding.info("read the environment, then " + dotEnv.toAbsolutePath().normalize()
                + " (the environment wins)") : Finding.info("no .env in " + dotEnv.toAbsolutePath().getParent().normalize()
                + ": the environment only (cp .env.example .env to keep settings in a file)"));
        AgentConfig config;
        try {
            config = AgentConfig.from(given);
            Observe.of(config.settings());
        } catch (IllegalArgumentException e) {
            settings.add(Finding.fail(e.getMessage(), "correct it in .env or the environment (.env.example says what each setting takes)"));
            return sections;
        }
        settings.add(Finding.ok("agent " + config.name() + " (AGENT_TYPE=" + config.type().id() + ") on vault " + config.vaultPath()));
        channels(config);
        vault(config);
        return sections;
    }

    private List<Finding> section(String title) {
        List<Finding> findings = new ArrayList<>();
        sections.add(new Section(title, findings));
        return findings;
    }

    private void channels(AgentConfig config) {
        List<Finding> channels = section("channels");
        List<Finding> servers = section("servers and credentials");
        Settings s = config.settings();
        String user = s.get("MAIL_USERNAME", config.mailAddress());
        switch (config.mailProvider()) {
            case EMBEDDED -> channels.add(Finding.ok("mail: the embedded mailbox " + config.mailAddress() + " (IMAP 127.0.0.1:" + config.imapPort()
                    + ", SMTP 127.0.0.1:" + config.smtpPort() + "), started with the agent: nothing to check here"));
            case IMAP -> {
                if (config.type().drafts()) {
                    if (channel(channels, config, "watch-mail", "mail in", "IMAP " + s.get("IMAP_HOST", "") + ":" + config.imapPort() + " as " + user)) {
                        secret(channels, s, "MAIL_PASSWORD");
                        String security = config.imapSecurity().name().toLowerCase(java.util.Locale.ROOT);
                        servers.add(ServerChecks.mail(new MailConnection("IMAP", user, s.get("IMAP_HOST", ""), config.imapPort(), security),
                                MailSessions.imap(security, config.mailCaFile()), s.get("MAIL_PASSWORD", ""), "IMAP_HOST, IMAP_PORT and IMAP_SECURITY"));
                    }
                }
                if (config.type().executes()) {
                    if (channel(channels, config, "exec-email-reply", "mail out", "SMTP " + s.get("SMTP_HOST", "") + ":" + config.smtpPort()
                            + " as " + config.mailAddress())) {
                        secret(channels, s, "MAIL_PASSWORD");
                        String security = config.smtpSecurity().name().toLowerCase(java.util.Locale.ROOT);
                        servers.add(ServerChecks.mail(new MailConnection("SMTP", user, s.get("SMTP_HOST", ""), config.smtpPort(), security),
                                MailSessions.smtp(security, config.mailCaFile()), s.get("MAIL_PASSWORD", ""), "SMTP_HOST, SMTP_PORT and SMTP_SECURITY"));
                    }
                }
            }
            case GMAIL -> {
                boolean on = false;
                if (config.type().drafts()) {
                    on = channel(channels, config, "watch-gmail", "gmail in", "history of " + config.mailAddress());
                }
                if (config.type().executes()) {
                    on |= channel(channels, config, "exec-email-reply-gmail", "gmail out", "drafts.send as " + config.mailAddress());
                }
                if (on) {
                    secret(channels, s, "GMAIL_CLIENT_SECRET");
                    secret(channels, s, "GMAIL_REFRESH_TOKEN");
                    servers.add(ServerChecks.gmail(s));
                }
            }
        }
        if (config.type().drafts()) {
            if (config.drafter().equals("openai")) {
                channels.add(Finding.ok("drafter: model " + s.get("OPENAI_MODEL", "gpt-4o-mini") + " at " + s.get("OPENAI_BASE_URL", "https://api.openai.com/v1")
                        + (s.has("OPENAI_API_KEY") ? "; OPENAI_API_KEY is set" : "; no OPENAI_API_KEY (a local server)")));
                servers.add(ServerChecks.model(s));
            } else {
                channels.add(Finding.info("drafter: the template (set OPENAI_API_KEY, or DRAFTER=openai with OPENAI_BASE_URL, for a model)"));
            }
        }
        if (servers.isEmpty()) {
            servers.add(Finding.info("no server to ask"));
        }
    }

    /** Whether the built-in channel is on; off is a problem: the role needs it and its provider was chosen. */
    private static boolean channel(List<Finding> findings, AgentConfig config, String route, String name, String what) {
        List<String> missing = config.channels().missing(route).orElse(List.of());
        if (missing.isEmpty()) {
            findings.add(Finding.ok(name + ": on, " + what));
            return true;
        }
        findings.add(Finding.fail(name + ": off, it needs " + String.join(", ", missing),
                "set " + String.join(", ", missing) + " in .env or the environment (.env.example says what each takes)"));
        return false;
    }

    private static void secret(List<Finding> findings, Settings s, String name) {
        String line = name + (s.has(name) ? " is set" : " is empty");
        if (findings.stream().noneMatch(f -> f.text().equals(line))) {
            findings.add(s.has(name) ? Finding.ok(line) : Finding.warn(line, "set it unless the server takes no login"));
        }
    }

    private void vault(AgentConfig config) {
        List<Finding> vault = section("vault");
        Path root = config.vaultPath();
        if (!Files.isDirectory(root)) {
            vault.add(config.gitRemote().isEmpty()
                    ? Finding.info(root + " does not exist yet: the agent makes it, with a history of its own, at its first start")
                    : Finding.fail(root + " does not exist, and GIT_REMOTE=" + config.gitRemote() + " needs a clone there",
                    "git clone <the vault's remote URL> " + root));
            return;
        }
        if (!Files.isWritable(root)) {
            vault.add(Finding.fail(root + " cannot be written", "give the agent's user write access to it"));
            return;
        }
        boolean history = Files.isDirectory(root.resolve(".git")) || Files.isDirectory(root.resolve(".state/history.git"))
                || enclosingRepository(root);
        if (!history) {
            if (!config.gitRemote().isEmpty()) {
                vault.add(Finding.fail(root + " is not a git clone, and GIT_REMOTE=" + config.gitRemote() + " needs one",
                        "git clone <the vault's remote URL> " + root + " (or empty GIT_REMOTE for a history on this machine only)"));
                return;
            }
            vault.add(Finding.info(root + " has no history yet: the agent makes one at its first start"));
        }
        Vault v = new Vault(root);
        add(vault, new DiskStatus(root).now());
        add(vault, new QueueStatus(v).now());
        add(vault, new SyncStatus(v.logs().resolve("vault_sync.jsonl"), Duration.ofSeconds(config.settings().getInt("VAULT_SYNC_INTERVAL", 300)), clock)
                .now(), "the next sync tells; `sync` makes one now and prints what went wrong");
        agents(vault, v, config);
        if (!history) {
            return;
        }
        List<Finding> remote = section("remote");
        if (config.gitRemote().isEmpty()) {
            remote.add(Finding.info("none (GIT_REMOTE is empty): the vault's history stays on this machine"));
            return;
        }
        secret(remote, config.settings(), "GIT_TOKEN");
        remote.removeIf(f -> f.text().equals("GIT_TOKEN is empty"));
        Masking.add(config.settings().secretValues());
        try (VaultSync sync = AgentTools.sync(config, v)) {
            String url = Masking.mask(sync.remoteUrl());
            Optional<RemoteException> problem = sync.askRemote();
            if (problem.isEmpty()) {
                remote.add(Finding.ok("'" + config.gitRemote() + "' (" + url + ") answers and accepts this agent; branch " + config.gitBranch()));
            } else if (problem.get() instanceof RemoteException.Refused) {
                remote.add(Finding.failWithAdvice(problem.get().getMessage(), "see the line above; until then no claim is taken"));
            } else {
                remote.add(Finding.fail(problem.get().getMessage(), "check the network and the URL (git -C " + root + " remote -v)"));
            }
        } catch (IllegalStateException e) {
            remote.add(Finding.fail(Masking.mask(e.getMessage()), "see the line above"));
        }
    }

    private static boolean enclosingRepository(Path root) {
        for (Path p = root.getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(".git"))) {
                return true;
            }
        }
        return false;
    }

    private static void add(List<Finding> findings, Health health) {
        add(findings, health, "see the line above");
    }

    private static void add(List<Finding> findings, Health health, String fix) {
        if (!health.up()) {
            findings.add(Finding.fail(health.message(), fix));
        } else if (health.details().containsKey("warning")) {
            findings.add(Finding.warn(health.message(), null));
        } else {
            findings.add(Finding.ok(health.message()));
        }
    }

    /** Each agent's last heartbeat on this machine's clone: one not seen for a while is worth knowing. */
    private void agents(List<Finding> findings, Vault vault, AgentConfig config) {
        Path dir = vault.heartbeats();
        if (!Files.isDirectory(dir)) {
            return;
        }
        Map<String, Instant> seen = new LinkedHashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                try {
                    Map<?, ?> hb = JsonLines.JSON.readValue(f.toFile(), Map.class);
                    seen.put(hb.get("agent") + " (" + hb.get("type") + ")", Instant.parse(String.valueOf(hb.get("last_seen"))));
                } catch (IOException | RuntimeException unreadable) {
                    findings.add(Finding.warn("the heartbeat " + f.getFileName() + " cannot be read", null));
                }
            }
        } catch (IOException e) {
            return;
        }
        Duration stale = config.failoverAfter();
        seen.forEach((agent, at) -> {
            long minutes = Duration.between(at, clock.instant()).toMinutes();
            String line = "agent " + agent + " last seen " + at + " (" + minutes + " min ago)";
            findings.add(Duration.between(at, clock.instant()).compareTo(stale) > 0
                    ? Finding.warn(line, "is it running? Its machine's `doctor` tells why not") : Finding.ok(line));
        });
    }
}
