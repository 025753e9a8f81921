package com.digitalfte.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.Inboxes;
import com.digitalfte.support.LogCapture;
import com.digitalfte.support.TestAgent;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The owner adds a channel by dropping one YAML file into CHANNELS_DIR; a broken file harms nothing else. */
class ChannelsTest {

    private static final Path SALES_EXAMPLE = Path.of("docs/examples/channels/sales-mail.camel.yaml");

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig()
                    .withUser("assistant@example.com", "assistant@example.com", "main-pass-1")
                    .withUser("sales@example.org", "sales@example.org", "sales-pass-2"));

    @TempDir
    Path dir;

    private Map<String, String> env(String type, Path channels) {
        String imap = Integer.toString(mail.getImap().getPort());
        String smtp = Integer.toString(mail.getSmtp().getPort());
        Map<String, String> env = new HashMap<>();
        env.put("AGENT_TYPE", type);
        env.put("VAULT_PATH", dir.resolve("vault-" + type).toString());
        env.put("CHANNELS_DIR", channels.toString());
        env.put("HEARTBEAT_INTERVAL", "1");
        env.put("DASHBOARD_INTERVAL", "1");
        env.put("MAIL_PROVIDER", "imap");
        env.put("MAIL_SSL", "false");
        env.put("IMAP_HOST", "127.0.0.1");
        env.put("IMAP_PORT", imap);
        env.put("SMTP_HOST", "127.0.0.1");
        env.put("SMTP_PORT", smtp);
        env.put("MAIL_ADDRESS", "assistant@example.com");
        env.put("MAIL_PASSWORD", "main-pass-1");
        env.put("MAIL_POLL_DELAY", "200");
        env.put("SALES_IMAP_SECURITY", "none");
        env.put("SALES_IMAP_HOST", "127.0.0.1");
        env.put("SALES_IMAP_PORT", imap);
        env.put("SALES_SMTP_SECURITY", "none");
        env.put("SALES_SMTP_HOST", "127.0.0.1");
        env.put("SALES_SMTP_PORT", smtp);
        env.put("SALES_MAIL_USERNAME", "sales@example.org");
        env.put("SALES_MAIL_PASSWORD", "sales-pass-2");
        env.put("SALES_MAIL_ADDRESS", "sales@example.org");
        env.put("SALES_MAIL_POLL_DELAY", "200");
        return env;
    }

    @Test
    void aSecondMailboxFromOneFileDraftsAndRepliesFromItsOwnAddress() throws Exception {
        Path channels = Files.createDirectories(dir.resolve("channels"));
        Files.copy(SALES_EXAMPLE, channels.resolve("sales-mail.camel.yaml"));
        Files.writeString(channels.resolve("broken.camel.yaml"), "- route:\n    id: broken\n  from: [unclosed\n");
        Files.writeString(channels.resolve("unknown.camel.yaml"),
                "- route:\n    id: unknown-component\n    from:\n      uri: nosuchcomponent:inbox\n      steps:\n        - log: hi\n");

        try (LogCapture log = LogCapture.of(ChannelLoader.class); TestAgent agent = TestAgent.start(env("all", channels))) {
            CamelContext camel = agent.agent().camelContext();
            Path vault = dir.resolve("vault-all");
            await().atMost(Duration.ofSeconds(20)).until(() -> camel.getRoute("watch-sales-mail") != null
                    && camel.getRoute("exec-email-reply-sales-mail") != null);

            GreenMailUtil.sendTextEmail("sales@example.org", "frank@example.com", "Price list", "Could you send your prices?",
                    mail.getSmtp().getServerSetup());
            GreenMailUtil.sendTextEmail("assistant@example.com", "gina@example.com", "Hello", "Just saying hello",
                    mail.getSmtp().getServerSetup());
            Path sales = Inboxes.awaitPending(vault, "Price list");
            Path main = Inboxes.awaitPending(vault, "Hello");
            assertThat(sales).content().contains("channel: sales-mail", "from: frank@example.com");
            assertThat(main).content().contains("channel: imap");

            Files.move(sales, vault.resolve("Approved").resolve(sales.getFileName()));
            Files.move(main, vault.resolve("Approved").resolve(main.getFileName()));
            await().atMost(Duration.ofSeconds(20)).until(() -> Inboxes.repliesTo(mail, "frank@example.com").size() == 1
                    && Inboxes.repliesTo(mail, "gina@example.com").size() == 1);
            assertThat(Inboxes.repliesTo(mail, "frank@example.com").get(0).getFrom()[0].toString()).isEqualTo("sales@example.org");
            assertThat(Inboxes.repliesTo(mail, "frank@example.com").get(0).getSubject()).isEqualTo("Re: Price list");
            assertThat(Inboxes.repliesTo(mail, "gina@example.com").get(0).getFrom()[0].toString()).isEqualTo("assistant@example.com");

            // the broken files are named, with the reason, in the log and on the Dashboard; nothing else stopped
            assertThat(log.lines()).anySatisfy(l -> assertThat(l).startsWith("ERROR").contains("broken.camel.yaml").containsIgnoringCase("line"));
            assertThat(log.lines()).anySatisfy(l -> assertThat(l).startsWith("ERROR").contains("unknown.camel.yaml").contains("nosuchcomponent"));
            assertThat(camel.getRoute("unknown-component")).isNull();
            assertThat(camel.getRoute("broken")).isNull();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(vault.resolve("Dashboard.md")).content()
                    .contains("## Problems", "channel file broken.camel.yaml", "channel file unknown.camel.yaml"));

            // a fixed file is picked up without a restart, and its problem goes away
            Files.writeString(channels.resolve("broken.camel.yaml"), """
                    - route:
                        id: fixed-route
                        from:
                          uri: timer:fixed
                          parameters:
                            repeatCount: 1
                          steps:
                            - log: "fixed"
                    """);
            Files.setLastModifiedTime(channels.resolve("broken.camel.yaml"),
                    java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 2000));
            await().atMost(Duration.ofSeconds(20)).until(() -> camel.getRoute("fixed-route") != null);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(vault.resolve("Dashboard.md")).content()
                    .doesNotContain("broken.camel.yaml").contains("unknown.camel.yaml"));
        }
    }

    @Test
    void eachSideRunsOnlyItsPartOfAChannelFileAndTheCloudNeverAnExecutor() throws Exception {
        Path channels = Files.createDirectories(dir.resolve("channels"));
        Files.copy(SALES_EXAMPLE, channels.resolve("sales-mail.camel.yaml"));
        Files.writeString(channels.resolve("sneaky.camel.yaml"),
                "- route:\n    id: sneaky-executor\n    from:\n      uri: direct:exec-email-reply-sneaky\n      steps:\n        - log: send\n");
        Map<String, String> cloudEnv = env("cloud", channels);
        cloudEnv.keySet().removeIf(k -> k.startsWith("SALES_SMTP") || k.startsWith("SMTP_"));
        try (TestAgent cloud = TestAgent.start(cloudEnv)) {
            CamelContext camel = cloud.agent().camelContext();
            await().atMost(Duration.ofSeconds(20)).until(() -> camel.getRoute("watch-sales-mail") != null);
            assertThat(camel.getRoute("exec-email-reply-sales-mail")).isNull();
            assertThat(camel.getRoute("sneaky-executor")).isNull();
            assertThat(camel.getRoutes()).noneMatch(r -> r.getEndpoint().getEndpointUri().startsWith("direct://exec-"));
            assertThat(camel.getRegistry().lookupByName("executor")).isNull();
        }
        Map<String, String> localEnv = env("local", channels);
        localEnv.keySet().removeIf(k -> k.equals("SALES_MAIL_POLL_DELAY") || k.equals("MAIL_POLL_DELAY"));
        try (TestAgent local = TestAgent.start(localEnv)) {
            CamelContext camel = local.agent().camelContext();
            await().atMost(Duration.ofSeconds(20)).until(() -> camel.getRoute("exec-email-reply-sales-mail") != null);
            assertThat(camel.getRoute("watch-sales-mail")).isNull();
            assertThat(camel.getRoute("watch-mail")).isNull();
            assertThat(camel.getRoute("sneaky-executor")).isNotNull();
        }
    }
}
