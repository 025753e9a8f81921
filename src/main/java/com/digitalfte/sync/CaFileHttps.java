package com.digitalfte.sync;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
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
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.JDKHttpConnectionFactory;

/**
 * HTTPS to a git server whose certificate a private CA signed ({@code GIT_CA_FILE}): a server is
 * trusted when the system's CAs or those of the file vouch for it. Nothing else changes: the host
 * name is still checked against the certificate, and a server neither vouches for is refused.
 */
final class CaFileHttps extends JDKHttpConnectionFactory {

    private final TrustManager[] trust;

    private CaFileHttps(TrustManager[] trust) {
        this.trust = trust;
    }

    /** From a PEM file of one or more CA certificates; an unreadable file stops the start-up with a reason. */
    static CaFileHttps of(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (cas.isEmpty()) {
                throw new IllegalArgumentException("GIT_CA_FILE " + pemFile + " holds no certificate (a PEM file of CA certificates is expected)");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate ca : cas) {
                store.setCertificateEntry("git-ca-" + n++, ca);
            }
            return new CaFileHttps(new TrustManager[] {new EitherTrust(trustIn(null), trustIn(store))});
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("GIT_CA_FILE " + pemFile + " cannot be read as PEM certificates: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager trustIn(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    @Override
    public GitSession newSession() {
        GitSession jgit = super.newSession();
        return new GitSession() {
            @Override
            public HttpConnection configure(HttpConnection connection, boolean sslVerify) throws IOException, GeneralSecurityException {
                // http.sslVerify=false in the owner's git config keeps JGit's meaning; the agent never sets it
                if (!sslVerify || !"https".equals(connection.getURL().getProtocol())) {
                    return jgit.configure(connection, sslVerify);
                }
                connection.configure(null, trust, null);
                return connection;
            }

            @Override
            public void close() {
                jgit.close();
            }
        };
    }

    /**
     * Trusted when the system's trust manager or the file's says so. The socket and engine variants
     * are kept, since those are the ones that check the host name against the certificate.
     */
    private static final class EitherTrust extends X509ExtendedTrustManager {

        private interface Check {
            void run(X509ExtendedTrustManager tm) throws CertificateException;
        }

        private final X509ExtendedTrustManager system;
        private final X509ExtendedTrustManager file;

        EitherTrust(X509ExtendedTrustManager system, X509ExtendedTrustManager file) {
            this.system = system;
            this.file = file;
        }

        private void either(Check check) throws CertificateException {
            try {
                check.run(system);
            } catch (CertificateException notBySystem) {
                try {
                    check.run(file);
                } catch (CertificateException notByFile) {
                    notByFile.addSuppressed(notBySystem);
                    throw notByFile;
                }
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            either(tm -> tm.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            either(tm -> tm.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            either(tm -> tm.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("a git client does not take client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("a git client does not take client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a git client does not take client certificates");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> all = new ArrayList<>(List.of(system.getAcceptedIssuers()));
            all.addAll(List.of(file.getAcceptedIssuers()));
            return all.toArray(new X509Certificate[0]);
        }
    }
}
