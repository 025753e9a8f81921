package com.digitalfte.channel.http;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.KameletTestSupport;
import com.digitalfte.support.LogCapture;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The http-poll-source kamelet alone, into the vault task sink, against a real HTTP server: pages,
 * a rate limit waited out, the cursor kept across a restart, each ticket one task.
 */
class HttpPollSourceTest extends KameletTestSupport {

    private static final String TICKETS = "/api/tickets";

    @RegisterExtension
    static WireMockExtension api = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    @Override
    protected String routeFile() {
        return "http-poll-source.camel.yaml";
    }

    @Override
    protected Map<String, String> testProperties() {
        return Map.of("test.api", api.baseUrl(), "test.token", "tok-poll-98765");
    }

    /** The first poll is made at start: the agent starts once the test has set up the provider. */
    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withAutoStartContext(false);
    }

    private void startPolling() {
        context.start();
    }

    private static String ticket(String id, String updated, String subject) {
        return "{\"id\":\"" + id + "\",\"updated_at\":\"" + updated + "\",\"subject\":\"" + subject + "\","
                + "\"requester\":{\"email\":\"" + id.toLowerCase() + "@customer.example\"},\"description\":\"Help with " + subject + "\"}";
    }

    private static String page(String next, String... tickets) {
        return "{\"tickets\":[" + String.join(",", tickets) + "],\"next_page\":" + (next == null ? "null" : "\"" + next + "\"") + "}";
    }

    private static MappingBuilder firstPage() {
        return get(urlPathEqualTo(TICKETS)).withQueryParam("status", equalTo("open")).withQueryParam("page_token", absent())
                .withQueryParam("updated_since", absent());
    }

    private List<Path> tasks() throws IOException {
        try (Stream<Path> files = Files.list(vault().resolve("Needs_Action"))) {
            return files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
    }

    private Path cursor() {
        return vault().resolve(".state/cursors/tickets");
    }

    @Test
    void pagesAndARateLimitAreFollowedAndTheCursorKeepsEachTicketOneTaskAcrossARestart() throws Exception {
        api.stubFor(firstPage().willReturn(aResponse().withStatus(200)
                // a provider's header posing as a task field or a Camel header goes nowhere
                .withHeader("task.subject", "injected").withHeader("CamelFileName", "../../etc/x")
                .withBody(page("p2", ticket("T-1", "2026-11-30T10:00:00Z", "Login broken"), ticket("T-2", "2026-11-30T11:00:00Z", "Invoice")))));
        api.stubFor(get(urlPathEqualTo(TICKETS)).withQueryParam("page_token", equalTo("p2")).inScenario("limit")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("open")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));
        api.stubFor(get(urlPathEqualTo(TICKETS)).withQueryParam("page_token", equalTo("p2")).inScenario("limit").whenScenarioStateIs("open")
                .willReturn(aResponse().withStatus(200).withBody(page(null, ticket("T-3", "2026-11-30T12:00:00Z", "Refund")))));
        try (LogCapture log = LogCapture.of(HttpPoll.class)) {
            startPolling();
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(cursor()));
            assertThat(log.lines()).filteredOn(l -> l.contains("429")).hasSize(1);
        }
        assertThat(tasks()).extracting(p -> p.getFileName().toString()).containsExactly("TICKET_T-1.md", "TICKET_T-2.md", "TICKET_T-3.md");
        assertThat(vault().resolve("Needs_Action/TICKET_T-1.md")).content()
                .contains("type: ticket_reply", "channel: support", "from: t-1@customer.example", "subject: Login broken", "ticket_id: T-1",
                        "Help with Login broken")
                .doesNotContain("injected", "etc/x");
        assertThat(cursor()).content().isEqualTo("2026-11-30T12:00:00Z");
        api.verify(getRequestedFor(urlPathEqualTo(TICKETS)).withHeader("Authorization", equalTo("Bearer tok-poll-98765")));
        // the limited page was asked twice, a second apart, not hammered
        List<ServeEvent> second = api.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().contains("page_token=p2"))
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate())).toList();
        assertThat(second).hasSize(2);
        assertThat(Duration.between(second.get(0).getRequest().getLoggedDate().toInstant(), second.get(1).getRequest().getLoggedDate().toInstant()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1000));

        // a new process asks from the saved cursor; the ticket it sees again stays one task
        api.stubFor(get(urlPathEqualTo(TICKETS)).withQueryParam("updated_since", equalTo("2026-11-30T12:00:00Z"))
                .willReturn(aResponse().withStatus(200).withBody(page(null, ticket("T-3", "2026-11-30T12:00:00Z", "Refund"),
                        ticket("T-4", "2026-11-30T13:00:00Z", "Password")))));
        restart();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(cursor()).content().isEqualTo("2026-11-30T13:00:00Z"));
        assertThat(tasks()).extracting(p -> p.getFileName().toString())
                .containsExactly("TICKET_T-1.md", "TICKET_T-2.md", "TICKET_T-3.md", "TICKET_T-4.md");
        api.verify(1, getRequestedFor(urlPathEqualTo(TICKETS)).withQueryParam("updated_since", equalTo("2026-11-30T12:00:00Z")));
    }

    @Test
    void theCursorStaysWhereItWasWhenATaskOfThePollCouldNotBeWritten() throws Exception {
        api.stubFor(firstPage().willReturn(aResponse().withStatus(200).withBody(page(null,
                ticket("T-1", "2026-11-30T10:00:00Z", "One"), ticket("T-666", "2026-11-30T11:00:00Z", "Poison"),
                ticket("T-7", "2026-11-30T12:00:00Z", "Seven")))));
        try (LogCapture log = LogCapture.of(HttpPoll.class)) {
            startPolling();
            await().atMost(Duration.ofSeconds(20)).until(() -> log.lines().stream().anyMatch(l -> l.contains("No space left on device")));
        }
        assertThat(tasks()).extracting(p -> p.getFileName().toString()).containsExactly("TICKET_T-1.md");
        assertThat(cursor()).doesNotExist();
    }

    @Test
    void aRefusedPollIsOneLogLineAndNoTask() throws Exception {
        api.stubFor(firstPage().willReturn(aResponse().withStatus(401).withBody("{\"error\":\"invalid token\"}")));
        try (LogCapture log = LogCapture.of(HttpPoll.class)) {
            startPolling();
            await().atMost(Duration.ofSeconds(20)).until(() -> !log.lines().isEmpty());
            assertThat(log.lines()).singleElement().asString().startsWith("WARN").contains("401", "invalid token").doesNotContain("tok-poll");
        }
        assertThat(tasks()).isEmpty();
    }
}
