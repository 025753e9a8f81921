package com.digitalfte.channel.x;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
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
import com.digitalfte.support.OAuthCheck;
import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in X channel (watch-x-mentions, exec-x-reply) in a real agent against X API v2 on
 * WireMock: mentions paged from a since_id kept across a restart, authors joined from
 * expansions, a 429 waited out to its x-rate-limit-reset, reads on the Dashboard; a reply
 * threaded under its mention with an OAuth 1.0a signature the stub checks; refusals and lost
 * answers as the owner needs to see them.
 */
class XChannelTest {

    private static final String MENTIONS = "/2/users/42/mentions";
    private static final String KEY = "xapikey-a1b2c3d4";
    private static final String SECRET = "xapisecret-e5f6g7h8";
    private static final String TOKEN = "42-xaccesstoken-i9j0";
    private static final String TOKEN_SECRET = "xaccesssecret-k1l2m3";
    private static final String BEARER = "AAAAxbearer-n4o5p6";

    @RegisterExtension
    static WireMockExtension x = LocalWireMock.server();

    @TempDir
    Path dir;

    private Path vault() {
        return dir.resolve("vault");
    }

    private Map<String, String> env() {
        return AgentEnv.of("all", vault(), dir).heartbeatEvery(1).dashboardEvery(1).x(x.baseUrl(), KEY, SECRET, TOKEN, TOKEN_SECRET)
                .with("X_BEARER_TOKEN", BEARER).with("X_POLL_DELAY", "1").with("X_MAX_READS_PER_MONTH", "500")
                .with("EXECUTE_RETRY_DELAY_MS", "100").build();
    }

    private static String mention(String id, String authorId, String text) {
        return "{\"id\":\"" + id + "\",\"author_id\":\"" + authorId + "\",\"conversation_id\":\"" + id + "\","
                + "\"created_at\":\"2026-12-01T10:00:00.000Z\",\"text\":\"" + text + "\",\"edit_history_tweet_ids\":[\"" + id + "\"]}";
    }

    private static String page(String next, String users, String... mentions) {
        return "{\"data\":[" + String.join(",", mentions) + "],\"includes\":{\"users\":[" + users + "]},"
                + "\"meta\":{\"result_count\":" + mentions.length + (next == null ? "" : ",\"next_token\":\"" + next + "\"") + "} }";
    }

    private static final String USERS = "{\"id\":\"7\",\"name\":\"Ada L\",\"username\":\"ada\"},{\"id\":\"8\",\"name\":\"Bob\",\"username\":\"bob\"}";

    private List<Path> copiesOf(String id) throws Exception {
        try (Stream<Path> files = Files.walk(vault())) {
            return files.filter(p -> p.getFileName().toString().equals(id + ".md")).toList();
        }
    }

    @Test
    void mentionsArePagedFromTheSavedSinceIdAcrossARestartA429IsWaitedOutAndApprovedRepliesAreSignedThreadedAndPostedOnce() throws Exception {
        // the first poll: no since_id, the latest page only
        x.stubFor(get(urlPathEqualTo(MENTIONS)).withQueryParam("since_id", absent())
                .willReturn(aResponse().withStatus(200).withHeader("x-rate-limit-remaining", "9")
                        .withBody(page("older-1", USERS, mention("1002", "7", "@shop do you ship to Spain?"), mention("1001", "8", "@shop hi")))));
        x.stubFor(get(urlPathEqualTo(MENTIONS)).withQueryParam("since_id", equalTo("1002"))
                .willReturn(aResponse().withStatus(200).withBody("{\"meta\":{\"result_count\":0} }")));
        Path pending = vault().resolve("Pending_Approval");
        try (TestAgent agent = TestAgent.start(env())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pending.resolve("X_1002.md")) && Files.exists(pending.resolve("X_1001.md")));
            await().atMost(Duration.ofSeconds(10)).until(() -> x.countRequestsMatching(getRequestedFor(urlPathEqualTo(MENTIONS))
                    .withQueryParam("since_id", equalTo("1002")).build()).getCount() >= 1);

            // then two new mentions over two pages, after X says the window is spent until two seconds from now
            long reset = Instant.now().getEpochSecond() + 2;
            x.stubFor(get(urlPathEqualTo(MENTIONS)).withQueryParam("since_id", equalTo("1002")).withQueryParam("pagination_token", absent())
                    .inScenario("limit").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("open")
                    .willReturn(aResponse().withStatus(429).withHeader("x-rate-limit-remaining", "0").withHeader("x-rate-limit-reset", Long.toString(reset))
                            .withBody("{\"title\":\"Too Many Requests\",\"detail\":\"Too Many Requests\",\"type\":\"about:blank\",\"status\":429}")));
            x.stubFor(get(urlPathEqualTo(MENTIONS)).withQueryParam("since_id", equalTo("1002")).withQueryParam("pagination_token", absent())
                    .inScenario("limit").whenScenarioStateIs("open")
                    .willReturn(aResponse().withStatus(200).withBody(page("p2", USERS, mention("1004", "7", "@shop thanks!")))));
            x.stubFor(get(urlPathEqualTo(MENTIONS)).withQueryParam("since_id", equalTo("1002")).withQueryParam("pagination_token", equalTo("p2"))
                    .willReturn(aResponse().withStatus(200).withBody(page(null, USERS, mention("1003", "8", "@shop is it open today?")))));
            x.stubFor(get(urlPathEqualTo(MENTIONS)).withQueryParam("since_id", equalTo("1004"))
                    .willReturn(aResponse().withStatus(200).withBody("{\"meta\":{\"result_count\":0} }")));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pending.resolve("X_1003.md")) && Files.exists(pending.resolve("X_1004.md")));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(vault().resolve(".state/cursors/x-mentions"))
                    && Files.readString(vault().resolve(".state/cursors/x-mentions")).equals("1004"));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(vault().resolve("Dashboard.md")).contains("x-mentions"));
            assertThat(Files.readString(vault().resolve("Dashboard.md"))).containsPattern("\\| x-mentions \\| all \\| \\d+ of 500 reads in \\d{4}-\\d\\d \\(posts \\d+, users \\d+\\) \\|");
        }
        List<ServeEvent> polls = x.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().startsWith(MENTIONS))
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate())).toList();
        ServeEvent limited = polls.stream().filter(e -> e.getResponse().getStatus() == 429).findFirst().orElseThrow();
        ServeEvent after = polls.get(polls.indexOf(limited) + 1);
        assertThat(after.getRequest().getLoggedDate().toInstant()).as("not asked again before x-rate-limit-reset")
                .isAfterOrEqualTo(Instant.ofEpochSecond(Long.parseLong(limited.getResponse().getHeaders().getHeader("x-rate-limit-reset").firstValue())));
        assertThat(polls.stream().filter(e -> e.getResponse().getStatus() == 429)).hasSize(1);
        x.verify(getRequestedFor(urlPathEqualTo(MENTIONS)).withQueryParam("expansions", equalTo("author_id"))
                .withQueryParam("max_results", equalTo("20")).withHeader("Authorization", equalTo("Bearer " + BEARER)));

        TaskFile task = new Vault(vault()).read(pending.resolve("X_1002.md"));
        assertThat(task.type()).isEqualTo("x_reply");
        assertThat(task.getOrEmpty("channel")).isEqualTo("x");
        assertThat(task.getOrEmpty("from")).isEqualTo("ada");
        assertThat(task.getOrEmpty("author_name")).isEqualTo("Ada L");
        assertThat(task.getOrEmpty("post_id")).isEqualTo("1002");
        assertThat(task.section(TaskFile.ORIGINAL).orElseThrow()).contains("do you ship to Spain?");
        assertThat(XText.length(task.section(TaskFile.DRAFT).orElseThrow())).isLessThanOrEqualTo(XText.MAX);

        // a new process asks from the saved since_id; a mention seen again is not a second task
        x.stubFor(get(urlPathEqualTo(MENTIONS)).withQueryParam("since_id", equalTo("1004"))
                .willReturn(aResponse().withStatus(200).withBody(page(null, USERS, mention("1005", "7", "@shop one more"), mention("1004", "7", "@shop thanks!")))));
        x.stubFor(get(urlPathEqualTo(MENTIONS)).withQueryParam("since_id", equalTo("1005"))
                .willReturn(aResponse().withStatus(200).withBody("{\"meta\":{\"result_count\":0} }")));
        // and the owner approves: the mention's reply as edited, and three written by hand, and a new post
        x.stubFor(post(urlPathEqualTo("/2/tweets")).atPriority(1).andMatching(OAuthCheck.signedBy(KEY, SECRET, TOKEN, TOKEN_SECRET))
                .withRequestBody(equalToJson("{\"text\":\"New: sourdough on Saturdays https://shop.example.com/sourdough\"}"))
                .willReturn(aResponse().withStatus(201).withBody("{\"data\":{\"id\":\"1445880548472328200\",\"text\":\"New: sourdough\"} }")));
        x.stubFor(post(urlPathEqualTo("/2/tweets")).atPriority(10).willReturn(aResponse().withStatus(401)
                .withBody("{\"title\":\"Unauthorized\",\"type\":\"about:blank\",\"status\":401,\"detail\":\"Unauthorized\"}")));
        x.stubFor(post(urlPathEqualTo("/2/tweets")).atPriority(1).andMatching(OAuthCheck.signedBy(KEY, SECRET, TOKEN, TOKEN_SECRET))
                .withRequestBody(matchingJsonPath("$.reply.in_reply_to_tweet_id", equalTo("1001")))
                .willReturn(aResponse().withStatus(201).withBody("{\"data\":{\"id\":\"1445880548472328192\",\"edit_history_tweet_ids\":[\"1445880548472328192\"],"
                        + "\"text\":\"Yes, we ship to Spain!\"} }")));
        x.stubFor(post(urlPathEqualTo("/2/tweets")).atPriority(1).andMatching(OAuthCheck.signedBy(KEY, SECRET, TOKEN, TOKEN_SECRET))
                .withRequestBody(matchingJsonPath("$.reply.in_reply_to_tweet_id", equalTo("2003")))
                .willReturn(aResponse().withStatus(503).withBody("{\"title\":\"Service Unavailable\",\"status\":503}")));
        x.stubFor(get(urlPathEqualTo("/2/users/42/tweets")).andMatching(OAuthCheck.signedBy(KEY, SECRET, TOKEN, TOKEN_SECRET))
                .willReturn(aResponse().withStatus(200).withBody("{\"data\":[{\"id\":\"1445\",\"text\":\"Something else entirely\"}],\"meta\":{\"result_count\":1} }")));

        try (LogCapture log = LogCapture.everything(); TestAgent agent = TestAgent.start(env())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pending.resolve("X_1005.md")));
            Vault v = new Vault(vault());
            v.write(Files.createDirectories(vault().resolve("Approved")), v.read(pending.resolve("X_1001.md")).withSection(TaskFile.DRAFT, "Yes, we ship to Spain!"));
            Files.delete(pending.resolve("X_1001.md"));
            approve("X_2002", "2002", "Hello from an app whose keys were revoked");
            approve("X_2003", "2003", "We open at nine");
            approve("X_2006", "2006", "z".repeat(281));
            new Vault(vault()).write(vault().resolve("Approved"), TaskFile.create("XPOST_2026-12-01_1", "x_post").with("channel", "x")
                    .withSection(TaskFile.DRAFT, "New: sourdough on Saturdays https://shop.example.com/sourdough"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(vault().resolve("Done/X_1001.md"))
                    && Files.exists(vault().resolve("Failed/X_2002.md")) && Files.exists(vault().resolve("Failed/X_2003.md"))
                    && Files.exists(vault().resolve("Pending_Approval/X_2006.md")) && Files.exists(vault().resolve("Done/XPOST_2026-12-01_1.md")));
            // a refusal, a lost answer, the lookup and the start-up summary are logged; no key or token is
            assertThat(String.join("\n", log.lines())).contains("X_2002", "X_2003").doesNotContain(KEY, SECRET, TOKEN, TOKEN_SECRET, BEARER);
        }
        x.verify(1, getRequestedFor(urlPathEqualTo(MENTIONS)).withQueryParam("since_id", absent()));
        for (String id : List.of("X_1001", "X_1002", "X_1003", "X_1004", "X_1005")) {
            assertThat(copiesOf(id)).as(id).hasSize(1);
        }

        // a new post: no reply field, the same signature
        assertThat(vault().resolve("Done/XPOST_2026-12-01_1.md")).content().contains("provider_id: 1445880548472328200");
        // the reply: threaded under the mention, signed (the stub checks the OAuth 1.0a signature), once
        x.verify(1, postRequestedFor(urlPathEqualTo("/2/tweets"))
                .withRequestBody(equalToJson("{\"text\":\"Yes, we ship to Spain!\",\"reply\":{\"in_reply_to_tweet_id\":\"1001\"}}")));
        assertThat(vault().resolve("Done/X_1001.md")).content().contains("provider_id: 1445880548472328192");
        assertThat(vault().resolve("Logs/x_posts.jsonl")).content().contains("\"provider_id\":\"1445880548472328192\"");

        // X said no (here: to anything but the two replies it knows): in Failed/ in X's words, with what to check
        assertThat(vault().resolve("Failed/X_2002.md")).content().contains("401", "Unauthorized", "X did not take the keys", "X_ACCESS_TOKEN_SECRET")
                .doesNotContain("403: X refused")
                .doesNotContain("uncertain: true");
        x.verify(1, postRequestedFor(urlPathEqualTo("/2/tweets")).withRequestBody(matchingJsonPath("$.reply.in_reply_to_tweet_id", equalTo("2002"))));
        assertThat(Files.readString(vault().resolve("Failed/X_2002.md"))).doesNotContain(KEY, SECRET, TOKEN, TOKEN_SECRET);

        // lost answer: looked up among the owner's posts by its text; not there, so uncertain, and not posted again
        assertThat(vault().resolve("Failed/X_2003.md")).content().contains("uncertain: true");
        x.verify(1, postRequestedFor(urlPathEqualTo("/2/tweets")).withRequestBody(matchingJsonPath("$.reply.in_reply_to_tweet_id", equalTo("2003"))));
        // too long for X: back to the owner before anything is asked of X
        assertThat(vault().resolve("Pending_Approval/X_2006.md")).content().contains("281 characters", "X takes at most 280");
        x.verify(0, postRequestedFor(urlPathEqualTo("/2/tweets")).withRequestBody(matchingJsonPath("$.reply.in_reply_to_tweet_id", equalTo("2006"))));
    }

    private void approve(String id, String postId, String draft) throws Exception {
        TaskFile task = TaskFile.create(id, "x_reply").with("channel", "x").with("post_id", postId).with("from", "ada")
                .withSection(TaskFile.ORIGINAL, "@shop hello").withSection(TaskFile.DRAFT, draft);
        new Vault(vault()).write(Files.createDirectories(vault().resolve("Approved")), task);
    }
}
