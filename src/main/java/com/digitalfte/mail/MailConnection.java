package com.digitalfte.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Service;
import jakarta.mail.Session;
import java.util.Locale;
import java.util.Optional;

/**
 * One mail server the agent talks to (the IMAP mailbox it reads, the SMTP server it sends through):
 * the key its problems are shown under, and what a failure to reach it means in one line.
 */
public final class MailConnection {

    private final String server;
    private final String username;
    private final String host;
    private final int port;
    private final MailSessions.Security security;

    /** {@code server}: IMAP or SMTP; {@code security}: ssl, starttls or none. */
    public MailConnection(String server, String username, String host, int port, String security) {
        this.server = server.toUpperCase(Locale.ROOT);
        if (!this.server.equals("IMAP") && !this.server.equals("SMTP")) {
            throw new IllegalArgumentException("a mail connection is IMAP or SMTP, not '" + server + "'");
        }
        this.username = username;
        this.host = host;
        this.port = port;
        this.security = MailSessions.Security.parse(this.server + " security", security);
    }

    /** "mail in me@example.com (IMAP imap.example.com:993)", as the Dashboard lists its problems. */
    public String key() {
        return "mail " + (server.equals("IMAP") ? "in" : "out") + " " + username + " (" + server + " " + host + ":" + port + ")";
    }

    /** What this failure to reach the server means, in one line. */
    public String reason(Throwable error) {
        return MailFailure.reason(error, server, server, host, port, security);
    }

    /** Connects and logs in once, as the routes will: empty when that worked, else why it did not. */
    public Optional<String> check(Session session, String password) {
        try (Service service = server.equals("IMAP") ? session.getStore("imap") : session.getTransport("smtp")) {
            boolean login = !username.isEmpty();
            service.connect(host, port, login ? username : null, login ? password : null);
            return Optional.empty();
        } catch (MessagingException e) {
            return Optional.of(reason(e));
        }
    }
}
