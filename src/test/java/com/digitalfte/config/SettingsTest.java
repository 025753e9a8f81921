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
        assertThat(c.properties()).containsEntry("mail.imap.host", "127.0.0.1").containsEntry("mail.imap.scheme", "imap");
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
        assertThatThrownBy(() -> AgentConfig.from(Settings.of(Map.of("ODOO_API", "jsonrpc"))))
                .hasMessageContaining("ODOO_API must be json2, xmlrpc or empty");
        assertThatThrownBy(() -> AgentConfig.from(Settings.of(Map.of("ODOO_TIMEOUT", "1m"))))
                .hasMessageContaining("ODOO_TIMEOUT must be a whole number");
    }

    @Test
    void theExampleFileCopiedAsIsGivesTheEmbeddedDefault() {
        AgentConfig c = AgentConfig.from(Settings.load(Map.of(), Path.of(".env.example")));
        assertThat(c.type()).isEqualTo(AgentType.ALL);
        assertThat(c.mailProvider()).isEqualTo(AgentConfig.MailProvider.EMBEDDED);
        assertThat(c.properties()).containsEntry("mail.imap.scheme", "imap").containsEntry("mail.poll.delay", "2000")
                .containsEntry("vault.sync.interval", "300");
        assertThat(Settings.readDotEnv(Path.of(".env.example"))).containsKeys("AGENT_TYPE", "AGENT_NAME", "VAULT_PATH",
                "GIT_REMOTE", "GIT_BRANCH", "VAULT_SYNC_INTERVAL", "MAIL_PROVIDER", "IMAP_HOST", "IMAP_PORT", "SMTP_HOST",
                "SMTP_PORT", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_ADDRESS", "MAIL_SSL", "DRAFTER");
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
}
