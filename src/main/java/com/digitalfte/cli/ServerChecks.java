package com.digitalfte.cli;

import com.digitalfte.gmail.GmailClientFactory;
import com.digitalfte.config.Settings;
import com.digitalfte.secrets.Masking;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Whether each server the agent talks to works with this machine's credentials, asked the way the
 * agent asks it, each within {@link #TIMEOUT_MS}: an IMAP login and its folder, an SMTP login, a
 * Gmail token and profile, a model server's model list.
 */
final class ServerChecks {

    static final int TIMEOUT_MS = 10_000;

    private ServerChecks() {
    }

    static Finding imap(String protocol, String host, int port, String user, String password, String folder) {
        String what = "IMAP " + host + ":" + port + " (" + protocol + ")";
        Store store = null;
        try {
            store = session(protocol).getStore(protocol);
            store.connect(host, port, user, password);
            Folder inbox = store.getFolder(folder);
            if (!inbox.exists()) {
                return Finding.fail(what + " accepts " + user + ", but has no folder '" + folder + "'",
                        "set MAIL_FOLDER to one of the account's folders (INBOX is the usual one)");
            }
            return Finding.ok(what + " accepts " + user + "; folder '" + folder + "' is there");
        } catch (MessagingException e) {
            return mailFailure(what, user, e, "IMAP_HOST, IMAP_PORT and MAIL_SSL");
        } finally {
            close(store);
        }
    }

    static Finding smtp(String protocol, String host, int port, String user, String password) {
        String what = "SMTP " + host + ":" + port + " (" + protocol + ")";
        Transport transport = null;
        try {
            boolean login = password != null && !password.isEmpty();
            Session session = session(protocol);
            session.getProperties().put("mail." + protocol + ".auth", Boolean.toString(login));
            transport = session.getTransport(protocol);
            transport.connect(host, port, login ? user : null, login ? password : null);
            return Finding.ok(what + (login ? " accepts " + user : " answers (no login: MAIL_PASSWORD is empty)"));
        } catch (MessagingException e) {
            return mailFailure(what, user, e, "SMTP_HOST, SMTP_PORT and MAIL_SSL");
        } finally {
            if (transport != null) {
                try {
                    transport.close();
                } catch (MessagingException ignored) {
                    // the answer is in
                }
            }
        }
    }

    private static Finding mailFailure(String what, String user, MessagingException e, String where) {
        if (causes(e).anyMatch(t -> t instanceof AuthenticationFailedException)) {
            return Finding.fail(what + " refused the login of " + user + " (" + message(e) + ")",
                    "check MAIL_USERNAME and MAIL_PASSWORD; Gmail, Outlook and iCloud want an app password, not the account's");
        }
        return Finding.fail(what + " cannot be reached (" + message(e) + ")", "check " + where + ", and that this machine reaches the server");
    }

    static Finding gmail(Settings s) {
        String what = "Gmail API";
        try {
            var gmail = new GmailClientFactory(s.get("GMAIL_API_URL", "https://gmail.googleapis.com/"),
                    s.get("GMAIL_TOKEN_URL", "https://oauth2.googleapis.com/token"))
                    .makeClient(s.get("GMAIL_CLIENT_ID", ""), s.get("GMAIL_CLIENT_SECRET", ""), List.of(), "DigitalFTE",
                            s.get("GMAIL_REFRESH_TOKEN", ""), null);
            String address = gmail.users().getProfile("me").execute().getEmailAddress();
            String expected = s.get("MAIL_ADDRESS", "");
            if (!expected.isEmpty() && !expected.equalsIgnoreCase(address)) {
                return Finding.fail(what + " accepts the token, but it is " + address + "'s, not MAIL_ADDRESS " + expected + "'s",
                        "make the refresh token as " + expected + " (docs/GMAIL_SETUP.md), or set MAIL_ADDRESS=" + address);
            }
            return Finding.ok(what + " accepts the refresh token of " + address);
        } catch (IOException | RuntimeException e) {
            if (com.digitalfte.health.ChannelHealth.isRefusal(e)) {
                return Finding.fail(what + " refused the OAuth client or the refresh token (" + message(e) + ")",
                        "check GMAIL_CLIENT_ID and GMAIL_CLIENT_SECRET, and make a new refresh token (docs/GMAIL_SETUP.md): an unused one expires");
            }
            return Finding.fail(what + " cannot be reached (" + message(e) + ")", "check that this machine reaches Google (GMAIL_API_URL)");
        }
    }

    static Finding model(Settings s) {
        String base = s.get("OPENAI_BASE_URL", "https://api.openai.com/v1");
        String what = "model server " + base;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.replaceAll("/+$", "") + "/models"))
                    .timeout(Duration.ofMillis(TIMEOUT_MS));
            s.find("OPENAI_API_KEY").ifPresent(key -> request.header("Authorization", "Bearer " + key));
            HttpResponse<String> answer = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(TIMEOUT_MS)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = answer.statusCode();
            String model = s.get("OPENAI_MODEL", "gpt-4o-mini");
            if (status == 401 || status == 403) {
                return Finding.fail(what + " refused OPENAI_API_KEY (HTTP " + status + ")", "set a valid OPENAI_API_KEY; drafts fall back to the template meanwhile");
            }
            if (status / 100 != 2) {
                return Finding.warn(what + " answers HTTP " + status + " to its model list; the model " + model + " is not checked", null);
            }
            if (!answer.body().contains("\"" + model + "\"")) {
                return Finding.warn(what + " accepts the key, but does not list the model " + model, "check OPENAI_MODEL against the server's models");
            }
            return Finding.ok(what + " accepts the key and has the model " + model);
        } catch (IOException | IllegalArgumentException e) {
            return Finding.fail(what + " cannot be reached (" + message(e) + ")", "check OPENAI_BASE_URL; drafts fall back to the template meanwhile");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Finding.fail(what + " was not asked: interrupted", null);
        }
    }

    private static Session session(String protocol) {
        Properties p = new Properties();
        for (String key : List.of("connectiontimeout", "timeout", "writetimeout")) {
            p.put("mail." + protocol + "." + key, Integer.toString(TIMEOUT_MS));
        }
        return Session.getInstance(p);
    }

    private static void close(Store store) {
        if (store != null) {
            try {
                store.close();
            } catch (MessagingException ignored) {
                // the answer is in
            }
        }
    }

    private static Stream<Throwable> causes(Throwable error) {
        return Stream.iterate(error, t -> t != null, t -> t.getCause() == t ? null : t.getCause());
    }

    /** The innermost message, masked: a server may quote what it was sent. */
    static String message(Throwable e) {
        Throwable inner = causes(e).filter(t -> t.getMessage() != null && !t.getMessage().isBlank()).reduce((a, b) -> b).orElse(e);
        String text = inner.getMessage() == null ? inner.getClass().getSimpleName() : inner.getMessage();
        return Masking.mask(text.replaceAll("\\s+", " ").strip());
    }
}
