package com.digitalfte.tls;

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

/**
 * A private CA's certificates from a PEM file named by a setting ({@code MAIL_CA_FILE},
 * {@code GIT_CA_FILE}), trusted in addition to the system's: a server is trusted when either the
 * system's CAs or those of the file vouch for it, and refused when neither does.
 */
public final class CaFiles {

    private CaFiles() {
    }

    /**
     * The certificates of {@code pem} in a key store, read at start-up so that a wrong path or a file
     * that holds no certificate stops the agent with a message naming {@code setting}, instead of
     * failing every connection.
     */
    public static KeyStore read(String setting, Path pem) {
        if (!Files.isReadable(pem)) {
            throw new IllegalArgumentException(setting + " " + pem + " cannot be read (no such file, or no permission)");
        }
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (cas.isEmpty()) {
                throw new IllegalArgumentException(setting + " " + pem + " holds no certificate (a PEM file with -----BEGIN CERTIFICATE----- is needed)");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate ca : cas) {
                store.setCertificateEntry("ca-" + n++, ca);
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(setting + " " + pem + " cannot be read as PEM certificates: " + e.getMessage(), e);
        }
    }

    /**
     * Trusts a server that the system's CAs or those of {@code cas} trust. Each check is made with
     * the socket or engine it is given, so a connection that asks for endpoint identification has the
     * host name checked by whichever trust manager vouches for the chain.
     */
    public static X509ExtendedTrustManager systemOr(KeyStore cas) throws GeneralSecurityException {
        return new EitherTrust(trustIn(null), trustIn(cas));
    }

    /** The default trust manager over {@code store}; over the system's trust store when null. */
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
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the agent never accepts TLS clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> all = new ArrayList<>(List.of(system.getAcceptedIssuers()));
            all.addAll(List.of(file.getAcceptedIssuers()));
            return all.toArray(new X509Certificate[0]);
        }
    }
}
