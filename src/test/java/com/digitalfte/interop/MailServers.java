package com.digitalfte.interop;

import static org.awaitility.Awaitility.await;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Dovecot and Postfix, started for one test class as plain child processes on 127.0.0.1
 * and free ports, without systemd, everything (configuration, queue, mail, logs) in one temporary
 * folder that {@link #close()} removes. Needs root (Postfix's master starts as root and drops to
 * {@code postfix}) and the packages {@code dovecot-core dovecot-imapd dovecot-lmtpd postfix openssl};
 * a test class on a machine without them is skipped, saying so. {@code .ci/run} installs them.
 *
 * <p>The recipe:
 * <ol>
 *   <li><b>Certificates</b> (openssl CLI): a test CA, and a server certificate it signs for
 *       {@code localhost} and {@code 127.0.0.1}; {@link #caFile()} is the CA's PEM file.</li>
 *   <li><b>Dovecot</b> ({@code dovecot -F -c dovecot.conf}: the foreground master is the child
 *       process; SIGTERM stops it and its children): IMAPS on {@link #imapsPort()}, plain IMAP with
 *       STARTTLS on {@link #imapPort()} (no login in the clear: {@code disable_plaintext_auth}),
 *       users from a passwd-file, Maildir under the folder owned by {@code nobody}, a Sent folder
 *       named "Sent Messages" and marked {@code \Sent} (SPECIAL-USE), so nothing finds it by its
 *       name; LMTP for Postfix's deliveries and the auth service for Postfix's SASL on ports of
 *       their own.</li>
 *   <li><b>Postfix</b> ({@code postfix -c <dir> start}, {@code stop}; {@code maillog_file} in the
 *       folder, which {@code maillog_file_prefixes} must allow, since there is no syslog):
 *       submission on {@link #submissionPort()} that requires STARTTLS before AUTH
 *       ({@code smtpd_tls_security_level=encrypt}, {@code smtpd_tls_auth_only=yes}) with SASL
 *       through Dovecot, and a second smtpd on {@link #noTlsSmtpPort()} that offers no STARTTLS at
 *       all; both accept only authenticated senders and deliver {@code example.com} to Dovecot over
 *       LMTP, so what the agent sends is read back from the recipient's Maildir.</li>
 * </ol>
 */
public final class MailServers implements AutoCloseable {

    public static final String ASSISTANT = "assistant@example.com";
    public static final String ASSISTANT_PASSWORD = "s3cret-mail-pass";
    public static final String ALICE = "alice@example.com";
    public static final String ALICE_PASSWORD = "alice-pass-9876";
    /** Dovecot's Sent folder: marked {@code \Sent}, and not called "Sent". */
    public static final String SENT_FOLDER = "Sent Messages";

    private final Path dir;
    private final int imapsPort = freePort();
    private final int imapPort = freePort();
    private final int lmtpPort = freePort();
    private final int authPort = freePort();
    private final int submissionPort = freePort();
    private final int noTlsSmtpPort = freePort();
    private Process dovecot;
    private boolean postfixStarted;

    private MailServers(Path dir) {
        this.dir = dir;
    }

    /** Starts both servers, or skips the calling test where they cannot run. */
    public static MailServers start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/dovecot")) && Files.isExecutable(Path.of("/usr/sbin/postfix"))
                        && Files.isExecutable(Path.of("/usr/bin/openssl")),
                "Dovecot, Postfix and openssl from Debian are needed (apt-get install dovecot-core dovecot-imapd dovecot-lmtpd postfix openssl)");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "Postfix's master must be started as root");
        Path dir = Files.createTempDirectory("mail-servers");
        // Dovecot's mail processes run as nobody and must reach the mail folder
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        MailServers servers = new MailServers(dir);
        try {
            servers.certificates();
            servers.startDovecot();
            servers.startPostfix();
        } catch (Exception | AssertionError e) {
            servers.close();
            throw e;
        }
        return servers;
    }

    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    public int imapsPort() {
        return imapsPort;
    }

    public int imapPort() {
        return imapPort;
    }

    public int submissionPort() {
        return submissionPort;
    }

    public int noTlsSmtpPort() {
        return noTlsSmtpPort;
    }

    /** Dovecot's log: one line per login, refused or not, and per TLS handshake that failed. */
    public String dovecotLog() throws IOException {
        Path log = dir.resolve("dovecot.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    public String postfixLog() throws IOException {
        Path log = dir.resolve("postfix.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Alice writes to the assistant, as any mail client would: submission, STARTTLS, her login. */
    public void aliceWrites(String subject, String messageId, String text) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.ssl.socketFactory", clientTls().getSocketFactory());
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        Session session = Session.getInstance(p);
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        m.setFrom(new InternetAddress(ALICE));
        m.setRecipients(Message.RecipientType.TO, ASSISTANT);
        m.setSubject(subject);
        m.setText(text);
        try (Transport t = session.getTransport("smtp")) {
            t.connect("127.0.0.1", submissionPort, ALICE, ALICE_PASSWORD);
            t.sendMessage(m, m.getAllRecipients());
        }
    }

    /** The messages in one of a user's folders, read from its Maildir on disk (INBOX, or a folder's name). */
    public List<MimeMessage> mailbox(String user, String folder) throws IOException, MessagingException {
        Path maildir = dir.resolve("mail").resolve(user);
        if (!folder.equals("INBOX")) {
            maildir = maildir.resolve("." + folder);
        }
        List<MimeMessage> messages = new ArrayList<>();
        Session session = Session.getInstance(new Properties());
        for (String sub : List.of("new", "cur")) {
            Path d = maildir.resolve(sub);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> files = Files.list(d)) {
                for (Path f : files.sorted().toList()) {
                    try (InputStream in = Files.newInputStream(f)) {
                        messages.add(new MimeMessage(session, in));
                    }
                }
            }
        }
        return messages;
    }

    private SSLContext clientTls() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile())) {
            trust.setCertificateEntry("test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }

    private void certificates() throws Exception {
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=DigitalFTE test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.pem", "-days", "2", "-extfile", "server.ext");
    }

    private void startDovecot() throws Exception {
        Path mail = Files.createDirectories(dir.resolve("mail"));
        run("chown", "nobody:nogroup", mail.toString());
        Files.createDirectories(dir.resolve("dovecot-run"));
        Files.createDirectories(dir.resolve("dovecot-state"));
        Files.writeString(dir.resolve("users"), ASSISTANT + ":{PLAIN}" + ASSISTANT_PASSWORD + "::::::\n"
                + ALICE + ":{PLAIN}" + ALICE_PASSWORD + "::::::\n");
        Files.writeString(dir.resolve("dovecot.conf"), """
                instance_name = digitalfte-%7$s
                base_dir = %1$s/dovecot-run
                state_dir = %1$s/dovecot-state
                log_path = %1$s/dovecot.log
                protocols = imap lmtp
                listen = 127.0.0.1
                ssl = yes
                ssl_cert = <%1$s/server.pem
                ssl_key = <%1$s/server.key
                ssl_min_protocol = TLSv1.2
                auth_mechanisms = plain login
                # a refused login is answered at once, so a test sees several polls quickly
                auth_failure_delay = 0
                disable_plaintext_auth = yes
                mail_location = maildir:%1$s/mail/%%u
                passdb {
                  driver = passwd-file
                  args = scheme=PLAIN username_format=%%u %1$s/users
                }
                userdb {
                  driver = static
                  args = uid=nobody gid=nogroup home=%1$s/mail/%%u
                }
                namespace inbox {
                  inbox = yes
                  separator = /
                  mailbox "%2$s" {
                    special_use = \\Sent
                    auto = create
                  }
                }
                service imap-login {
                  inet_listener imap {
                    port = %3$d
                  }
                  inet_listener imaps {
                    port = %4$d
                    ssl = yes
                  }
                }
                service lmtp {
                  inet_listener lmtp {
                    port = %5$d
                  }
                }
                service auth {
                  inet_listener auth {
                    port = %6$d
                  }
                }
                """.formatted(dir, SENT_FOLDER, imapPort, imapsPort, lmtpPort, authPort, dir.getFileName()));
        dovecot = new ProcessBuilder("/usr/sbin/dovecot", "-F", "-c", dir.resolve("dovecot.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("dovecot.out").toFile()).start();
        awaitListening(imapsPort, imapPort, lmtpPort, authPort);
    }

    private void startPostfix() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("postfix"));
        Files.createDirectories(dir.resolve("postfix-queue"));
        Path data = Files.createDirectories(dir.resolve("postfix-data"));
        run("chown", "postfix", data.toString());
        Files.writeString(conf.resolve("main.cf"), """
                compatibility_level = 3.6
                queue_directory = %1$s/postfix-queue
                data_directory = %1$s/postfix-data
                mail_owner = postfix
                setgid_group = postdrop
                maillog_file = %1$s/postfix.log
                maillog_file_prefixes = %1$s
                myhostname = localhost
                mydomain = localdomain
                mydestination =
                mynetworks = 127.0.0.1/32
                inet_interfaces = 127.0.0.1
                inet_protocols = ipv4
                smtputf8_enable = no
                biff = no
                alias_maps =
                alias_database =
                local_recipient_maps =
                virtual_mailbox_domains = example.com
                virtual_mailbox_maps = static:OK
                virtual_transport = lmtp:inet:127.0.0.1:%2$d
                smtpd_tls_cert_file = %1$s/server.pem
                smtpd_tls_key_file = %1$s/server.key
                smtpd_sasl_type = dovecot
                smtpd_sasl_path = inet:127.0.0.1:%3$d
                smtpd_sasl_auth_enable = yes
                smtpd_recipient_restrictions = permit_sasl_authenticated, reject
                smtpd_relay_restrictions = permit_sasl_authenticated, reject
                """.formatted(dir, lmtpPort, authPort));
        Files.writeString(conf.resolve("master.cf"), """
                127.0.0.1:%1$d inet n - n - - smtpd
                  -o smtpd_tls_security_level=encrypt
                  -o smtpd_tls_auth_only=yes
                127.0.0.1:%2$d inet n - n - - smtpd
                  -o smtpd_tls_security_level=none
                pickup    unix  n       -       n       60      1       pickup
                cleanup   unix  n       -       n       -       0       cleanup
                qmgr      unix  n       -       n       300     1       qmgr
                tlsmgr    unix  -       -       n       1000?   1       tlsmgr
                rewrite   unix  -       -       n       -       -       trivial-rewrite
                bounce    unix  -       -       n       -       0       bounce
                defer     unix  -       -       n       -       0       bounce
                trace     unix  -       -       n       -       0       bounce
                verify    unix  -       -       n       -       1       verify
                flush     unix  n       -       n       1000?   0       flush
                proxymap  unix  -       -       n       -       -       proxymap
                smtp      unix  -       -       n       -       -       smtp
                relay     unix  -       -       n       -       -       smtp
                showq     unix  n       -       n       -       -       showq
                error     unix  -       -       n       -       -       error
                retry     unix  -       -       n       -       -       error
                discard   unix  -       -       n       -       -       discard
                lmtp      unix  -       -       n       -       -       lmtp
                anvil     unix  -       -       n       -       1       anvil
                scache    unix  -       -       n       -       1       scache
                postlog   unix-dgram n  -       n       -       1       postlogd
                """.formatted(submissionPort, noTlsSmtpPort));
        run("/usr/sbin/postfix", "-c", conf.toString(), "start");
        postfixStarted = true;
        awaitListening(submissionPort, noTlsSmtpPort);
    }

    @Override
    public void close() throws Exception {
        try {
            if (postfixStarted) {
                run("/usr/sbin/postfix", "-c", dir.resolve("postfix").toString(), "stop");
                // stop returns at once; the master must have let go of the folder before it is removed
                await().atMost(Duration.ofSeconds(20)).until(() -> !isRunning(dir.resolve("postfix-queue/pid/master.pid")));
            }
        } finally {
            if (dovecot != null) {
                dovecot.destroy();
                if (!dovecot.waitFor(20, TimeUnit.SECONDS)) {
                    dovecot.destroyForcibly();
                }
            }
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static boolean isRunning(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return false;
        }
        String pid = Files.readString(pidFile).strip();
        return !pid.isEmpty() && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    }

    private void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static void awaitListening(int... ports) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            for (int port : ports) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                }
            }
            return true;
        });
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
