package com.digitalfte.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.digitalfte.config.AgentConfig;
import com.digitalfte.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the start-up summary says about the remote, and what of the remote's credentials is kept secret. */
class GitTransportsTest {

    @TempDir
    Path dir;

    @Test
    void theSummarySaysHowTheRemoteIsReachedWithoutAnySecret() throws Exception {
        Path key = Files.writeString(dir.resolve("id_ed25519"), "not read here");
        try (GitTransports ssh = GitTransports.from(Settings.of(Map.of("GIT_SSH_DIR", dir.toString(), "GIT_SSH_KEY", key.toString(),
                "GIT_SSH_PASSPHRASE", "correct horse battery")))) {
            assertThat(ssh.describe("ssh://git@git.example.com:2222/me/vault.git")).isEqualTo("ssh with the key " + key
                    + " (its passphrase from GIT_SSH_PASSPHRASE), host keys from " + dir.resolve("known_hosts"));
            assertThat(ssh.describe("git@github.com:me/vault.git")).startsWith("ssh with the key ");
            assertThat(ssh.describe("/srv/git/vault.git")).isEqualTo("a path on this machine");
        }
        try (GitTransports https = GitTransports.from(Settings.of(Map.of("GIT_USERNAME", "owner", "GIT_TOKEN", "glpat-Zq7Xr2Lp9Vt4Nc8Wm3Kb")))) {
            assertThat(https.describe("https://gitlab.example.com/me/vault.git")).isEqualTo("https as owner with the token from GIT_TOKEN");
        }
        try (GitTransports none = GitTransports.from(Settings.of(Map.of("HOME", dir.toString())))) {
            assertThat(none.describe("https://gitea.example.com/me/vault.git"))
                    .isEqualTo("https without credentials (set GIT_USERNAME and GIT_TOKEN if the server asks)");
        }
    }

    @Test
    void aNetrcPasswordIsASecretOfThatRemoteOnly() throws Exception {
        Files.writeString(dir.resolve(".netrc"), "machine gitea.example.com login owner password nrc-Zq7Xr2Lp9Vt4Nc8Wm3\n");
        try (GitTransports netrc = GitTransports.from(Settings.of(Map.of("HOME", dir.toString())))) {
            assertThat(netrc.secretsFor("https://gitea.example.com/me/vault.git")).containsExactly("nrc-Zq7Xr2Lp9Vt4Nc8Wm3");
            assertThat(netrc.secretsFor("https://github.com/me/vault.git")).isEmpty();
            assertThat(netrc.describe("https://gitea.example.com/me/vault.git"))
                    .isEqualTo("https with the credentials for gitea.example.com in " + dir.resolve(".netrc"));
        }
    }

    @Test
    void aKeyOrCaFileThatIsNotThereStopsTheStartWithWhatToSet() throws Exception {
        assertThatThrownBy(() -> AgentConfig.from(Settings.of(Map.of("GIT_SSH_KEY", dir.resolve("id_gone").toString()))))
                .hasMessage("GIT_SSH_KEY names " + dir.resolve("id_gone") + ", which is not a file: give the path of the ssh private key"
                        + " (e.g. ~/.ssh/id_ed25519)");
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        assertThatThrownBy(() -> GitTransports.from(Settings.of(Map.of("GIT_CA_FILE", notPem.toString()))))
                .hasMessageStartingWith("GIT_CA_FILE " + notPem + " ");
    }
}
