package com.digitalfte.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.AgentProcess;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Burst intake: 1,000 emails land in the inbox at once; one agent (AGENT_TYPE=all, the packaged jar,
 * -Xmx128m) turns them into 1,000 drafts in Pending_Approval/ with the template drafter.
 */
class BurstIntakeBench {

    private static final int EMAILS = Integer.getInteger("bench.emails", 1000);
    private static final Pattern GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    @RegisterExtension
    GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("owner@example.com", "owner@example.com", "pw-123456"));

    @TempDir
    Path dir;

    @Test
    void thousandEmailsAtOnce() throws Exception {
        Path vault = dir.resolve("vault");
        Path log = dir.resolve("agent.log");
        Path gcLog = dir.resolve("gc.log");
        Map<String, String> env = new HashMap<>();
        env.put("AGENT_TYPE", "all");
        env.put("VAULT_PATH", vault.toString());
        env.put("CHANNELS_DIR", dir.resolve("none").toString());
        env.put("MAIL_PROVIDER", "imap");
        env.put("MAIL_SSL", "false");
        env.put("IMAP_HOST", "127.0.0.1");
        env.put("IMAP_PORT", Integer.toString(mail.getImap().getPort()));
        env.put("SMTP_HOST", "127.0.0.1");
        env.put("SMTP_PORT", Integer.toString(mail.getSmtp().getPort()));
        env.put("MAIL_ADDRESS", "owner@example.com");
        env.put("MAIL_PASSWORD", "pw-123456");
        env.put("MAIL_POLL_DELAY", "1000");
        try (AgentProcess agent = AgentProcess.start(env, dir.resolve("work"), log,
                List.of("-Xmx128m", "-Xlog:gc:file=" + gcLog))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(log) && Files.readString(log).contains("DigitalFTE started"));
            GreenMailUser owner = mail.getUserManager().getUserByEmail("owner@example.com");
            Session session = Session.getInstance(new Properties());
            List<MimeMessage> messages = new ArrayList<>();
            for (int i = 0; i < EMAILS; i++) {
                MimeMessage m = new MimeMessage(session);
                m.setFrom(new InternetAddress("client" + i + "@example.com"));
                m.setRecipients(MimeMessage.RecipientType.TO, "owner@example.com");
                m.setSubject("Order question " + i);
                m.setText("Hello, can you tell me when order " + i + " ships?\n\nThanks");
                m.setHeader("Message-ID", "<burst-" + i + "@example.com>");
                messages.add(m);
            }
            long start = System.nanoTime();
            for (MimeMessage m : messages) {
                owner.deliver(m);
            }
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100)).until(() -> count(vault.resolve("Pending_Approval")) == EMAILS);
            double seconds = (System.nanoTime() - start) / 1e9;
            long rssKb = agent.rssKb();
            assertThat(count(vault.resolve("Failed"))).isZero();
            assertThat(count(vault.resolve("Needs_Action")) + count(vault.resolve("Updates"))).isZero();

            int peakBefore = 0;
            int peakAfter = 0;
            int collections = 0;
            for (String line : Files.readAllLines(gcLog)) {
                Matcher m = GC.matcher(line);
                if (line.contains("Pause") && m.find()) {
                    collections++;
                    peakBefore = Math.max(peakBefore, Integer.parseInt(m.group(1)));
                    peakAfter = Math.max(peakAfter, Integer.parseInt(m.group(2)));
                }
            }
            Bench.report("Burst intake (BurstIntakeBench)", List.of(
                    "- %d emails delivered into the inbox at once; all %d drafts in Pending_Approval/ after %.1f s: **%.0f tasks/s** end to end"
                            .formatted(EMAILS, EMAILS, seconds, EMAILS / seconds),
                    "- agent: one JVM, AGENT_TYPE=all, template drafter, `-Xmx128m`; nothing failed or left behind",
                    "- heap: %d GC pauses; the most in use before a collection %d MB, the most still live after one %d MB; RSS at the end %d MB"
                            .formatted(collections, peakBefore, peakAfter, rssKb / 1024)));
        }
    }

    private static long count(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".md")).count();
        } catch (Exception e) {
            return 0;
        }
    }
}
