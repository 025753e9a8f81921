package com.digitalfte.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.Inboxes;
import com.digitalfte.support.LocalAgentEnv;
import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskFile;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** An approval copied into Approved/ slowly, in place, is executed once and whole. */
class SlowWriterTest {

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("me@example.com", "me@example.com", "pw-123456"));

    @TempDir
    Path dir;

    @Test
    void aFileWrittenAtOneKilobyteASecondIsSentOnceWhole() throws Exception {
        Path vault = dir.resolve("vault");
        String draft = "Dear Ola,\n\n" + "This paragraph is part of a long approved reply. ".repeat(50) + "\n\nThe very last line.";
        byte[] bytes = TaskFile.create("EMAIL_slow", "email_reply").with("channel", "imap").with("from", "ola@example.com")
                .with("subject", "Slow").withSection(TaskFile.ORIGINAL, "hello").withSection(TaskFile.DRAFT, draft)
                .render().getBytes(StandardCharsets.UTF_8);
        assertThat(bytes.length).isGreaterThan(2500);
        try (TestAgent local = TestAgent.start(LocalAgentEnv.smtp(vault, mail.getSmtp().getPort(), dir))) {
            ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
            AtomicInteger written = new AtomicInteger();
            try (OutputStream out = Files.newOutputStream(vault.resolve("Approved/EMAIL_slow.md"))) {
                // 100 bytes every 100 ms: one kilobyte a second, in place
                writer.scheduleAtFixedRate(() -> {
                    int from = written.get();
                    int to = Math.min(bytes.length, from + 100);
                    try {
                        out.write(bytes, from, to - from);
                        out.flush();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    written.set(to);
                }, 0, 100, TimeUnit.MILLISECONDS);
                await().atMost(Duration.ofSeconds(30)).until(() -> written.get() == bytes.length);
                writer.shutdown();
                assertThat(writer.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Done/EMAIL_slow.md")));
        }
        assertThat(Inboxes.repliesTo(mail, "ola@example.com")).singleElement()
                .satisfies(m -> assertThat(GreenMailUtil.getBody(m).replace("\r\n", "\n")).contains("The very last line."));
        assertThat(vault.resolve("Failed")).isEmptyDirectory();
    }
}
