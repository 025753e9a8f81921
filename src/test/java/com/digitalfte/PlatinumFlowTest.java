package com.digitalfte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.audit.JsonLines;
import com.digitalfte.support.GitCli;
import com.digitalfte.support.LocalAgentEnv;
import com.digitalfte.support.Inboxes;
import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskIds;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Platinum scenario end to end: an email arrives while the local machine is off; the cloud
 * drafts it and pushes the draft through git; the local agent comes back, asks for approval; the
 * owner approves by moving the file; exactly one threaded reply goes out; both clones show it done.
 */
class PlatinumFlowTest {

    private static final String ASSISTANT = "assistant@example.com";
    private static final String PASSWORD = "s3cret-mail-pass";

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(new com.icegreen.greenmail.util.ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(ASSISTANT, ASSISTANT, PASSWORD));

    @TempDir
    Path dir;

    private Map<String, String> agentEnv(String type, Path vault) {
        return LocalAgentEnv.syncedWithMail(type, vault, dir, ASSISTANT, PASSWORD, mail.getSmtp().getPort(), mail.getImap().getPort());
    }

    @Test
    void anEmailDraftedInTheCloudIsApprovedLocallyAndAnsweredExactlyOnce() throws Exception {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path cloudVault = GitCli.cloneOf(remote, dir, "cloud-vault");
        Path localVault = GitCli.cloneOf(remote, dir, "local-vault");

        try (TestAgent cloud = TestAgent.start(agentEnv("cloud", cloudVault))) {
            // the local machine is off: only the cloud runs when the email arrives
            GreenMailUtil.sendTextEmail(ASSISTANT, "alice@example.com", "Project Proposal",
                    "Hi, could you send me a proposal for the new website?", mail.getSmtp().getServerSetup());
            await().atMost(Duration.ofSeconds(20)).until(() -> mail.getReceivedMessagesForDomain(ASSISTANT).length == 1);
            String originalId = mail.getReceivedMessagesForDomain(ASSISTANT)[0].getMessageID();
            String id = TaskIds.email(originalId);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> GitCli.filesOn(remote, "main").contains("Updates/" + id + ".md"));
            assertThat(GitCli.run(remote, "show", "main:Updates/" + id + ".md"))
                    .contains("drafted_by: template", "## Draft", "Hello Alice");

            try (TestAgent local = TestAgent.start(agentEnv("local", localVault))) {
                Path pending = localVault.resolve("Pending_Approval/" + id + ".md");
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pending));

                // the owner edits the draft and approves it by moving the file, as Obsidian does
                String edited = Files.readString(pending).replace("Hello Alice,", "Hello Alice, thanks!");
                Files.writeString(pending, edited);
                Files.move(pending, localVault.resolve("Approved/" + id + ".md"));

                Path done = localVault.resolve("Done/" + id + ".md");
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(done));
                assertThat(done).content().contains("## Result", "message_id: <" + id + ".reply@example.com>");

                await().atMost(Duration.ofSeconds(30)).until(() -> Inboxes.repliesTo(mail, "alice@example.com").size() == 1);
                MimeMessage reply = Inboxes.repliesTo(mail, "alice@example.com").get(0);
                assertThat(reply.getSubject()).isEqualTo("Re: Project Proposal");
                assertThat(reply.getHeader("In-Reply-To", null)).isEqualTo(originalId);
                assertThat(reply.getHeader("References", null)).isEqualTo(originalId);
                assertThat(reply.getFrom()[0].toString()).isEqualTo(ASSISTANT);
                assertThat(GreenMailUtil.getBody(reply)).contains("Hello Alice, thanks!");

                // the cloud sees the task done after its next sync
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(cloudVault.resolve("Done/" + id + ".md")));
                assertThat(GitCli.filesOn(remote, "main")).contains("Done/" + id + ".md")
                        .doesNotContain("Updates/" + id + ".md", "Pending_Approval/" + id + ".md", "Approved/" + id + ".md");

                Path audit = localVault.resolve("Logs/" + LocalDate.now(ZoneOffset.UTC) + ".json");
                assertThat(JsonLines.tail(audit, 50)).anySatisfy(line -> {
                    assertThat(line).containsEntry("action_type", "email_reply").containsEntry("target", id)
                            .containsEntry("approval_status", "approved").containsEntry("result", "success");
                    assertThat(line).containsKeys("timestamp", "actor", "parameters", "approved_by");
                });
                assertThat(JsonLines.tail(localVault.resolve("Logs/email_sent.jsonl"), 10))
                        .singleElement().satisfies(line -> assertThat(line).containsEntry("task_id", id));
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(localVault.resolve("Dashboard.md")).content()
                        .contains("| Done | 1 |", "| cloud | cloud |", "| local | local |", "email_reply"));
            }
        }
        assertThat(Inboxes.repliesTo(mail, "alice@example.com")).hasSize(1);
        assertThat(GitCli.run(remote, "log", "-p", "--all")).doesNotContain(PASSWORD);
        assertThat(GitCli.filesOn(remote, "main")).noneMatch(p -> p.startsWith("Logs/") || p.startsWith(".state/"));
    }
}
