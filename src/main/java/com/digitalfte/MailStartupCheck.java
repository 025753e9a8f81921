package com.digitalfte;

import com.digitalfte.config.AgentConfig;
import com.digitalfte.config.AgentConfig.MailCheck;
import com.digitalfte.config.AgentConfig.MailProvider;
import com.digitalfte.mail.MailConnection;
import com.digitalfte.mail.MailProblems;
import com.digitalfte.mail.MailSessions;
import com.digitalfte.mail.SentFolder;
import jakarta.mail.MessagingException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Before the routes start: logs in once to the IMAP server this agent reads and the SMTP server it
 * sends through, and asks where sent copies go, so the start-up summary says {@code failing: <reason>}
 * instead of {@code on} when they will not work, and the Dashboard shows it. The three run side by side:
 * a server that does not answer delays the start by one timeout, not three.
 */
final class MailStartupCheck {

    private final AgentConfig config;
    private final MailProblems problems;

    MailStartupCheck(AgentConfig config, MailProblems problems) {
        this.config = config;
        this.problems = problems;
    }

    MailCheck run() {
        if (config.mailProvider() == MailProvider.GMAIL) {
            return MailCheck.NOT_DONE;
        }
        boolean embedded = config.mailProvider() == MailProvider.EMBEDDED;
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            CompletableFuture<Optional<String>> in = CompletableFuture.supplyAsync(() ->
                    !embedded && config.type().drafts() && config.mailIn() ? check(imap(), MailSessions.imap(security(config.imapSecurity()),
                            config.mailCaFile())) : Optional.<String>empty(), threads);
            CompletableFuture<Optional<String>> out = CompletableFuture.supplyAsync(() ->
                    !embedded && config.type().executes() && config.mailOut() ? check(smtp(), MailSessions.smtp(security(config.smtpSecurity()),
                            config.mailCaFile())) : Optional.<String>empty(), threads);
            CompletableFuture<Optional<String>> sent = CompletableFuture.supplyAsync(() ->
                    config.type().executes() && config.mailOut() ? Optional.of(sentCopies()) : Optional.<String>empty(), threads);
            return new MailCheck(in.join(), out.join(), sent.join());
        } finally {
            threads.shutdown();
        }
    }

    private Optional<String> check(MailConnection server, jakarta.mail.Session session) {
        Optional<String> failure = server.check(session, config.settings().get("MAIL_PASSWORD", ""));
        failure.ifPresentOrElse(why -> problems.failing(server.key(), why), () -> problems.working(server.key()));
        return failure;
    }

    private String sentCopies() {
        SentFolder sent = new SentFolder();
        sent.setSecurity(security(config.imapSecurity()));
        sent.setCaFile(config.mailCaFile());
        sent.setHost(config.settings().get("IMAP_HOST", "localhost"));
        sent.setPort(config.imapPort());
        sent.setUsername(username());
        sent.setPassword(config.settings().get("MAIL_PASSWORD", ""));
        sent.setFolder(config.settings().get("MAIL_SENT_FOLDER", ""));
        sent.setCopies(config.settings().get("MAIL_SENT_COPY", "agent"));
        try {
            return sent.describe();
        } catch (MessagingException e) {
            return "'" + sent.name() + "' or the folder marked \\Sent (not checked: " + imap().reason(e) + ")";
        }
    }

    private MailConnection imap() {
        return new MailConnection("IMAP", username(), config.settings().get("IMAP_HOST", "localhost"), config.imapPort(),
                security(config.imapSecurity()));
    }

    private MailConnection smtp() {
        return new MailConnection("SMTP", username(), config.settings().get("SMTP_HOST", "localhost"), config.smtpPort(),
                security(config.smtpSecurity()));
    }

    private String username() {
        return config.settings().get("MAIL_USERNAME", config.mailAddress());
    }

    private static String security(MailSessions.Security security) {
        return security.name().toLowerCase(Locale.ROOT);
    }
}
