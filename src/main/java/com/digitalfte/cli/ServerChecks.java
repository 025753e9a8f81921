package com.digitalfte.cli;

import com.digitalfte.gmail.GmailClientFactory;
import com.digitalfte.config.Settings;
import com.digitalfte.secrets.Masking;
import com.digitalfte.mail.MailConnection;
import jakarta.mail.Session;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether each server the agent talks to works with this machine's credentials, asked the way the
 * agent asks it: an IMAP and an SMTP login, a Gmail token and profile, a model server's model list
 * (this one within {@link #TIMEOUT_MS}).
 */
final class ServerChecks {

    static final int TIMEOUT_MS = 10_000;

    private ServerChecks() {
    }

    /**
     * Logs in once, as the agent's routes and its start-up check do (the same session: TLS, the CA
     * file, timeouts); the mail package's reason for a failure says what it means and what to do.
     */
    static Finding mail(MailConnection server, Session session, String password, String settings) {
        Optional<String> failure = server.check(session, password);
        if (failure.isEmpty()) {
            return Finding.ok(server.key() + ": logged in");
        }
        return Finding.failWithAdvice(server.key() + ": " + Masking.mask(failure.get()),
                "check " + settings + ", and that this machine reaches the server");
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
