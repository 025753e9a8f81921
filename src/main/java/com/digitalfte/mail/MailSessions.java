package com.digitalfte.mail;

import jakarta.mail.Session;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The Jakarta Mail sessions every mail connection of the agent uses (the IMAP source, the SMTP sink,
 * the Sent folder lookups, the start-up check), so they all speak TLS the same way:
 *
 * <ul>
 *   <li>one protocol name per kind ({@code imap}, {@code smtp}); {@code ssl} is implicit TLS
 *       ({@code mail.<proto>.ssl.enable}), {@code starttls} is required once chosen
 *       ({@code starttls.required}: a server that does not offer it is an error, never a silent
 *       plain connection), {@code none} is plain;</li>
 *   <li>the server's name is checked against its certificate ({@code ssl.checkserveridentity});</li>
 *   <li>the certificates of {@code MAIL_CA_FILE} are trusted besides the system's, through an SSL
 *       socket factory given to both implicit TLS and STARTTLS ({@code ssl.socketFactory}, an object
 *       property: Camel's endpoint options carry only strings, hence a session of our own);</li>
 *   <li>every connection has a connect and a read timeout, so a silent server cannot hang a poll.</li>
 * </ul>
 */
public final class MailSessions {

    /** How a connection is secured: {@code IMAP_SECURITY}, {@code SMTP_SECURITY}. */
    public enum Security {
        SSL("TLS"), STARTTLS("STARTTLS"), NONE("plain");

        private final String label;

        Security(String label) {
            this.label = label;
        }

        /** {@code ssl}, {@code starttls} or {@code none}, any case; anything else names the setting. */
        public static Security parse(String setting, String value) {
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(setting + " must be ssl, starttls or none, not '" + value + "'");
            }
        }

        /** What the start-up summary says: TLS, STARTTLS or plain. */
        public String label() {
            return label;
        }
    }

    static final int CONNECT_TIMEOUT_MS = 15_000;
    static final int READ_TIMEOUT_MS = 30_000;

    private MailSessions() {
    }

    /** A session for IMAP; {@code caFile} empty for the system's trust store alone. */
    public static Session imap(String security, String caFile) {
        Properties p = base("imap", Security.parse("IMAP security", security), caFile);
        // folders that fetch a poll's messages in a few bulk commands, not ten round trips each
        p.put("mail.imap.class", BulkFetchImapStore.class.getName());
        return Session.getInstance(p);
    }

    /** A session for SMTP, logging in when the server offers AUTH; {@code caFile} as for {@link #imap}. */
    public static Session smtp(String security, String caFile) {
        Properties p = base("smtp", Security.parse("SMTP security", security), caFile);
        p.put("mail.smtp.auth", "true");
        return Session.getInstance(p);
    }

    private static Properties base(String protocol, Security security, String caFile) {
        String prefix = "mail." + protocol + ".";
        Properties p = new Properties();
        p.put(prefix + "connectiontimeout", Integer.toString(CONNECT_TIMEOUT_MS));
        p.put(prefix + "timeout", Integer.toString(READ_TIMEOUT_MS));
        p.put(prefix + "writetimeout", Integer.toString(READ_TIMEOUT_MS));
        switch (security) {
            case SSL -> p.put(prefix + "ssl.enable", "true");
            case STARTTLS -> {
                p.put(prefix + "starttls.enable", "true");
                p.put(prefix + "starttls.required", "true");
            }
            case NONE -> {
                return p;
            }
        }
        p.put(prefix + "ssl.checkserveridentity", "true");
        p.put(prefix + "ssl.socketFactory", sslContext(caFile).getSocketFactory());
        // a connection that fails with ours is not tried again with Java's default factory, whose error would hide the real one
        p.put(prefix + "socketFactory.fallback", "false");
        return p;
    }

    /** TLS that trusts the system's certificate authorities, and those of {@code caFile} when it is given. */
    static SSLContext sslContext(String caFile) {
        try {
            X509TrustManager system = trustManager(null);
            TrustManager trust = caFile == null || caFile.isBlank() ? system
                    : new EitherTrustManager(system, trustManager(caStore(Path.of(caFile.strip()))));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS cannot be set up: " + e.getMessage(), e);
        }
    }

    /**
     * The certificates of a PEM file, checked at start-up so that a wrong path or a file that holds
     * no certificate stops the agent with a clear message instead of failing every connection.
     */
    public static List<X509Certificate> certificates(Path pem) {
        if (!Files.isReadable(pem)) {
            throw new IllegalArgumentException("MAIL_CA_FILE " + pem + " cannot be read (no such file, or no permission)");
        }
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> read = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> certificates = new ArrayList<>();
            read.forEach(c -> certificates.add((X509Certificate) c));
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("MAIL_CA_FILE " + pem + " holds no certificate (a PEM file with -----BEGIN CERTIFICATE----- is needed)");
            }
            return certificates;
        } catch (CertificateException | IOException e) {
            throw new IllegalArgumentException("MAIL_CA_FILE " + pem + " is not a PEM file of certificates: " + e.getMessage(), e);
        }
    }

    private static KeyStore caStore(Path pem) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int n = 0;
        for (X509Certificate c : certificates(pem)) {
            store.setCertificateEntry("mail-ca-" + n++, c);
        }
        return store;
    }

    /** The default trust manager over {@code store}; over the system's trust store when null. */
    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager m : factory.getTrustManagers()) {
            if (m instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** Trusts a server that either trust manager trusts: the system's CAs or the given ones. */
    private static final class EitherTrustManager implements X509TrustManager {

        private final X509TrustManager system;
        private final X509TrustManager own;

        EitherTrustManager(X509TrustManager system, X509TrustManager own) {
            this.system = system;
            this.own = own;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                system.checkServerTrusted(chain, authType);
            } catch (CertificateException notBySystem) {
                try {
                    own.checkServerTrusted(chain, authType);
                } catch (CertificateException notByOwn) {
                    notByOwn.addSuppressed(notBySystem);
                    throw notByOwn;
                }
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the agent never accepts TLS clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            X509Certificate[] a = system.getAcceptedIssuers();
            X509Certificate[] b = own.getAcceptedIssuers();
            X509Certificate[] all = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            return all;
        }
    }
}
