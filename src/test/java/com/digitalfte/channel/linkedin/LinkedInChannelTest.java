package com.digitalfte.channel.linkedin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.AgentEnv;
import com.digitalfte.support.LocalWireMock;
import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in LinkedIn channel in a real agent against the Posts API on WireMock: the schedule
 * makes one post task a day from the goals and the work done, the approved post goes out with the
 * exact body and headers LinkedIn documents, a 401 says to renew the token, and the Dashboard warns
 * before the token expires.
 */
class LinkedInChannelTest {

    private static final String TOKEN = "AQVlinkedin-token-q7r8s9";
    private static final String AUTHOR = "urn:li:organization:5515715";

    @RegisterExtension
    static WireMockExtension linkedin = LocalWireMock.server();

    @TempDir
    Path dir;

    private Path vault() {
        return dir.resolve("vault");
    }

    private Map<String, String> env() {
        return AgentEnv.of("all", vault(), dir).heartbeatEvery(1).dashboardEvery(1).linkedIn(linkedin.baseUrl(), TOKEN, AUTHOR)
                .with("LINKEDIN_VERSION", "202611").with("LINKEDIN_POST_CRON", "0/1 * * * * ?")
                .with("LINKEDIN_TOKEN_EXPIRES", LocalDate.now(ZoneOffset.UTC).plusDays(10).toString()).build();
    }

    private void approveWith(String id, String draft) throws Exception {
        Path pending = vault().resolve("Pending_Approval/" + id + ".md");
        Vault v = new Vault(vault());
        TaskFile task = v.read(pending).withSection(TaskFile.DRAFT, draft);
        v.write(vault().resolve("Approved"), task);
        Files.delete(pending);
    }

    @Test
    void theScheduleDraftsOnePostADayTheApprovedPostGoesOutAsLinkedInDocumentsItAndA401SaysToRenewTheToken() throws Exception {
        Files.createDirectories(vault().resolve("Done"));
        Files.writeString(vault().resolve("Business_Goals.md"), "# Goals\n\nWin three new bakery clients in Q1.\n");
        new Vault(vault()).write(vault().resolve("Done"), TaskFile.create("EMAIL_d1", "email_reply").with("subject", "Catering for 40 people")
                .withSection(TaskFile.ORIGINAL, "a customer's private words").withSection(TaskFile.DRAFT, "Yes"));
        linkedin.stubFor(post(urlEqualTo("/rest/posts")).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("LinkedIn-Version", equalTo("202611")).withHeader("X-Restli-Protocol-Version", equalTo("2.0.0"))
                .willReturn(aResponse().withStatus(201).withHeader("x-restli-id", "urn:li:share:6844785523593134080")));
        linkedin.stubFor(post(urlEqualTo("/rest/posts")).atPriority(1).withRequestBody(matchingJsonPath("$.commentary", equalTo("Hello LinkedIn")))
                .willReturn(aResponse().withStatus(401).withBody("{\"status\":401,\"serviceErrorCode\":65601,\"code\":\"REVOKED_ACCESS_TOKEN\","
                        + "\"message\":\"The token used in the request has been revoked by the user\"}")));
        String id = "LINKEDIN_" + LocalDate.now(ZoneOffset.UTC) + "_1";
        Path pending = vault().resolve("Pending_Approval/" + id + ".md");
        try (TestAgent agent = TestAgent.start(env())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pending));
            TaskFile task = new Vault(vault()).read(pending);
            assertThat(task.type()).isEqualTo("linkedin_post");
            assertThat(task.getOrEmpty("channel")).isEqualTo("linkedin");
            assertThat(task.section(TaskFile.ORIGINAL).orElseThrow()).contains("Win three new bakery clients in Q1.", "email reply: Catering for 40 people")
                    .doesNotContain("a customer's private words");
            assertThat(task.section(TaskFile.DRAFT)).isPresent();

            approveWith(id, "Q1 (so far): 3 new clients! Thanks @all #bakery https://example.com/a_b");
            new Vault(vault()).write(vault().resolve("Approved"), TaskFile.create("LINKEDIN_2026-11-01_1", "linkedin_post")
                    .with("channel", "linkedin").withSection(TaskFile.DRAFT, "Hello LinkedIn"));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault().resolve("Done/" + id + ".md"))
                    && Files.exists(vault().resolve("Failed/LINKEDIN_2026-11-01_1.md")));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(vault().resolve("Dashboard.md"))
                    && Files.readString(vault().resolve("Dashboard.md")).contains("LinkedIn token expires"));
        }
        linkedin.verify(1, postRequestedFor(urlEqualTo("/rest/posts")).withRequestBody(equalToJson("{\"author\": \"" + AUTHOR + "\","
                + " \"commentary\": \"Q1 \\\\(so far\\\\): 3 new clients! Thanks \\\\@all #bakery https://example.com/a_b\","
                + " \"visibility\": \"PUBLIC\", \"distribution\": {\"feedDistribution\": \"MAIN_FEED\", \"targetEntities\": [],"
                + " \"thirdPartyDistributionChannels\": []}, \"lifecycleState\": \"PUBLISHED\", \"isReshareDisabledByAuthor\": false}")));
        assertThat(vault().resolve("Done/" + id + ".md")).content().contains("provider_id: urn:li:share:6844785523593134080");
        assertThat(Files.readString(vault().resolve("Dashboard.md"))).contains("the LinkedIn token expires on " + LocalDate.now(ZoneOffset.UTC).plusDays(10),
                "LINKEDIN_ACCESS_TOKEN");
        // the schedule fired every second: still one task for the day
        try (var files = Files.walk(vault())) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("LINKEDIN_" + LocalDate.now(ZoneOffset.UTC)))).hasSize(1);
        }

        assertThat(vault().resolve("Failed/LINKEDIN_2026-11-01_1.md")).content()
                .contains("401", "The token used in the request has been revoked by the user", "renew the token").doesNotContain("uncertain: true", TOKEN);
        linkedin.verify(1, postRequestedFor(urlEqualTo("/rest/posts")).withRequestBody(matchingJsonPath("$.commentary", equalTo("Hello LinkedIn"))));
    }
}
