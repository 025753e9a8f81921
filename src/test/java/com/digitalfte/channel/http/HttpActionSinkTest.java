package com.digitalfte.channel.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.execute.Ledger;
import com.digitalfte.support.KameletTestSupport;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The http-action-sink kamelet alone, against a real HTTP server: what each answer of the provider
 * leaves in the vault (Done/, Failed/, uncertain), in the ledger, and how often it was called.
 */
class HttpActionSinkTest extends KameletTestSupport {

    private static final String REPLIES = "/api/tickets/T-1/replies";

    @RegisterExtension
    static WireMockExtension api = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    @Override
    protected String routeFile() {
        return "http-action-sink.camel.yaml";
    }

    @Override
    protected Map<String, String> testProperties() {
        return Map.of("test.api", api.baseUrl(), "test.token", "tok-abcdef123456",
                "test.x.key", "xkey-1234567", "test.x.secret", "xsecret-1234567",
                "test.x.token", "xtoken-1234567", "test.x.tokenSecret", "xtokensecret-1234567");
    }

    private Path claimed(String id, String ticket, String draft) throws Exception {
        TaskFile task = TaskFile.create(id, "ticket_reply").with("channel", "support").with("ticket_id", ticket)
                .withSection(TaskFile.DRAFT, draft);
        return new Vault(vault()).write(folder("In_Progress/local"), task);
    }

    private void execute(String executor, Path task) {
        template.sendBodyAndHeader("direct:" + executor, null, "taskPath", task.toString());
    }

    private Ledger.Entry ledgerOf(String id) {
        return ledger().find(id).orElseThrow();
    }

    @Test
    void aTwoHundredIsDoneWithTheProvidersIdAndTheDraftIsSentAsTextExactly() throws Exception {
        api.stubFor(post(urlEqualTo(REPLIES)).willReturn(aResponse().withStatus(201).withBody("{\"data\":{\"id\":\"R-77\"}}")));
        String draft = "Thanks, it is \"fixed\" now {{env:TEST_API_TOKEN}} }}\n\nAlice";
        execute("exec-ticket-reply-bearer", claimed("TICKET_T-1", "T-1", draft));

        api.verify(1, postRequestedFor(urlEqualTo(REPLIES))
                .withHeader("Authorization", equalTo("Bearer tok-abcdef123456"))
                .withHeader("Content-Type", equalTo("application/json; charset=UTF-8"))
                .withoutHeader("taskPath")
                .withRequestBody(equalToJson("{\"body\": " + jsonString(draft) + ", \"ticket\": \"T-1\", \"external_id\": \"TICKET_T-1\","
                        + " \"via\": \"agent\"}")));
        assertThat(vault().resolve("Done/TICKET_T-1.md")).content().contains("provider_id: R-77", "draft_sha256:");
        assertThat(ledgerOf("TICKET_T-1").done()).isTrue();
        assertThat(ledgerOf("TICKET_T-1").providerId()).isEqualTo("R-77");
        assertThat(vault().resolve("Logs/ticket_replies.jsonl")).content().contains("\"provider_id\":\"R-77\"", "\"task_id\":\"TICKET_T-1\"");
    }

    @Test
    void aFieldInTheUrlIsPercentEncodedSoItCannotAddAPathOrAPlaceholder() throws Exception {
        api.stubFor(post(urlPathEqualTo("/api/tickets/a%2F..%2Fadmin%3Fx%3D%7B%7Benv%3AX%7D%7D/replies"))
                .willReturn(aResponse().withStatus(200).withBody("{\"data\":{\"id\":\"R-1\"}}")));
        execute("exec-ticket-reply-bearer", claimed("TICKET_odd", "a/../admin?x={{env:X}}", "Hello"));
        assertThat(vault().resolve("Done/TICKET_odd.md")).exists();
    }

    @Test
    void aRefusalIsInFailedInTheProvidersWordsAndCalledOnce() throws Exception {
        api.stubFor(post(urlEqualTo(REPLIES)).willReturn(aResponse().withStatus(422)
                .withBody("{\"error\":{\"code\":\"closed\",\"message\":\"Ticket T-1 is closed and takes no replies\"}}")));
        execute("exec-ticket-reply-bearer", claimed("TICKET_T-1", "T-1", "Hello"));

        Path failed = vault().resolve("Failed/TICKET_T-1.md");
        assertThat(failed).content().contains("422", "Ticket T-1 is closed and takes no replies").doesNotContain("uncertain");
        api.verify(1, postRequestedFor(urlEqualTo(REPLIES)));
        assertThat(ledgerOf("TICKET_T-1").state()).isEqualTo("not_sent");
    }

    @Test
    void aTooManyRequestsIsTriedAgainNoSoonerThanTheProviderAsked() throws Exception {
        api.stubFor(post(urlEqualTo(REPLIES)).inScenario("limit").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("open")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("{\"message\":\"slow down\"}")));
        api.stubFor(post(urlEqualTo(REPLIES)).inScenario("limit").whenScenarioStateIs("open")
                .willReturn(aResponse().withStatus(201).withBody("{\"data\":{\"id\":\"R-2\"}}")));
        execute("exec-ticket-reply-bearer", claimed("TICKET_T-1", "T-1", "Hello"));

        assertThat(vault().resolve("Done/TICKET_T-1.md")).content().contains("provider_id: R-2");
        List<ServeEvent> calls = calls();
        assertThat(calls).hasSize(2);
        assertThat(Duration.between(calls.get(0).getRequest().getLoggedDate().toInstant(), calls.get(1).getRequest().getLoggedDate().toInstant()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aProviderThatKeepsRefusingForNowIsTriedAFewTimesThenTheTaskFails() throws Exception {
        api.stubFor(post(urlEqualTo(REPLIES)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")));
        execute("exec-ticket-reply-bearer", claimed("TICKET_T-1", "T-1", "Hello"));

        assertThat(vault().resolve("Failed/TICKET_T-1.md")).content().contains("429", "tried again with backoff and gave up")
                .doesNotContain("uncertain");
        api.verify(4, postRequestedFor(urlEqualTo(REPLIES)));
    }

    @Test
    void aServerErrorMayHaveBeenDoneSoTheTaskIsUncertainAndNotSentAgain() throws Exception {
        api.stubFor(post(urlEqualTo(REPLIES)).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1").withBody("busy")));
        execute("exec-ticket-reply-bearer", claimed("TICKET_T-1", "T-1", "Hello"));

        assertThat(vault().resolve("Failed/TICKET_T-1.md")).content().contains("uncertain: true", "503", "It may have been done");
        // not by the route, and not by the HTTP client behind its back
        api.verify(1, postRequestedFor(urlEqualTo(REPLIES)));
        assertThat(ledgerOf("TICKET_T-1").interrupted()).isTrue();
    }

    @Test
    void noAnswerInTimeAfterTheRequestWentOutIsUncertain() throws Exception {
        api.stubFor(post(urlEqualTo(REPLIES)).willReturn(aResponse().withStatus(201).withFixedDelay(2500).withBody("{\"data\":{\"id\":\"R-3\"}}")));
        execute("exec-ticket-reply-bearer", claimed("TICKET_T-1", "T-1", "Hello"));

        assertThat(vault().resolve("Failed/TICKET_T-1.md")).content().contains("uncertain: true", "did not answer in time");
        api.verify(1, postRequestedFor(urlEqualTo(REPLIES)));
    }

    @Test
    void aProviderThatCannotBeReachedIsTriedAgainAndTheTaskFailsAsCertainlyNotSent() throws Exception {
        execute("exec-ticket-reply-unreachable", claimed("TICKET_T-1", "T-1", "Hello"));

        assertThat(vault().resolve("Failed/TICKET_T-1.md")).content().contains("cannot be reached", "tried again with backoff and gave up")
                .doesNotContain("uncertain");
        assertThat(ledgerOf("TICKET_T-1").state()).isEqualTo("not_sent");
    }

    @Test
    void afterAServerErrorTheLookupFindsTheReplyDoneAndNothingIsSentAgain() throws Exception {
        api.stubFor(post(urlEqualTo(REPLIES)).willReturn(aResponse().withStatus(502)));
        api.stubFor(get(urlEqualTo(REPLIES + "?recent=true")).willReturn(aResponse().withStatus(200)
                .withBody("{\"replies\":[{\"id\":\"R-8\",\"external_id\":\"TICKET_T-0\"},{\"id\":\"R-9\",\"external_id\":\"TICKET_T-1\"}]}")));
        execute("exec-ticket-reply-lookup", claimed("TICKET_T-1", "T-1", "Hello"));

        assertThat(vault().resolve("Done/TICKET_T-1.md")).content().contains("found done by the lookup", "provider_id: R-9");
        api.verify(1, postRequestedFor(urlEqualTo(REPLIES)));
        api.verify(1, getRequestedFor(urlEqualTo(REPLIES + "?recent=true")).withHeader("Authorization", equalTo("Bearer tok-abcdef123456")));
        assertThat(ledgerOf("TICKET_T-1").providerId()).isEqualTo("R-9");
    }

    @Test
    void afterAServerErrorALookupThatFindsNothingMakesTheCallAgain() throws Exception {
        api.stubFor(post(urlEqualTo(REPLIES)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("up")
                .willReturn(aResponse().withStatus(500)));
        api.stubFor(post(urlEqualTo(REPLIES)).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(201).withBody("{\"id\":\"R-10\"}")));
        api.stubFor(get(urlEqualTo(REPLIES + "?recent=true")).willReturn(aResponse().withStatus(200).withBody("{\"replies\":[]}")));
        execute("exec-ticket-reply-lookup", claimed("TICKET_T-1", "T-1", "Hello"));

        assertThat(vault().resolve("Done/TICKET_T-1.md")).content().contains("provider_id: R-10");
        api.verify(2, postRequestedFor(urlEqualTo(REPLIES)));
    }

    @Test
    void anOAuthSignedPostIsAcceptedByAStubThatChecksTheSignature() throws Exception {
        api.stubFor(post(urlPathEqualTo("/2/tweets")).andMatching(HttpActionSinkTest::signedWithTheTestCredentials)
                .withHeader("X-Client", equalTo("digitalfte-test"))
                .willReturn(aResponse().withStatus(201).withBody("{\"data\":{\"id\":\"1445880548472328192\",\"text\":\"Hi\"}}")));
        api.stubFor(post(urlPathEqualTo("/2/tweets")).atPriority(10).willReturn(aResponse().withStatus(401)
                .withBody("{\"title\":\"Unauthorized\",\"detail\":\"bad signature\"}")));
        TaskFile task = TaskFile.create("X_1445", "x_reply").with("channel", "x").with("post_id", "1445")
                .withSection(TaskFile.DRAFT, "Thanks & welcome, 100% agreed!");
        execute("exec-x-post-oauth", new Vault(vault()).write(folder("In_Progress/local"), task));

        assertThat(vault().resolve("Done/X_1445.md")).content().contains("provider_id: 1445880548472328192");
        api.verify(1, postRequestedFor(urlPathEqualTo("/2/tweets"))
                .withRequestBody(equalToJson("{\"text\":\"Thanks & welcome, 100% agreed!\",\"reply\":{\"in_reply_to_tweet_id\":\"1445\"}}")));
    }

    private static List<ServeEvent> calls() {
        List<ServeEvent> events = new ArrayList<>(api.getAllServeEvents());
        events.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
        return events;
    }

    private static String jsonString(String s) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
    }

    private static final Pattern OAUTH_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    /** RFC 5849 checked independently of the signer under test: the server's view of the request, the test's own encoding. */
    private static MatchResult signedWithTheTestCredentials(Request request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.startsWith("OAuth ")) {
            return MatchResult.noMatch();
        }
        Map<String, String> oauth = new TreeMap<>();
        Matcher m = OAUTH_PARAM.matcher(header);
        while (m.find()) {
            oauth.put(m.group(1), URLDecoder.decode(m.group(2), StandardCharsets.UTF_8));
        }
        String signature = oauth.remove("oauth_signature");
        if (!"xkey-1234567".equals(oauth.get("oauth_consumer_key")) || !"xtoken-1234567".equals(oauth.get("oauth_token")) || signature == null) {
            return MatchResult.noMatch();
        }
        Map<String, String> all = new TreeMap<>(oauth);
        URI uri = URI.create(request.getAbsoluteUrl());
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                all.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
        }
        String params = all.entrySet().stream().map(e -> rfc3986(e.getKey()) + "=" + rfc3986(e.getValue())).collect(Collectors.joining("&"));
        String base = "POST&" + rfc3986(uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort() + uri.getRawPath()) + "&" + rfc3986(params);
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec("xsecret-1234567&xtokensecret-1234567".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return MatchResult.of(Base64.getEncoder().encodeToString(mac.doFinal(base.getBytes(StandardCharsets.UTF_8))).equals(signature));
        } catch (Exception e) {
            return MatchResult.noMatch();
        }
    }

    private static String rfc3986(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }
}
