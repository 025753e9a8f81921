package com.digitalfte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.GitCli;
import com.digitalfte.support.LocalAgentEnv;
import com.digitalfte.support.LogCapture;
import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskIds;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A customer email that pastes credentials is answered, not silenced: the cloud drafts it with the
 * credentials redacted, the owner sees it in Pending_Approval/, the remote never holds them, and the
 * message as it came stays on the cloud machine only.
 */
class RedactedEmailFlowTest {

    private static final String ASSISTANT = "assistant@example.com";
    private static final String PASSWORD = "s3cret-mail-pass";
    private static final String OPENAI_KEY = "sk-proj-" + "Qz7Wb4Nc9Xr2Lp8Vt3Km6Hd1Jf5Gs0Ty7Ue2Io9Pa4Sd8Fg";
    private static final String AWS_KEY_ID = "AKIA" + "Q3KB6HD1JF5GS0QY";
    private static final String SHORT_SECRET = "Zx#7q";

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(ASSISTANT, ASSISTANT, PASSWORD));

    @TempDir
    Path dir;

    private Map<String, String> agentEnv(String type, Path vault) {
        return LocalAgentEnv.syncedWithMail(type, vault, dir, ASSISTANT, PASSWORD, mail.getSmtp().getPort(), mail.getImap().getPort());
    }

    @Test
    void anEmailQuotingCredentialsIsDraftedRedactedAndTheyNeverReachTheRemote() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path cloudVault = GitCli.cloneOf(remote, dir, "cloud-vault");
        Path localVault = GitCli.cloneOf(remote, dir, "local-vault");
        Map<String, String> cloudEnv = agentEnv("cloud", cloudVault);
        cloudEnv.put("BACKUP_API_KEY", SHORT_SECRET);
        String id;

        try (LogCapture startLog = LogCapture.of(DigitalFte.class); TestAgent cloud = TestAgent.start(cloudEnv)) {
            assertThat(startLog.lines()).filteredOn(l -> l.contains("BACKUP_API_KEY")).singleElement().satisfies(line ->
                    assertThat(line).startsWith("WARN").contains("only 5 characters", "kept out of git").doesNotContain(SHORT_SECRET));

            GreenMailUtil.sendTextEmail(ASSISTANT, "alice@example.com", "Deploy fails with key " + AWS_KEY_ID,
                    "Hi, our nightly job stopped. The log says:\n\n"
                            + "2026-12-01 02:00:01 ERROR openai - 401 Incorrect API key provided: " + OPENAI_KEY + "\n\n"
                            + "Can you have a look before Friday?\nAlice", mail.getSmtp().getServerSetup());
            await().atMost(Duration.ofSeconds(20)).until(() -> mail.getReceivedMessagesForDomain(ASSISTANT).length == 1);
            id = TaskIds.email(mail.getReceivedMessagesForDomain(ASSISTANT)[0].getMessageID());

            await().atMost(Duration.ofSeconds(30)).until(() -> GitCli.filesOn(remote, "main").contains("Updates/" + id + ".md"));

            try (TestAgent local = TestAgent.start(agentEnv("local", localVault))) {
                Path pending = localVault.resolve("Pending_Approval/" + id + ".md");
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pending));
                assertThat(TaskFile.parse(Files.readString(pending)).getOrEmpty("redacted")).isEqualTo("aws-access-key-id, openai-api-key");
                assertThat(pending).content().contains(
                        "subject: \"Deploy fails with key [redacted: aws-access-key-id]\"",
                        "> 2026-12-01 02:00:01 ERROR openai - 401 Incorrect API key provided: sk-proj-[redacted: openai-api-key]",
                        "> Can you have a look before Friday?",
                        "drafted_by: template", "## Draft", "Hello Alice");
            }
        }

        String history = GitCli.run(remote, "log", "-p", "--all");
        assertThat(history).contains("[redacted: openai-api-key]").doesNotContain(OPENAI_KEY.substring(8), AWS_KEY_ID, PASSWORD);
        assertThat(filesHolding(localVault, OPENAI_KEY.substring(8), AWS_KEY_ID)).isEmpty();
        // on the cloud, only the original in quarantine holds them: not the task, not the logs
        assertThat(filesHolding(cloudVault, OPENAI_KEY.substring(8), AWS_KEY_ID)).singleElement().satisfies(original -> {
            assertThat(cloudVault.relativize(original).toString()).startsWith(".state/quarantine/").endsWith("_Needs_Action_" + id + ".md");
            assertThat(original).content().contains(OPENAI_KEY, AWS_KEY_ID, "Can you have a look before Friday?");
        });
    }

    /** Every file under {@code root} (.git aside) that holds any of the values. */
    private static List<Path> filesHolding(Path root, String... values) throws Exception {
        List<Path> holding = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !root.relativize(f).startsWith(".git")).toList()) {
                String text = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                if (Stream.of(values).anyMatch(text::contains)) {
                    holding.add(f);
                }
            }
        }
        return holding;
    }
}
