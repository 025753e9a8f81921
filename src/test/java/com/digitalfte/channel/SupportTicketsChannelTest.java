package com.digitalfte.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.AgentProcess;
import com.digitalfte.support.FakeHelpdesk;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/examples/channels/support-tickets.camel.yaml, the very file, dropped into CHANNELS_DIR of an
 * agent in its own JVM against a helpdesk on WireMock: tickets polled through pages and a 429 into
 * one task each, also across a restart; an approved reply posted once, even when the agent is
 * killed (SIGKILL) after the helpdesk took the reply and before the agent heard back.
 */
class SupportTicketsChannelTest {

    private static final Path EXAMPLE = Path.of("docs/examples/channels/support-tickets.camel.yaml");
    static final FakeHelpdesk HELPDESK = new FakeHelpdesk();

    @RegisterExtension
    static WireMockExtension api = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(HELPDESK)).build();

    @TempDir
    Path dir;

    private Path vault() {
        return dir.resolve("vault");
    }

    private Map<String, String> env() throws IOException {
        Path channels = Files.createDirectories(dir.resolve("channels"));
        Files.copy(EXAMPLE, channels.resolve("support-tickets.camel.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Map<String, String> env = new HashMap<>();
        env.put("AGENT_TYPE", "all");
        env.put("VAULT_PATH", vault().toString());
        env.put("CHANNELS_DIR", channels.toString());
        env.put("MAIL_PROVIDER", "imap");
        env.put("HEARTBEAT_INTERVAL", "3600");
        env.put("SUPPORT_API_URL", api.baseUrl());
        env.put("SUPPORT_POLL_DELAY", "1000");
        env.put("SUPPORT_READ_TOKEN", "read-token-5551212");
        env.put("SUPPORT_REPLY_TOKEN", "reply-token-8675309");
        return env;
    }

    private static String ticket(String id, String updated, String subject) {
        return "{\"id\":\"" + id + "\",\"updated_at\":\"" + updated + "\",\"subject\":\"" + subject + "\",\"status\":\"open\","
                + "\"requester\":{\"email\":\"" + id.toLowerCase() + "@customer.example\"},\"description\":\"Please help: " + subject + "\"}";
    }

    private static String page(String next, String... tickets) {
        return "{\"tickets\":[" + String.join(",", tickets) + "],\"next_page\":" + (next == null ? "null" : "\"" + next + "\"") + "}";
    }

    /** Every file of the vault's folders that holds this task. */
    private List<Path> copiesOf(String id) throws IOException {
        try (Stream<Path> files = Files.walk(vault())) {
            return files.filter(p -> p.getFileName().toString().equals(id + ".md")).toList();
        }
    }

    private AgentProcess start(Map<String, String> env) throws IOException {
        return AgentProcess.start(env, dir.resolve("work"), dir.resolve("agent.log"));
    }

    private String log() throws IOException {
        return Files.exists(dir.resolve("agent.log")) ? Files.readString(dir.resolve("agent.log")) : "";
    }

    @Test
    void ticketsBecomeOneTaskEachAndAnApprovedReplyIsPostedOnceThroughAKill() throws Exception {
        String t1 = ticket("T-1", "2026-11-30T10:00:00Z", "Login broken");
        String t2 = ticket("T-2", "2026-11-30T11:00:00Z", "Invoice copy");
        String t3 = ticket("T-3", "2026-11-30T12:00:00Z", "Refund");
        String t4 = ticket("T-4", "2026-11-30T13:00:00Z", "Password reset");
        api.stubFor(get(urlPathEqualTo("/api/tickets")).withQueryParam("updated_since", absent()).withQueryParam("page_token", absent())
                .willReturn(aResponse().withStatus(200).withBody(page("p2", t1, t2))));
        api.stubFor(get(urlPathEqualTo("/api/tickets")).withQueryParam("page_token", equalTo("p2")).inScenario("limit")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("open")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));
        api.stubFor(get(urlPathEqualTo("/api/tickets")).withQueryParam("page_token", equalTo("p2")).inScenario("limit")
                .whenScenarioStateIs("open").willReturn(aResponse().withStatus(200).withBody(page(null, t3))));
        // later polls ask from the cursor; the helpdesk's "since" includes the ticket at the cursor
        api.stubFor(get(urlPathEqualTo("/api/tickets")).withQueryParam("updated_since", equalTo("2026-11-30T12:00:00Z"))
                .willReturn(aResponse().withStatus(200).withBody(page(null, t3))));
        api.stubFor(any(urlPathMatching("/api/tickets/[^/]+/replies")).willReturn(aResponse().withTransformers("fake-helpdesk")));

        Map<String, String> env = env();
        Path pending = vault().resolve("Pending_Approval");
        try (AgentProcess agent = start(env)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(pending.resolve("TICKET_T-3.md")) || !agent.alive());
            assertThat(agent.alive()).as(log()).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pending.resolve("TICKET_T-1.md"))
                    && Files.exists(pending.resolve("TICKET_T-2.md")));
            // the cursor is used: several polls from it while the agent runs, each seeing T-3 again
            await().atMost(Duration.ofSeconds(30)).until(() -> api.countRequestsMatching(getRequestedFor(urlPathEqualTo("/api/tickets"))
                    .withQueryParam("updated_since", equalTo("2026-11-30T12:00:00Z")).build()).getCount() >= 2);
        }
        assertThat(pending.resolve("TICKET_T-1.md")).content().contains("type: ticket_reply", "channel: support", "ticket_id: T-1",
                "from: t-1@customer.example", "subject: Login broken", "Please help: Login broken", "## Draft");
        assertThat(log()).doesNotContain("read-token-5551212", "reply-token-8675309");

        // a new process: the saved cursor, the same tickets again and one new; still one task each
        api.stubFor(get(urlPathEqualTo("/api/tickets")).withQueryParam("updated_since", equalTo("2026-11-30T12:00:00Z"))
                .willReturn(aResponse().withStatus(200).withBody(page(null, t3, t4))));
        api.stubFor(get(urlPathEqualTo("/api/tickets")).withQueryParam("updated_since", equalTo("2026-11-30T13:00:00Z"))
                .willReturn(aResponse().withStatus(200).withBody(page(null, t4))));
        AtomicReference<AgentProcess> running = new AtomicReference<>(start(env));
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(pending.resolve("TICKET_T-4.md")));
            for (String id : List.of("TICKET_T-1", "TICKET_T-2", "TICKET_T-3", "TICKET_T-4")) {
                assertThat(copiesOf(id)).as(id).hasSize(1);
            }
            api.verify(0, getRequestedFor(urlPathEqualTo("/api/tickets")).withHeader("Authorization", equalTo("Bearer reply-token-8675309")));

            // approved; the helpdesk takes the reply, and the agent is killed before it hears back
            HELPDESK.onNextReply(() -> {
                try {
                    running.get().kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Files.move(pending.resolve("TICKET_T-1.md"), vault().resolve("Approved/TICKET_T-1.md"));
            await().atMost(Duration.ofSeconds(60)).until(() -> !running.get().alive());
        } finally {
            running.get().close();
        }
        assertThat(HELPDESK.repliesTo("T-1")).hasSize(1);
        assertThat(copiesOf("TICKET_T-1")).singleElement().asString().contains("In_Progress");

        // after the restart the reply is found among the ticket's replies and filed, not posted again
        try (AgentProcess agent = start(env)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(vault().resolve("Done/TICKET_T-1.md"))
                    || Files.exists(vault().resolve("Failed/TICKET_T-1.md")));
        }
        assertThat(HELPDESK.repliesTo("T-1")).hasSize(1);
        api.verify(1, postRequestedFor(urlPathEqualTo("/api/tickets/T-1/replies")).withHeader("Authorization", equalTo("Bearer reply-token-8675309")));
        assertThat(vault().resolve("Done/TICKET_T-1.md")).as(log()).content().contains("found done by the lookup",
                "provider_id: " + HELPDESK.repliesTo("T-1").get(0).get("id").asText());
        assertThat(HELPDESK.repliesTo("T-1").get(0).get("external_id").asText()).isEqualTo("TICKET_T-1");
        assertThat(HELPDESK.repliesTo("T-1").get(0).get("body").asText()).isNotBlank();
    }
}
