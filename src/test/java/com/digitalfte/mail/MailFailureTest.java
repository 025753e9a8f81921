package com.digitalfte.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each way of failing to reach an IMAP server reads like, against GreenMail: its IMAPS
 * certificate is self-signed, for no host name, so it is untrusted without a CA file and, trusted
 * through {@code MAIL_CA_FILE}, still refused for the name (hostname verification stays on).
 */
class MailFailureTest {

    private static final String ME = "me@example.com";

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.IMAPS.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(ME, ME, "pw-123456"));

    @TempDir
    Path dir;

    @Test
    void aSelfSignedCertificateIsNotTrustedWithoutTheCaFile() {
        assertThat(check("ssl", mail.getImaps().getPort(), "", "pw-123456"))
                .isEqualTo("the IMAP server's certificate is not trusted: set MAIL_CA_FILE to the CA's PEM file");
    }

    @Test
    void aTrustedCertificateForAnotherNameIsStillRefused() throws Exception {
        assertThat(check("ssl", mail.getImaps().getPort(), greenMailCertificate().toString(), "pw-123456"))
                .startsWith("the IMAP server's certificate is not for '127.0.0.1': connect by a name the certificate holds");
    }

    @Test
    void aRefusedLoginTlsOnAPlainPortAndNobodyListeningEachSaySo() throws Exception {
        int plain = mail.getImap().getPort();
        assertThat(check("none", plain, "", "wrong-password"))
                .isEqualTo("the IMAP server refused the login: check MAIL_USERNAME and MAIL_PASSWORD (an app password where the provider asks for one)");
        assertThat(check("ssl", plain, "", "pw-123456"))
                .isEqualTo("the IMAP server at 127.0.0.1:" + plain + " does not speak TLS from the start: use IMAP_SECURITY=starttls on this port,"
                        + " or its TLS port");
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThat(check("none", closed, "", "pw-123456")).startsWith("nothing answers at 127.0.0.1:" + closed)
                .endsWith("check IMAP_HOST and IMAP_PORT");
        assertThat(check("none", plain, "", "pw-123456")).isEmpty();
    }

    private static String check(String security, int port, String caFile, String password) {
        return new MailConnection("IMAP", ME, "127.0.0.1", port, security).check(MailSessions.imap(security, caFile), password).orElse("");
    }

    /** GreenMail's own certificate as a PEM file, as an owner would export a self-hosted server's. */
    private Path greenMailCertificate() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = ServerSetup.class.getClassLoader().getResourceAsStream("greenmail.p12")) {
            store.load(in, "changeit".toCharArray());
        }
        byte[] der = store.getCertificate(store.aliases().nextElement()).getEncoded();
        return Files.writeString(dir.resolve("greenmail-ca.pem"), "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END CERTIFICATE-----\n");
    }
}
