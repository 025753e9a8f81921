package com.digitalfte.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.DigitalFte;
import com.digitalfte.support.GitCli;
import com.digitalfte.support.LogCapture;
import com.digitalfte.support.TestAgent;
import com.digitalfte.sync.VaultSync;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cloud agent against git-http-backend behind lighttpd with basic auth and a certificate from a
 * private CA, as a self-hosted Gitea or GitLab would be reached: a token from the settings or from
 * ~/.netrc, the CA from GIT_CA_FILE. Each way it can go wrong is refused in one line that says what
 * to set, and nothing is drafted without its claim.
 */
class HttpsRemoteTest {

    @RegisterExtension
    static HttpsGitServer https = new HttpsGitServer();

    @TempDir
    Path dir;

    /** A clone of the server's repository holding one queued task, whose origin is the server's https URL at this host. */
    private Path cloudClone(String name, String host, String id) throws Exception {
        Path bare = https.newRepository(name);
        RemoteVault.ownerQueues(bare, id, dir);
        Path vault = GitCli.cloneOf(bare, dir, "cloud");
        GitCli.run(vault, "remote", "set-url", "origin", https.url(host, name));
        return vault;
    }

    @Test
    void aCloudAgentClaimsAndDraftsOverHttpsWithATokenAndThePrivateCa() throws Exception {
        Path vault = cloudClone("token", "localhost", "EMAIL_https_token");
        Map<String, String> env = withToken(vault, HttpsGitServer.TOKEN, true);
        try (LogCapture startup = LogCapture.asWritten(DigitalFte.class); LogCapture sync = LogCapture.asWritten(VaultSync.class);
             TestAgent cloud = TestAgent.start(env)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> RemoteVault.claimedAndDrafted(https.repository("token"), "EMAIL_https_token"));
            assertThat(startup.lines()).anyMatch(l -> l.contains("sync     remote 'origin' (https as owner with the token from GIT_TOKEN, trusting"
                    + " the CAs in GIT_CA_FILE " + https.caFile() + " too)"));
            assertThat(startup.lines()).noneMatch(l -> l.contains(HttpsGitServer.TOKEN));
            assertThat(sync.lines()).noneMatch(l -> l.contains(HttpsGitServer.TOKEN));
        }
        RemoteVault.assertClaimedBeforeDrafted(https.repository("token"), "EMAIL_https_token");
    }

    @Test
    void theTokenMayComeFromNetrc() throws Exception {
        Path vault = cloudClone("netrc", "localhost", "EMAIL_https_netrc");
        Path home = dir.resolve("home");
        Commands.write(home.resolve(".netrc"), List.of("machine localhost login " + HttpsGitServer.USER + " password " + HttpsGitServer.TOKEN));
        Map<String, String> env = RemoteVault.cloudAgent(vault, dir);
        env.put("HOME", home.toString());
        env.put("GIT_CA_FILE", https.caFile().toString());
        try (LogCapture startup = LogCapture.asWritten(DigitalFte.class); TestAgent cloud = TestAgent.start(env)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> RemoteVault.claimedAndDrafted(https.repository("netrc"), "EMAIL_https_netrc"));
            assertThat(startup.lines()).anyMatch(l -> l.contains("(https with the credentials for localhost in " + home.resolve(".netrc")));
        }
    }

    @Test
    void aWrongTokenIsRefusedInOneLineAndNothingIsDrafted() throws Exception {
        Path vault = cloudClone("wrong-token", "localhost", "EMAIL_https_wrong");
        Map<String, String> env = withToken(vault, "gta_9wRongT0kenXq3Lp8Vt2Nc7W", true);
        assertRefused(vault, "wrong-token", "EMAIL_https_wrong", env, "the remote refused the credentials: check GIT_USERNAME and GIT_TOKEN");
        assertThat(RemoteVault.lastRefusal(vault)).doesNotContain("CredentialsProvider").doesNotContain("gta_9wRongT0kenXq3Lp8Vt2Nc7W");
    }

    @Test
    void noTokenAtAllSaysWhatToSet() throws Exception {
        Path vault = cloudClone("no-token", "localhost", "EMAIL_https_none");
        Map<String, String> env = RemoteVault.cloudAgent(vault, dir);
        env.put("HOME", dir.resolve("empty-home").toString());
        env.put("GIT_CA_FILE", https.caFile().toString());
        assertRefused(vault, "no-token", "EMAIL_https_none", env,
                "the remote refused the credentials (it asks for them and none are set): set GIT_USERNAME and GIT_TOKEN, or put the host in ~/.netrc");
        assertThat(RemoteVault.lastRefusal(vault)).doesNotContain("CredentialsProvider");
    }

    @Test
    void aCertificateFromAnUnknownCaIsRefusedInOneLine() throws Exception {
        Path vault = cloudClone("unknown-ca", "localhost", "EMAIL_https_ca");
        Map<String, String> env = withToken(vault, HttpsGitServer.TOKEN, false);
        assertRefused(vault, "unknown-ca", "EMAIL_https_ca", env,
                "the remote's certificate is not trusted: set GIT_CA_FILE to a PEM file of the CA that signed it");
    }

    @Test
    void theHostNameIsStillCheckedWithGitCaFile() throws Exception {
        Path vault = cloudClone("other-name", "127.0.0.1", "EMAIL_https_name");
        Map<String, String> env = withToken(vault, HttpsGitServer.TOKEN, true);
        assertRefused(vault, "other-name", "EMAIL_https_name", env, "the remote's certificate is not made out to the host in its URL");
    }

    private void assertRefused(Path vault, String repo, String id, Map<String, String> env, String reason) throws Exception {
        try (LogCapture log = LogCapture.of(VaultSync.class); TestAgent cloud = TestAgent.start(env)) {
            RemoteVault.assertRefusedInOneLine(vault, log, reason);
            RemoteVault.assertNotTaken(https.repository(repo), vault, id);
        }
    }

    /** A cloud agent's settings with the owner's account and token, and the test CA unless {@code trustCa} is false. */
    private Map<String, String> withToken(Path vault, String token, boolean trustCa) {
        Map<String, String> env = RemoteVault.cloudAgent(vault, dir);
        env.put("GIT_USERNAME", HttpsGitServer.USER);
        env.put("GIT_TOKEN", token);
        if (trustCa) {
            env.put("GIT_CA_FILE", https.caFile().toString());
        }
        return env;
    }
}
