package com.digitalfte.channel.meta;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.AgentEnv;
import com.digitalfte.support.LocalWireMock;
import com.digitalfte.support.LogCapture;
import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in Facebook and Instagram channels in a real agent against the Graph API (v26.0) on
 * WireMock: a page post, one found by the lookup after a lost answer, an Instagram image post in
 * its two calls after the publishing limit is checked, an image on this machine refused before
 * anything is asked of Meta, and a reached limit that posts nothing.
 */
class MetaChannelTest {

    private static final String TOKEN = "EAAGpage-token-t1u2v3";
    private static final String FEED = "/v26.0/1122/feed";
    private static final String IG = "/v26.0/17841400008460056";

    @RegisterExtension
    static WireMockExtension graph = LocalWireMock.server();

    @TempDir
    Path dir;

    private Path vault() {
        return dir.resolve("vault");
    }

    private Map<String, String> env() {
        return AgentEnv.of("all", vault(), dir).heartbeatEvery(3600).with("META_GRAPH_BASE_URL", graph.baseUrl())
                .with("META_PAGE_ID", "1122").with("META_PAGE_TOKEN", TOKEN).with("IG_USER_ID", "17841400008460056")
                .with("EXECUTE_RETRY_DELAY_MS", "100").with("FACEBOOK_POST_CRON", "0/1 * * * * ?").build();
    }

    private void approve(String id, String type, String draft, String imageUrl) throws Exception {
        TaskFile task = TaskFile.create(id, type).with("channel", type.startsWith("facebook") ? "facebook" : "instagram")
                .with("image_url", imageUrl).withSection(TaskFile.DRAFT, draft);
        new Vault(vault()).write(Files.createDirectories(vault().resolve("Approved")), task);
    }

    private void limit(int used) {
        graph.stubFor(get(urlPathEqualTo(IG + "/content_publishing_limit")).withQueryParam("fields", equalTo("quota_usage,config"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withStatus(200).withBody("{\"data\":[{\"quota_usage\":" + used
                        + ",\"config\":{\"quota_total\":50,\"quota_duration\":86400} }]}")));
    }

    @Test
    void pagePostsAndInstagramImagePostsGoOutAsTheGraphApiDocumentsThem() throws Exception {
        graph.stubFor(post(urlPathEqualTo(FEED)).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(matchingJsonPath("$.message", equalTo("Fresh bread from 7 am!")))
                .willReturn(aResponse().withStatus(200).withBody("{\"id\":\"1122_5550001\"}")));
        graph.stubFor(post(urlPathEqualTo(FEED)).withRequestBody(matchingJsonPath("$.message", equalTo("Closed on Sunday")))
                .willReturn(aResponse().withStatus(500).withBody("{\"error\":{\"message\":\"An unknown error occurred\",\"type\":\"OAuthException\",\"code\":1} }")));
        graph.stubFor(get(urlPathEqualTo("/v26.0/1122/posts")).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withStatus(200).withBody("{\"data\":[{\"id\":\"1122_5550002\",\"message\":\"Closed on Sunday\"},"
                        + "{\"id\":\"1122_5550001\",\"message\":\"Fresh bread from 7 am!\"}]}")));
        graph.stubFor(post(urlPathEqualTo(FEED)).withRequestBody(matchingJsonPath("$.message", equalTo("After the token expired")))
                .willReturn(aResponse().withStatus(400).withBody("{\"error\":{\"message\":\"Error validating access token: Session has expired on"
                        + " Tuesday, 01-Dec-26 09:00:00 PST.\",\"type\":\"OAuthException\",\"code\":190,\"error_subcode\":463,\"fbtrace_id\":\"A1b2\"} }")));
        limit(3);
        graph.stubFor(post(urlPathEqualTo(IG + "/media")).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withStatus(200).withBody("{\"id\":\"17889455560051444\"}")));
        graph.stubFor(post(urlPathEqualTo(IG + "/media_publish")).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withStatus(200).withBody("{\"id\":\"17920238422030506\"}")));

        try (LogCapture log = LogCapture.everything(); TestAgent agent = TestAgent.start(env())) {
            approve("FB_bread", "facebook_post", "Fresh bread from 7 am!", null);
            approve("FB_sunday", "facebook_post", "Closed on Sunday", null);
            approve("IG_cake", "instagram_post", "Our new cake #bakery", "https://cdn.example.com/cake.jpg");
            approve("IG_local", "instagram_post", "From my disk", "/home/me/Pictures/cake.jpg");
            approve("FB_expired", "facebook_post", "After the token expired", null);
            // the schedule's task, drafted, waits for the owner
            String scheduled = "FB_" + java.time.LocalDate.now(java.time.ZoneOffset.UTC) + "_1";
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(vault().resolve("Pending_Approval/" + scheduled + ".md")));
            assertThat(new Vault(vault()).read(vault().resolve("Pending_Approval/" + scheduled + ".md")).section(TaskFile.ORIGINAL).orElseThrow())
                    .contains("Write a Facebook post about the business");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(vault().resolve("Failed/FB_expired.md")));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(vault().resolve("Done/FB_bread.md"))
                    && Files.exists(vault().resolve("Done/FB_sunday.md")) && Files.exists(vault().resolve("Done/IG_cake.md"))
                    && Files.exists(vault().resolve("Pending_Approval/IG_local.md")));
            assertThat(String.join("\n", log.lines())).contains("FB_expired").doesNotContain(TOKEN);
        }
        graph.verify(1, postRequestedFor(urlPathEqualTo(FEED)).withRequestBody(equalToJson("{\"message\": \"Fresh bread from 7 am!\"}")));
        assertThat(vault().resolve("Done/FB_bread.md")).content().contains("provider_id: 1122_5550001");
        // the lost answer: found among the page's posts, not posted again
        graph.verify(1, postRequestedFor(urlPathEqualTo(FEED)).withRequestBody(equalToJson("{\"message\": \"Closed on Sunday\"}")));
        assertThat(vault().resolve("Done/FB_sunday.md")).content().contains("found done by the lookup", "provider_id: 1122_5550002");

        // a token error is a clear Failed/ entry: Meta's words and what to do
        assertThat(vault().resolve("Failed/FB_expired.md")).content().contains("Session has expired", "the page token expired or was revoked",
                "META_PAGE_TOKEN").doesNotContain("uncertain: true", TOKEN);

        graph.verify(1, postRequestedFor(urlPathEqualTo(IG + "/media"))
                .withRequestBody(equalToJson("{\"image_url\": \"https://cdn.example.com/cake.jpg\", \"caption\": \"Our new cake #bakery\"}")));
        graph.verify(1, postRequestedFor(urlPathEqualTo(IG + "/media_publish")).withRequestBody(equalToJson("{\"creation_id\": \"17889455560051444\"}")));
        assertThat(vault().resolve("Done/IG_cake.md")).content().contains("provider_id: 17920238422030506", "creation_id: \"17889455560051444\"");
        assertThat(vault().resolve("Logs/instagram_posts.jsonl")).content().contains("17920238422030506");

        assertThat(new Vault(vault()).read(vault().resolve("Pending_Approval/IG_local.md")).getOrEmpty("approval_note"))
                .contains("/home/me/Pictures/cake.jpg is not a public address", "Instagram fetches the image itself", "public https:// address");
        graph.verify(0, postRequestedFor(urlPathEqualTo(IG + "/media")).withRequestBody(matchingJsonPath("$.caption", equalTo("From my disk"))));
        graph.verify(0, anyRequestedFor(anyUrl()).withQueryParam("access_token", com.github.tomakehurst.wiremock.client.WireMock.matching(".*")));
    }

    @Test
    void atInstagramsPublishingLimitNothingIsPostedAndARefusedContainerIsInMetasWords() throws Exception {
        limit(50);
        graph.stubFor(get(urlPathEqualTo("/v26.0/999/content_publishing_limit")).willReturn(aResponse().withStatus(200)
                .withBody("{\"data\":[{\"quota_usage\":0,\"config\":{\"quota_total\":50,\"quota_duration\":86400} }]}")));
        graph.stubFor(post(urlPathEqualTo("/v26.0/999/media")).willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":{\"message\":\"Only photo or video can be accepted as media type.\",\"type\":\"OAuthException\",\"code\":9004,"
                        + "\"error_subcode\":2207052} }")));
        Map<String, String> other = env();
        other.put("IG_USER_ID", "999");
        try (TestAgent agent = TestAgent.start(env())) {
            approve("IG_full", "instagram_post", "One too many", "https://cdn.example.com/full.jpg");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(vault().resolve("Failed/IG_full.md")));
        }
        try (TestAgent agent = TestAgent.start(other)) {
            approve("IG_pdf", "instagram_post", "Our menu", "https://cdn.example.com/menu.pdf");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(vault().resolve("Failed/IG_pdf.md")));
        }
        assertThat(vault().resolve("Failed/IG_pdf.md")).content().contains("Instagram refused the media container (400)",
                "Only photo or video can be accepted as media type.", "nothing was posted").doesNotContain("uncertain: true", TOKEN);
        graph.verify(0, postRequestedFor(urlPathEqualTo("/v26.0/999/media_publish")));
        assertThat(vault().resolve("Failed/IG_full.md")).content().contains("publishing limit is reached: 50 of 50 posts in 24 h")
                .doesNotContain("uncertain: true");
        graph.verify(0, postRequestedFor(urlPathEqualTo(IG + "/media")));
        graph.verify(0, postRequestedFor(urlPathEqualTo(IG + "/media_publish")));
        assertThat(graph.countRequestsMatching(getRequestedFor(urlPathEqualTo(IG + "/content_publishing_limit")).build()).getCount()).isGreaterThanOrEqualTo(1);
    }
}
