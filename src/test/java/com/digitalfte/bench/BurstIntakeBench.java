package com.digitalfte.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.AgentProcess;
import com.digitalfte.support.LocalAgentEnv;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
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
 * Burst intake on one side (AGENT_TYPE=all, the packaged jar, {@code -Xmx128m}, template drafter):
 * 1,000 messages handed to the intake at once until their 1,000 drafts are in Pending_Approval/;
 * then the same end to end from an IMAP inbox (GreenMail) holding a burst of mail.
 */
class BurstIntakeBench {

    private static final int EMAILS = Integer.getInteger("bench.emails", 1000);
    private static final int IMAP_EMAILS = Integer.getInteger("bench.imapEmails", 1000);
    private static final Pattern GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
    private static final Pattern TIME = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) ");

    @RegisterExtension
    GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("owner@example.com", "owner@example.com", "pw-123456"));

    @TempDir
    Path dir;

    @Test
    void burstOfMail() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int run = 1; run <= 3; run++) {
            lines.add(intake(run));
        }
        lines.add(imap());
        lines.add("");
        lines.add("Both runs: one JVM, `java -Xmx128m -Xlog:gc -jar target/digitalfte.jar`, AGENT_TYPE=all, template drafter, "
                + "vault history committed locally; time from the agent's log (first task written to last approval requested).");
        Bench.report("Burst intake (BurstIntakeBench)", lines);
    }

    /** 1,000 task messages into vault-task-sink at once, from a channel file (what every source feeds). */
    private String intake(int n) throws Exception {
        Path run = Files.createDirectories(dir.resolve("intake" + n));
        Path channels = Files.createDirectories(run.resolve("channels"));
        Files.writeString(channels.resolve("burst.camel.yaml"), """
                - route:
                    id: burst-intake
                    group: cloud
                    from:
                      uri: timer:burst
                      parameters:
                        repeatCount: 1
                      steps:
                        - loop:
                            constant: %d
                            steps:
                              - setHeader:
                                  name: task.key
                                  simple: "<burst-${exchangeProperty.CamelLoopIndex}@example.com>"
                              - setHeader:
                                  name: task.message_id
                                  simple: "<burst-${exchangeProperty.CamelLoopIndex}@example.com>"
                              - setHeader:
                                  name: task.from
                                  simple: "Client ${exchangeProperty.CamelLoopIndex} <client${exchangeProperty.CamelLoopIndex}@example.com>"
                              - setHeader:
                                  name: task.subject
                                  simple: "Order question ${exchangeProperty.CamelLoopIndex}"
                              - setBody:
                                  simple: "Hello, can you tell me when order ${exchangeProperty.CamelLoopIndex} ships?\\n\\nThanks"
                              - to:
                                  uri: kamelet:vault-task-sink
                                  parameters:
                                    type: email_reply
                                    channel: burst
                                    idPrefix: EMAIL
                """.formatted(EMAILS));
        Map<String, String> env = env(run);
        env.put("CHANNELS_DIR", channels.toString());
        return measure("run %d, %,d messages handed to the intake (`vault-task-sink`) at once".formatted(n, EMAILS), run, env, EMAILS, () -> { });
    }

    /** A burst of mail in the inbox, fetched by the IMAP consumer. */
    private String imap() throws Exception {
        Path run = Files.createDirectories(dir.resolve("imap"));
        GreenMailUser owner = mail.getUserManager().getUserByEmail("owner@example.com");
        Session session = Session.getInstance(new Properties());
        List<MimeMessage> messages = new ArrayList<>();
        for (int i = 0; i < IMAP_EMAILS; i++) {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress("client" + i + "@example.com"));
            m.setRecipients(MimeMessage.RecipientType.TO, "owner@example.com");
            m.setSubject("Order question " + i);
            m.setText("Hello, can you tell me when order " + i + " ships?\n\nThanks");
            m.setHeader("Message-ID", "<imap-burst-" + i + "@example.com>");
            messages.add(m);
        }
        Map<String, String> env = env(run);
        env.put("CHANNELS_DIR", run.resolve("none").toString());
        return measure("%d emails in the IMAP inbox at once (GreenMail), fetched by the IMAP consumer".formatted(IMAP_EMAILS), run, env,
                IMAP_EMAILS, () -> messages.forEach(owner::deliver));
    }

    private Map<String, String> env(Path run) {
        Map<String, String> env = LocalAgentEnv.mailbox("owner@example.com", mail.getSmtp().getPort(), mail.getImap().getPort());
        env.put("AGENT_TYPE", "all");
        env.put("VAULT_PATH", run.resolve("vault").toString());
        env.put("MAIL_POLL_DELAY", "1000");
        if (!System.getProperty("bench.syncDebounce", "").isBlank()) {
            env.put("VAULT_SYNC_DEBOUNCE", System.getProperty("bench.syncDebounce"));
        }
        return env;
    }

    private String measure(String what, Path run, Map<String, String> env, int expected, Runnable burst) throws Exception {
        Path vault = run.resolve("vault");
        Path log = run.resolve("agent.log");
        Path gcLog = run.resolve("gc.log");
        List<String> jvm = new ArrayList<>(List.of("-Xmx128m", "-Xlog:gc:file=" + gcLog));
        if (!System.getProperty("bench.jvm", "").isBlank()) {
            jvm.addAll(List.of(System.getProperty("bench.jvm").replace("%run", run.getFileName().toString()).split(" ")));
        }
        try (AgentProcess agent = AgentProcess.start(env, run.resolve("work"), log, jvm)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(log) && Files.readString(log).contains("DigitalFTE started"));
            burst.run();
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100)).until(() -> count(vault.resolve("Pending_Approval")) == expected);
            long rssKb = agent.rssKb();
            assertThat(count(vault.resolve("Failed"))).isZero();
            assertThat(count(vault.resolve("Needs_Action")) + count(vault.resolve("Updates"))).isZero();
            List<String> agentLog = Files.readAllLines(log);
            Files.createDirectories(Bench.RESULTS.getParent());
            Files.copy(log, Bench.RESULTS.resolveSibling("burst-" + run.getFileName() + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            LocalTime first = time(agentLog.stream().filter(l -> l.contains("TaskQueue - New task")).findFirst().orElseThrow());
            LocalTime last = time(agentLog.stream().filter(l -> l.contains("awaits your approval")).reduce((a, b) -> b).orElseThrow());
            double seconds = Duration.between(first, last).toMillis() / 1000.0;
            int[] heap = gc(gcLog);
            return "- %s: %d drafts in Pending_Approval/ after %.1f s, **%.0f tasks/s**; %d GC pauses, heap in use at most %d MB before a collection and %d MB live after one (of 128 MB); RSS %d MB; none failed or lost"
                    .formatted(what, expected, seconds, expected / seconds, heap[0], heap[1], heap[2], rssKb / 1024);
        }
    }

    private static LocalTime time(String line) {
        Matcher m = TIME.matcher(line);
        if (!m.find()) {
            throw new IllegalStateException("no time in: " + line);
        }
        return LocalTime.parse(m.group(1));
    }

    private static int[] gc(Path gcLog) throws IOException {
        int collections = 0;
        int before = 0;
        int after = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC.matcher(line);
            if (line.contains("Pause") && m.find()) {
                collections++;
                before = Math.max(before, Integer.parseInt(m.group(1)));
                after = Math.max(after, Integer.parseInt(m.group(2)));
            }
        }
        return new int[] {collections, before, after};
    }

    private static long count(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".md")).count();
        } catch (Exception e) {
            return 0;
        }
    }
}
