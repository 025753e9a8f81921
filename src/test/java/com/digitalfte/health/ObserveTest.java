package com.digitalfte.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.GitCli;
import com.digitalfte.support.Http;
import com.digitalfte.support.LocalAgentEnv;
import com.digitalfte.support.TestAgent;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running agent, observed as an operator would: {@code /observe/health} over real HTTP names
 * each part, its mail check follows the mail server down and back up, and Jolokia reads the routes
 * but refuses to stop one; both only on 127.0.0.1.
 */
class ObserveTest {

    private static final String ME = "me@example.com";

    @TempDir
    Path dir;

    private GreenMail mail;

    private GreenMail mailServer(int smtpPort, int imapPort) {
        GreenMail server = new GreenMail(new ServerSetup[] {
                new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP), new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
        server.setUser(ME, ME, "pw-123456");
        server.start();
        return server;
    }

    @AfterEach
    void stopMail() {
        if (mail != null) {
            mail.stop();
        }
    }

    private Map<String, String> agentOn(int observePort, int smtpPort, int imapPort) {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path vault = GitCli.cloneOf(remote, dir, "vault");
        Map<String, String> env = LocalAgentEnv.syncedWithMail("all", vault, dir, ME, "pw-123456", smtpPort, imapPort);
        env.put("OBSERVE_PORT", Integer.toString(observePort));
        return env;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> states(Http.Answer health) {
        return ((List<Map<String, Object>>) health.json().get("checks")).stream()
                .collect(Collectors.toMap(c -> (String) c.get("name"), c -> (String) c.get("status")));
    }

    @SuppressWarnings("unchecked")
    private static String message(Http.Answer health, String check) {
        return ((List<Map<String, Object>>) health.json().get("checks")).stream().filter(c -> check.equals(c.get("name")))
                .map(c -> String.valueOf(c.get("message"))).findFirst().orElse("");
    }

    @Test
    void healthNamesEachPartAndTheMailCheckFollowsTheMailServerDownAndUp() throws Exception {
        int smtp = Http.freePort();
        int imap = Http.freePort();
        int observe = Http.freePort();
        mail = mailServer(smtp, imap);
        String health = "http://127.0.0.1:" + observe + "/observe/health?exposureLevel=full";
        try (TestAgent agent = TestAgent.start(agentOn(observe, smtp, imap))) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Http.Answer answer = Http.get(health);
                assertThat(answer.status()).isEqualTo(200);
                assertThat(states(answer)).containsOnlyKeys("context", "mail-in", "mail-out", "owner-channels", "git-remote", "vault-sync", "disk", "vault-queues")
                        .containsValue("UP").doesNotContainValue("DOWN");
                assertThat(message(answer, "mail-in")).contains("IMAP 127.0.0.1:" + imap, "the last call succeeded");
                assertThat(message(answer, "vault-sync")).contains("last sync");
            });

            mail.stop();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Http.Answer answer = Http.get(health);
                assertThat(answer.status()).as("not ready while the mailbox is gone").isEqualTo(503);
                assertThat(states(answer)).containsEntry("mail-in", "DOWN").containsEntry("mail-out", "DOWN").containsEntry("disk", "UP");
                assertThat(message(answer, "mail-in")).contains("127.0.0.1:" + imap, "cannot be reached");
            });
            assertThat(Http.get("http://127.0.0.1:" + observe + "/observe/health/live").status())
                    .as("alive all the same: a restart would not bring the mail server back").isEqualTo(200);

            mail = mailServer(smtp, imap);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Http.Answer answer = Http.get(health);
                assertThat(states(answer)).containsEntry("mail-in", "UP").containsEntry("mail-out", "UP");
                assertThat(answer.status()).isEqualTo(200);
            });
        }
    }

    @Test
    void jolokiaReadsTheRoutesRefusesToStopOneAndListensOnLoopbackOnly() throws Exception {
        int smtp = Http.freePort();
        int imap = Http.freePort();
        int observe = Http.freePort();
        mail = mailServer(smtp, imap);
        String jolokia = "http://127.0.0.1:" + observe + "/observe/jolokia";
        try (TestAgent agent = TestAgent.start(agentOn(observe, smtp, imap))) {
            String route = "org.apache.camel:context=DigitalFTE-all,type=routes,name=%22watch-mail%22";
            Http.Answer read = Http.get(jolokia + "/read/" + route + "/State");
            assertThat(read.json()).containsEntry("status", 200).containsEntry("value", "Started");

            Http.Answer stop = Http.get(jolokia + "/exec/" + route + "/stop()");
            assertThat(stop.json()).containsEntry("status", 403);
            assertThat(String.valueOf(stop.json().get("error"))).contains("stop()", "forbidden");
            Http.Answer write = Http.get(jolokia + "/write/" + route + "/TracingPattern/x");
            assertThat(write.json()).containsEntry("status", 403);
            assertThat(agent.agent().camelContext().getRouteController().getRouteStatus("watch-mail")).isEqualTo(ServiceStatus.Started);

            assertThat(Http.listeningAddresses(observe)).as("health and Jolokia are one server, on loopback only")
                    .isNotEmpty().allMatch(Http::isLoopback);
        }
    }

    @Test
    void jolokiaAllowControlOpensRouteStartAndStopOnly() throws Exception {
        int smtp = Http.freePort();
        int imap = Http.freePort();
        int observe = Http.freePort();
        mail = mailServer(smtp, imap);
        Map<String, String> env = agentOn(observe, smtp, imap);
        env.put("JOLOKIA_ALLOW_CONTROL", "true");
        String jolokia = "http://127.0.0.1:" + observe + "/observe/jolokia";
        try (TestAgent agent = TestAgent.start(env)) {
            String route = "org.apache.camel:context=DigitalFTE-all,type=routes,name=%22write-heartbeat%22";
            assertThat(Http.get(jolokia + "/exec/" + route + "/stop()").json()).containsEntry("status", 200);
            assertThat(agent.agent().camelContext().getRouteController().getRouteStatus("write-heartbeat")).isEqualTo(ServiceStatus.Stopped);
            assertThat(Http.get(jolokia + "/exec/" + route + "/start()").json()).containsEntry("status", 200);
            assertThat(agent.agent().camelContext().getRouteController().getRouteStatus("write-heartbeat")).isEqualTo(ServiceStatus.Started);
            assertThat(Http.get(jolokia + "/exec/" + route + "/remove()").json()).as("no other operation").containsEntry("status", 403);
        }
    }
}
