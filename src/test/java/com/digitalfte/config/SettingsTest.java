package com.digitalfte.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void theEnvironmentWinsOverDotEnv() throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(env, """
                # comment
                AGENT_TYPE=cloud
                export AGENT_NAME="cloud-1"
                MAIL_PASSWORD='p@ss word'
                VAULT_SYNC_INTERVAL=60 # every minute
                EMPTY=
                """);
        Settings s = Settings.load(Map.of("AGENT_TYPE", "local"), env);
        assertThat(s.get("AGENT_TYPE", "")).isEqualTo("local");
        assertThat(s.get("AGENT_NAME", "")).isEqualTo("cloud-1");
        assertThat(s.get("MAIL_PASSWORD", "")).isEqualTo("p@ss word");
        assertThat(s.getInt("VAULT_SYNC_INTERVAL", 300)).isEqualTo(60);
        assertThat(s.has("EMPTY")).isFalse();
        assertThat(s.secretValues()).containsExactly("p@ss word");
    }

    @Test
    void noConfigurationMeansTheEmbeddedDefault() {
        AgentConfig c = AgentConfig.from(Settings.of(Map.of()));
        assertThat(c.type()).isEqualTo(AgentType.ALL);
        assertThat(c.name()).isEqualTo("all");
        assertThat(c.mailProvider()).isEqualTo(AgentConfig.MailProvider.EMBEDDED);
        assertThat(c.mailIn()).isTrue();
        assertThat(c.mailOut()).isTrue();
        assertThat(c.properties()).containsEntry("mail.imap.security", "none");
        // what application.properties' {{env:IMAP_HOST}} and {{env:MAIL_PROVIDER}} see
        assertThat(c.settings().get("IMAP_HOST", "?")).isEqualTo("127.0.0.1");
        assertThat(c.settings().get("MAIL_PROVIDER", "?")).isEqualTo("embedded");
        assertThat(c.properties().values()).doesNotContain(c.settings().get("MAIL_PASSWORD", "?"));
    }

    @Test
    void mailSettingsSwitchToImapAndSummaryNamesWhatIsMissing() {
        AgentConfig c = AgentConfig.from(Settings.of(Map.of("AGENT_TYPE", "cloud", "MAIL_USERNAME", "me@example.com")));
        assertThat(c.mailProvider()).isEqualTo(AgentConfig.MailProvider.IMAP);
        assertThat(c.mailIn()).isFalse();
        assertThat(c.summary()).anySatisfy(line -> assertThat(line).contains("mail in  off").contains("IMAP_HOST"));
        assertThat(c.summary()).noneSatisfy(line -> assertThat(line).contains("mail out"));
    }

    @Test
    void badValuesStopTheStartWithAClearMessage() {
        assertThatThrownBy(() -> AgentConfig.from(Settings.of(Map.of("AGENT_TYPE", "both"))))
                .hasMessageContaining("AGENT_TYPE must be cloud, local or all");
        assertThatThrownBy(() -> AgentConfig.from(Settings.of(Map.of("AGENT_NAME", "../x"))))
                .hasMessageContaining("AGENT_NAME");
        assertThatThrownBy(() -> AgentConfig.from(Settings.of(Map.of("VAULT_SYNC_INTERVAL", "often"))))
                .hasMessageContaining("VAULT_SYNC_INTERVAL must be a whole number");
    }

    @Test
    void theExampleFileCopiedAsIsGivesTheEmbeddedDefault() {
        AgentConfig c = AgentConfig.from(Settings.load(Map.of(), Path.of(".env.example")));
        assertThat(c.type()).isEqualTo(AgentType.ALL);
        assertThat(c.mailProvider()).isEqualTo(AgentConfig.MailProvider.EMBEDDED);
        assertThat(c.properties()).containsEntry("mail.imap.security", "none").containsEntry("vault.sync.interval", "300");
        assertThat(c.settings().get("MAIL_POLL_DELAY", "?")).isEqualTo("2000");
        assertThat(Settings.readDotEnv(Path.of(".env.example"))).containsKeys("AGENT_TYPE", "AGENT_NAME", "VAULT_PATH",
                "GIT_REMOTE", "GIT_BRANCH", "VAULT_SYNC_INTERVAL", "MAIL_PROVIDER", "IMAP_HOST", "IMAP_PORT", "SMTP_HOST",
                "SMTP_PORT", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_ADDRESS", "MAIL_SSL", "DRAFTER", "GIT_USERNAME", "GIT_TOKEN", "GIT_SSH_KEY",
                "GIT_SSH_PASSPHRASE", "GIT_SSH_DIR", "GIT_CA_FILE");
    }

    @Test
    void everySecretCountsWhateverItsLengthAndTheRemotesCredentialIsOne() {
        Settings s = Settings.of(Map.of("MAIL_PASSWORD", "pw1", "ODOO_API_KEY", "k3y-of-odoo-long-enough", "X_POLL_DELAY", "60000",
                "GIT_REMOTE", "https://me%40example.com:p%40ss-w0rd@git.example.com/vault.git"));
        assertThat(s.secretValues()).containsExactlyInAnyOrder("pw1", "k3y-of-odoo-long-enough", "p%40ss-w0rd", "p@ss-w0rd");
        assertThat(s.secretsShorterThan(8)).containsExactly(Map.entry("MAIL_PASSWORD", 3));

        assertThat(com.digitalfte.secrets.UrlCredentials.in("https://ghp_Zq7Xr2Lp9Vt4Nc8Wm3Kb6Hd1Jf5Gs0Qy7Ue2I@github.com/me/vault.git"))
                .containsExactly("ghp_Zq7Xr2Lp9Vt4Nc8Wm3Kb6Hd1Jf5Gs0Qy7Ue2I");
        // a user name alone is no secret: "git" or "alice" would keep every file that names them out of git
        assertThat(com.digitalfte.secrets.UrlCredentials.in("ssh://git@github.com/me/vault.git")).isEmpty();
        assertThat(com.digitalfte.secrets.UrlCredentials.in("https://alice@bitbucket.org/alice/vault.git")).isEmpty();
        assertThat(com.digitalfte.secrets.UrlCredentials.in("/srv/git/vault.git")).isEmpty();
    }

    @Test
    void theGitRemotesTokenAndPassphraseAreSecretsButTheKeysPathIsNot() {
        Settings s = Settings.of(Map.of("GIT_USERNAME", "owner", "GIT_TOKEN", "glpat-Zq7Xr2Lp9Vt4Nc8Wm3Kb", "GIT_SSH_PASSPHRASE", "correct horse",
                "GIT_SSH_KEY", "/home/owner/.ssh/id_ed25519", "GIT_CA_FILE", "/etc/ssl/company-ca.pem"));
        assertThat(s.secretValues()).containsExactlyInAnyOrder("glpat-Zq7Xr2Lp9Vt4Nc8Wm3Kb", "correct horse");
        assertThat(Settings.isSecretName("GIT_SSH_PASSPHRASE")).isTrue();
        // a note that says where the key lives is no leak: the key file's content is what the guard's key-block rule stops
        assertThat(Settings.isSecretName("GIT_SSH_KEY")).isFalse();
    }

    @Test
    void mailSecurityFollowsMailSslAndPort587AndThePortsFollowTheSecurity() {
        AgentConfig tls = imap(Map.of());
        assertThat(tls.properties()).containsEntry("mail.imap.security", "ssl").containsEntry("mail.imap.port", "993")
                .containsEntry("mail.smtp.security", "ssl").containsEntry("mail.smtp.port", "465");
        assertThat(imap(Map.of("MAIL_SSL", "false")).properties()).containsEntry("mail.imap.security", "none")
                .containsEntry("mail.imap.port", "143").containsEntry("mail.smtp.security", "none").containsEntry("mail.smtp.port", "25");
        assertThat(imap(Map.of("SMTP_PORT", "587")).properties()).containsEntry("mail.smtp.security", "starttls");
        assertThat(imap(Map.of("SMTP_SECURITY", "STARTTLS", "IMAP_SECURITY", "starttls")).properties())
                .containsEntry("mail.smtp.port", "587").containsEntry("mail.imap.port", "143");
        assertThat(imap(Map.of("SMTP_PORT", "587")).summary()).anySatisfy(l -> assertThat(l).startsWith("mail out on").endsWith(":587 (STARTTLS)"))
                .anySatisfy(l -> assertThat(l).startsWith("mail in  on").endsWith(":993 (TLS)"));
        assertThat(imap(Map.of()).summary("", new AgentConfig.MailCheck(java.util.Optional.of("the IMAP server refused the login"),
                java.util.Optional.empty(), java.util.Optional.of("'Sent Items' (the folder marked \\Sent), the agent files the copies"))))
                .anySatisfy(l -> assertThat(l).startsWith("mail in  failing: the IMAP server refused the login; me@example.com via IMAP"))
                .anySatisfy(l -> assertThat(l).endsWith("(TLS); sent copies in 'Sent Items' (the folder marked \\Sent), the agent files the copies"));
        // a .env copied from a real setup does not change what the embedded mailbox is
        assertThat(AgentConfig.from(Settings.of(Map.of("SMTP_SECURITY", "starttls", "MAIL_CA_FILE", "/nowhere.pem"))).properties())
                .containsEntry("mail.smtp.security", "none").containsEntry("mail.imap.security", "none");
    }

    @Test
    void anUnknownSecurityOrAnUnusableCaFileStopsTheStartWithAClearMessage() throws Exception {
        assertThatThrownBy(() -> imap(Map.of("IMAP_SECURITY", "tls")))
                .hasMessage("IMAP_SECURITY must be ssl, starttls or none, not 'tls'");
        assertThatThrownBy(() -> imap(Map.of("SMTP_SECURITY", "ssl/tls")))
                .hasMessage("SMTP_SECURITY must be ssl, starttls or none, not 'ssl/tls'");
        assertThatThrownBy(() -> imap(Map.of("MAIL_CA_FILE", dir.resolve("missing.pem").toString())))
                .hasMessageContaining("MAIL_CA_FILE " + dir.resolve("missing.pem") + " cannot be read");
        Path notPem = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> imap(Map.of("MAIL_CA_FILE", notPem.toString()))).hasMessageStartingWith("MAIL_CA_FILE " + notPem);
    }

    private static AgentConfig imap(Map<String, String> more) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("IMAP_HOST", "imap.example.com", "SMTP_HOST", "smtp.example.com",
                "MAIL_ADDRESS", "me@example.com"));
        env.putAll(more);
        return AgentConfig.from(Settings.of(env));
    }

    @Test
    void aVaultPathInDotEnvMayStartWithTheHomeFolder() {
        AgentConfig c = AgentConfig.from(Settings.of(Map.of("VAULT_PATH", "~/vault", "CHANNELS_DIR", "~/channels")));
        assertThat(c.vaultPath()).isEqualTo(Path.of(System.getProperty("user.home"), "vault"));
        assertThat(c.channelsDir()).isEqualTo(Path.of(System.getProperty("user.home"), "channels"));
    }
}
