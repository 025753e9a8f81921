package com.digitalfte.mail;

import jakarta.mail.AuthenticationFailedException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * What a failed mail connection means, in one line the owner can act on: an untrusted certificate,
 * a certificate for another name, no STARTTLS, TLS on a plain port, a refused login, no answer. The
 * exception's own text (a {@code PKIX path building failed} trace) says none of that plainly.
 */
public final class MailFailure {

    private MailFailure() {
    }

    /**
     * {@code server}: "IMAP" or "SMTP"; {@code settings}: the prefix of the settings to name
     * ("IMAP" for IMAP_SECURITY, IMAP_PORT); {@code host}, {@code port} and {@code security}: what was tried.
     */
    public static String reason(Throwable error, String server, String settings, String host, int port, MailSessions.Security security) {
        String root = rootMessage(error);
        String lower = root.toLowerCase(Locale.ROOT);
        String its = "the " + server + " server's certificate";
        if (has(error, AuthenticationFailedException.class)) {
            return "the " + server + " server refused the login: check MAIL_USERNAME and MAIL_PASSWORD (an app password where the"
                    + " provider asks for one)";
        }
        if (lower.contains("starttls") && (lower.contains("not support") || lower.contains("required"))) {
            return "the " + server + " server at " + host + ":" + port + " does not offer STARTTLS: use its TLS port with "
                    + settings + "_SECURITY=ssl, or " + settings + "_SECURITY=none only on a network you trust";
        }
        if (has(error, CertificateExpiredException.class) || has(error, CertificateNotYetValidException.class)) {
            return its + " has expired or is not valid yet (" + root + ")";
        }
        if (has(error, CertPathBuilderException.class) || has(error, CertPathValidatorException.class)
                || lower.contains("unable to find valid certification path") || lower.contains("pkix path")) {
            return its + " is not trusted: set MAIL_CA_FILE to the CA's PEM file";
        }
        if (lower.contains("no subject alternative") || lower.contains("no name matching")) {
            return its + " is not for '" + host + "': connect by a name the certificate holds (" + root + ")";
        }
        if (lower.contains("unrecognized ssl message") || lower.contains("unsupported or unrecognized ssl message")) {
            return "the " + server + " server at " + host + ":" + port + " does not speak TLS from the start: use "
                    + settings + "_SECURITY=starttls on this port, or its TLS port";
        }
        if (has(error, SSLHandshakeException.class) || has(error, SSLException.class)) {
            return "TLS with the " + server + " server at " + host + ":" + port + " failed (" + root + ")";
        }
        if (has(error, UnknownHostException.class)) {
            return "the " + server + " server's name '" + host + "' is not known";
        }
        if (has(error, ConnectException.class) || lower.contains("connection refused")) {
            return "nothing answers at " + host + ":" + port + " (" + root + "): check " + settings + "_HOST and " + settings + "_PORT";
        }
        if (has(error, InterruptedIOException.class) || lower.contains("timed out")) {
            return "the " + server + " server at " + host + ":" + port + " did not answer in time"
                    + (security == MailSessions.Security.SSL ? "" : ": is it a TLS port? then " + settings + "_SECURITY=ssl");
        }
        return "the " + server + " server at " + host + ":" + port + " failed: " + root;
    }

    private static boolean has(Throwable error, Class<? extends Throwable> kind) {
        return causes(error).anyMatch(kind::isInstance);
    }

    /** The error and its causes, outermost first (Jakarta Mail chains with getNextException as the cause). */
    private static Stream<Throwable> causes(Throwable error) {
        return Stream.iterate(error, t -> t != null, t -> t.getCause() == t ? null : t.getCause());
    }

    private static String rootMessage(Throwable error) {
        Throwable root = causes(error).reduce((outer, inner) -> inner).orElse(error);
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replaceAll("\\s+", " ").strip();
    }
}
