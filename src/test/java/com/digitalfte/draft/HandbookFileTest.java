package com.digitalfte.draft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.LogCapture;
import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The owner's handbook as the drafter reads it: each version once, and a broken file never taken for no rules. */
class HandbookFileTest {

    /** "# " and a byte sequence that is not UTF-8 (a file saved as Latin-1, say). */
    private static final byte[] NOT_UTF8 = {'#', ' ', (byte) 0xC3, (byte) 0x28, '\n'};

    @TempDir
    Path dir;

    @Test
    void anEditIsReadAtTheNextDraftAndAnUnchangedFileIsNotParsedAgain() throws Exception {
        Path file = Files.writeString(dir.resolve("Company_Handbook.md"), "## Signature\n\nSam\n");
        HandbookFile handbook = new HandbookFile(file);
        Handbook first = handbook.current();

        assertThat(handbook.current()).isSameAs(first);
        Files.writeString(file, "## Signature\n\nSam from Acme Plumbing\n");
        assertThat(handbook.current().signature()).isEqualTo("Sam from Acme Plumbing");
    }

    @Test
    void aHandbookThatCannotBeReadKeepsTheLastVersionReadAndIsLoggedOncePerChange() throws Exception {
        Path file = Files.writeString(dir.resolve("Company_Handbook.md"), "## Signature\n\nSam\n");
        HandbookFile handbook = new HandbookFile(file);
        handbook.current();
        try (LogCapture log = LogCapture.of(HandbookFile.class)) {
            Files.write(file, NOT_UTF8);
            for (int draft = 0; draft < 5; draft++) {
                assertThat(handbook.current().signature()).isEqualTo("Sam");
            }
            assertThat(handbook.problem()).hasValueSatisfying(p -> assertThat(p)
                    .contains("Company_Handbook.md cannot be read (it is not UTF-8 text: save it as UTF-8)", "Drafts follow the version saved at"));
            assertThat(log.lines()).filteredOn(l -> l.startsWith("ERROR")).hasSize(1);

            Files.write(file, new byte[300 * 1024]);
            handbook.current();
            handbook.current();
            assertThat(log.lines()).filteredOn(l -> l.startsWith("ERROR")).hasSize(2).last().asString()
                    .contains("it is 300 KB; a handbook may be at most 256 KB");

            Files.writeString(file, "## Signature\n\nKim\n");
            assertThat(handbook.current().signature()).isEqualTo("Kim");
            assertThat(handbook.problem()).isEmpty();
            assertThat(log.lines()).last().asString().isEqualTo("INFO Company_Handbook.md can be read again: drafts follow it");
        }
    }

    @Test
    void aMissingHandbookMeansTheDefaultsAndAnUnreadableOneWithNoVersionReadMeansNoDraft() throws Exception {
        Path file = dir.resolve("Company_Handbook.md");
        HandbookFile handbook = new HandbookFile(file);
        try (LogCapture log = LogCapture.of(HandbookFile.class)) {
            assertThat(handbook.current().holdingReply()).contains("Thank you for your message about \"{subject}\"");
            handbook.current();
            assertThat(log.lines()).singleElement().asString().startsWith("INFO There is no ").contains("drafts follow the defaults");
        }
        Files.write(file, NOT_UTF8);
        assertThatThrownBy(handbook::current).isInstanceOf(IOException.class)
                .hasMessage("Company_Handbook.md cannot be read (it is not UTF-8 text: save it as UTF-8). Nothing is drafted until it can be read."
                        + " Fix the file, then move this task back to Needs_Action/ to draft it.");
    }

    @Test
    void withAnUnreadableHandbookTheAgentFilesTheTaskInFailedAndTheDashboardSaysWhy() throws Exception {
        Path vault = Files.createDirectories(dir.resolve("vault"));
        Files.write(vault.resolve("Company_Handbook.md"), NOT_UTF8);
        Map<String, String> env = Map.of("AGENT_TYPE", "all", "VAULT_PATH", vault.toString(), "MAIL_PROVIDER", "imap",
                "CHANNELS_DIR", dir.resolve("none").toString(), "HEARTBEAT_INTERVAL", "1", "DASHBOARD_INTERVAL", "1");
        try (LogCapture log = LogCapture.of(HandbookFile.class); TestAgent agent = TestAgent.start(env)) {
            for (String id : new String[] {"EMAIL_h1", "EMAIL_h2"}) {
                Path tmp = Files.writeString(vault.resolve(".state/" + id + ".tmp"), TaskFile.create(id, "email_reply")
                        .with("from", "kim@example.com").with("subject", "Hello").withSection(TaskFile.ORIGINAL, "hi").render());
                Files.move(tmp, vault.resolve("Needs_Action/" + id + ".md"));
                await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Failed/" + id + ".md")));
                assertThat(vault.resolve("Failed/" + id + ".md")).content()
                        .contains("## Error", "Company_Handbook.md cannot be read (it is not UTF-8 text", "move this task back to Needs_Action/");
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(vault.resolve("Dashboard.md")).content()
                    .contains("## Problems", "- **all**: handbook: Company_Handbook.md cannot be read (it is not UTF-8 text"));
            assertThat(log.lines()).filteredOn(l -> l.startsWith("ERROR")).hasSize(1);
        }
        assertThat(vault.resolve("Pending_Approval")).isEmptyDirectory();
    }
}
