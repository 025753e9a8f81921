package com.digitalfte.sync;

import com.digitalfte.tls.CaFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import javax.net.ssl.TrustManager;
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
        try {
            return new CaFileHttps(new TrustManager[] {CaFiles.systemOr(CaFiles.read("GIT_CA_FILE", pemFile))});
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("GIT_CA_FILE " + pemFile + " cannot be read as PEM certificates: " + e.getMessage(), e);
        }
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
}
