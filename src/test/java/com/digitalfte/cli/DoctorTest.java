package com.digitalfte.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.support.GitCli;
import com.digitalfte.support.LocalAgentEnv;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code doctor} against real servers: a mailbox (GreenMail) and git remotes, one that works and one
 * that refuses (WireMock answering 401). Missing settings, a wrong password and a refusing remote are
 * each a FAIL with its fix and exit 1; a working setup is exit 0. No secret is ever printed.
 */
class DoctorTest {

    private static final String ME = "me@example.com";

    @RegisterExtension
    static WireMockExtension refusingGit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(ME, ME, "pw-123456"));

    @TempDir
    Path dir;

    private Map<String, String> agentWithMail(Path vault, String password) {
        Map<String, String> env = new HashMap<>(LocalAgentEnv.mailbox(ME, mail.getSmtp().getPort(), mail.getImap().getPort()));
        env.put("AGENT_TYPE", "all");
        env.put("VAULT_PATH", vault.toString());
        env.put("GIT_REMOTE", "origin");
        env.put("MAIL_PASSWORD", password);
        return env;
    }

    @Test
    void aWorkingSetupIsAllWell() {
        Path vault = GitCli.cloneOf(GitCli.bareRemote(dir, "vault.git"), dir, "vault");

        CommandsTest.Ran doctor = CommandsTest.run(dir, agentWithMail(vault, "pw-123456"), "doctor");

        assertThat(doctor.out()).contains("mail in: on, IMAP 127.0.0.1:" + mail.getImap().getPort() + " as " + ME, "MAIL_PASSWORD is set",
                "ok    mail in " + ME + " (IMAP 127.0.0.1:" + mail.getImap().getPort() + "): logged in",
                "ok    mail out " + ME + " (SMTP 127.0.0.1:" + mail.getSmtp().getPort() + "): logged in",
                "'origin' (" + dir.resolve("vault.git") + ") answers and accepts this agent", "All is well.")
                .doesNotContain("FAIL", "pw-123456");
        assertThat(doctor.exit()).isZero();
    }

    @Test
    void aWrongPasswordAndARefusingRemoteAreEachAProblemWithItsFix() {
        refusingGit.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate", "Basic realm=\"git\"")));
        Path vault = GitCli.cloneOf(GitCli.bareRemote(dir, "vault.git"), dir, "vault");
        GitCli.run(vault, "remote", "set-url", "origin", refusingGit.baseUrl() + "/vault.git");

        CommandsTest.Ran doctor = CommandsTest.run(dir, agentWithMail(vault, "wrong-pass-4711"), "doctor");

        assertThat(doctor.exit()).isEqualTo(1);
        assertThat(doctor.out()).contains("MAIL_PASSWORD is set",
                "FAIL  mail in " + ME + " (IMAP 127.0.0.1:" + mail.getImap().getPort() + "): the IMAP server refused the login",
                "fix: check MAIL_USERNAME and MAIL_PASSWORD",
                "FAIL  cannot list the refs of the remote 'origin': the remote refused the credentials",
                "fix: set GIT_USERNAME and GIT_TOKEN, or put the host in ~/.netrc",
                "problem(s): each FAIL above says how to fix it")
                .doesNotContain("wrong-pass-4711");
    }

    @Test
    void missingSettingsNameWhatTheChannelNeeds() {
        Map<String, String> env = new HashMap<>();
        env.put("AGENT_TYPE", "cloud");
        env.put("MAIL_PROVIDER", "imap");
        env.put("MAIL_ADDRESS", ME);
        env.put("VAULT_PATH", dir.resolve("vault").toString());

        CommandsTest.Ran doctor = CommandsTest.run(dir, env, "doctor");

        assertThat(doctor.exit()).isEqualTo(1);
        assertThat(doctor.out()).contains("FAIL  mail in: off, it needs IMAP_HOST", "fix: set IMAP_HOST in .env or the environment",
                "does not exist yet: the agent makes it");
    }

    @Test
    void aSettingThatCannotBeReadIsAProblemToo() {
        Map<String, String> env = new HashMap<>(Map.of("VAULT_PATH", dir.resolve("vault").toString(), "OBSERVE_PORT", "nine"));

        CommandsTest.Ran doctor = CommandsTest.run(dir, env, "doctor");

        assertThat(doctor.exit()).isEqualTo(1);
        assertThat(doctor.out()).contains("FAIL  OBSERVE_PORT must be a whole number, not 'nine'", "fix: correct it in .env");
    }
}
