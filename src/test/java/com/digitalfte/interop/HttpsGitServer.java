package com.digitalfte.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A smart HTTPS git server as self-hosters run one, for the test class that registers it: git's own
 * {@code git-http-backend} behind lighttpd, basic auth, and a certificate from a CA made for the
 * test, so that it is trusted only through {@code GIT_CA_FILE}. In a temporary folder, on a free
 * port, stopped after the class.
 *
 * <p>The recipe (packages lighttpd, openssl, git; no systemd):
 * <ol>
 * <li>{@code openssl req -x509} makes the CA ({@code ca.pem}, basicConstraints CA:TRUE); a P-256 key
 * and a certificate it signs for {@code DNS:localhost} alone (serverAuth), so that the same server
 * reached as 127.0.0.1 shows that the host name is still checked.</li>
 * <li>{@code users}: {@code name:password} lines for mod_authn_file's plain backend.</li>
 * <li>{@code lighttpd.conf}: mod_openssl on 127.0.0.1:port; {@code /git/} aliased to
 * {@code /usr/lib/git-core/git-http-backend} run by mod_cgi with {@code GIT_PROJECT_ROOT} and
 * {@code GIT_HTTP_EXPORT_ALL}; mod_auth basic with {@code require valid-user} on all of it, which
 * also sets {@code REMOTE_USER}, the condition under which git-http-backend takes pushes; the
 * feature flag {@code auth.delay-invalid-creds} off, so that a wrong token is refused at once.</li>
 * <li>{@code lighttpd -D -f lighttpd.conf}: in the foreground.</li>
 * </ol>
 */
public final class HttpsGitServer implements BeforeAllCallback, AfterAllCallback {

    public static final String USER = "owner";
    /** The owner's access token, as a forge would make one (random-looking, so it is masked as a secret). */
    public static final String TOKEN = "gta_7Q2mX9vL4kR8pW3nZ6bT1yH5";

    private Path dir;
    private int port;
    private Process lighttpd;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Commands.require("/usr/sbin/lighttpd", "lighttpd");
        Commands.require("/usr/lib/git-core/git-http-backend", "git");
        dir = Files.createTempDirectory("interop-https");
        makeCertificates();
        Commands.write(dir.resolve("users"), List.of(USER + ":" + TOKEN));
        Files.createDirectories(dir.resolve("repos"));
        port = Commands.freePort();
        Commands.write(dir.resolve("lighttpd.conf"), List.of(
                "server.modules = (\"mod_alias\", \"mod_setenv\", \"mod_auth\", \"mod_authn_file\", \"mod_cgi\", \"mod_openssl\")",
                "server.document-root = \"" + dir.resolve("repos") + "\"",
                "server.bind = \"127.0.0.1\"",
                "server.port = " + port,
                "server.errorlog = \"" + dir.resolve("error.log") + "\"",
                // lighttpd holds back its answer to wrong credentials for a few seconds (against guessing);
                // the tests send wrong ones on purpose, and the agent's refusal is the same without the wait
                "server.feature-flags = (\"auth.delay-invalid-creds\" => \"disable\")",
                "ssl.engine = \"enable\"",
                "ssl.pemfile = \"" + dir.resolve("server.pem") + "\"",
                "ssl.privkey = \"" + dir.resolve("server.key") + "\"",
                "alias.url = (\"/git/\" => \"/usr/lib/git-core/git-http-backend/\")",
                "$HTTP[\"url\"] =~ \"^/git/\" {",
                "  cgi.assign = (\"\" => \"\")",
                "  setenv.set-environment = (\"GIT_PROJECT_ROOT\" => \"" + dir.resolve("repos") + "\", \"GIT_HTTP_EXPORT_ALL\" => \"\")",
                "  auth.backend = \"plain\"",
                "  auth.backend.plain.userfile = \"" + dir.resolve("users") + "\"",
                "  auth.require = (\"\" => (\"method\" => \"basic\", \"realm\" => \"git\", \"require\" => \"valid-user\"))",
                "}"));
        Path log = dir.resolve("lighttpd.log");
        lighttpd = Commands.start(dir, log, Map.of(), "/usr/sbin/lighttpd", "-D", "-f", dir.resolve("lighttpd.conf").toString());
        Commands.awaitListening(lighttpd, port, log);
    }

    private void makeCertificates() {
        Commands.run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=DigitalFTE interop test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        Commands.run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
        Commands.write(dir.resolve("server.ext"), List.of("subjectAltName=DNS:localhost", "basicConstraints=CA:FALSE",
                "extendedKeyUsage=serverAuth"));
        Commands.run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.pem", "-days", "2", "-extfile", "server.ext");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Commands.stop(lighttpd);
        Commands.deleteTree(dir);
    }

    /** A new empty bare repository on branch main; its folder on the server. */
    public Path newRepository(String name) {
        Path bare = repository(name);
        Commands.run(dir, "git", "init", "-q", "--bare", "-b", "main", bare.toString());
        return bare;
    }

    /** The folder of the repository of that name on the server. */
    public Path repository(String name) {
        return dir.resolve("repos/" + name + ".git");
    }

    /** The repository's https URL, with no credential in it; the host is the one the certificate names. */
    public String url(String name) {
        return url("localhost", name);
    }

    public String url(String host, String name) {
        return "https://" + host + ":" + port + "/git/" + name + ".git";
    }

    /** The test CA's certificate, a PEM file. */
    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    public String log() throws IOException {
        return Files.readString(dir.resolve("error.log"));
    }
}
