package com.digitalfte.gmail;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.execute.Ledger;
import com.digitalfte.support.FileForces;
import com.digitalfte.support.LogCapture;
import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskIds;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The real Gmail client (google-api-services-gmail) against WireMock speaking the Gmail REST API. */
class GmailTest {

    @RegisterExtension
    static WireMockExtension google = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    @BeforeEach
    void oauth() {
        google.stubFor(post(urlEqualTo("/token")).willReturn(okJson("{\"access_token\":\"test-access\",\"expires_in\":3600,\"token_type\":\"Bearer\"}")));
    }

    private Map<String, String> env(String type, Path vault) {
        Map<String, String> env = new HashMap<>();
        env.put("AGENT_TYPE", type);
        env.put("VAULT_PATH", vault.toString());
        env.put("MAIL_PROVIDER", "gmail");
        env.put("MAIL_ADDRESS", "owner@gmail.example");
        env.put("GMAIL_CLIENT_ID", "client-1.apps.example");
        env.put("GMAIL_CLIENT_SECRET", "client-secret-for-tests");
        env.put("GMAIL_REFRESH_TOKEN", "refresh-token-for-tests");
        env.put("GMAIL_API_URL", google.baseUrl() + "/");
        env.put("GMAIL_TOKEN_URL", google.baseUrl() + "/token");
        env.put("GMAIL_POLL_DELAY", "1");
        env.put("CHANNELS_DIR", dir.resolve("none").toString());
        return env;
    }

    private static String message(String id, String label, String from, String subject) {
        String body = Base64.getUrlEncoder().withoutPadding().encodeToString(("Hello from " + from + "\n").getBytes(StandardCharsets.UTF_8));
        return """
                {"id":"%s","threadId":"t-%s","labelIds":["%s","UNREAD"],"snippet":"Hello","historyId":"1005",
                 "payload":{"mimeType":"multipart/alternative","headers":[
                   {"name":"From","value":"%s"},{"name":"Subject","value":"%s"},
                   {"name":"Message-ID","value":"<%s@mail.example>"},{"name":"To","value":"owner@gmail.example"}],
                  "parts":[{"mimeType":"text/plain","body":{"size":20,"data":"%s"}},
                           {"mimeType":"text/html","body":{"size":20,"data":"PGI-aGk8L2I-"}}]}}
                """.formatted(id, id, label, from, subject, id, body);
    }

    private static void stubMessages() {
        google.stubFor(get(urlPathEqualTo("/gmail/v1/users/me/messages/m1")).willReturn(okJson(message("m1", "INBOX", "Ann <ann@example.com>", "Quote please"))));
        google.stubFor(get(urlPathEqualTo("/gmail/v1/users/me/messages/m2")).willReturn(okJson(message("m2", "SENT", "owner@gmail.example", "Re: Quote please"))));
        google.stubFor(get(urlPathEqualTo("/gmail/v1/users/me/messages/m3")).willReturn(okJson(message("m3", "DRAFT", "owner@gmail.example", "Re: Quote please"))));
        google.stubFor(get(urlPathEqualTo("/gmail/v1/users/me/messages/m4")).willReturn(okJson(message("m4", "INBOX", "Bob <bob@example.com>", "After the gap"))));
    }

    @Test
    void historySyncMakesOneTaskPerInboxMessageSkipsSentAndDraftsAndSurvivesARestart() throws Exception {
        google.stubFor(get(urlPathEqualTo("/gmail/v1/users/me/profile")).willReturn(okJson("{\"emailAddress\":\"owner@gmail.example\",\"historyId\":\"1000\"}")));
        google.stubFor(get(urlPathEqualTo("/gmail/v1/users/me/history")).willReturn(okJson("""
                {"historyId":"1010","history":[
                  {"id":"1001","messagesAdded":[{"message":{"id":"m1","threadId":"t-m1","labelIds":["INBOX","UNREAD"]}}]},
                  {"id":"1002","messagesAdded":[{"message":{"id":"m2","threadId":"t-m1","labelIds":["SENT"]}}]},
                  {"id":"1003","messagesAdded":[{"message":{"id":"m3","threadId":"t-m1","labelIds":["DRAFT"]}}]}]}
                """)));
        stubMessages();
        Path vault = dir.resolve("vault");
        try (TestAgent cloud = TestAgent.start(env("cloud", vault))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Updates/EMAIL_m1.md")));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(vault.resolve(".state/gmail_history_id")).strip().equals("1010"));
        }
        // the same history once more after a restart (e.g. the cursor was not saved): still one task
        try (TestAgent again = TestAgent.start(env("cloud", vault))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> google.findAll(getRequestedFor(urlPathEqualTo("/gmail/v1/users/me/history"))
                    .withQueryParam("startHistoryId", com.github.tomakehurst.wiremock.client.WireMock.equalTo("1010"))).size() >= 2);
        }
        TaskFile task = TaskFile.parse(Files.readString(vault.resolve("Updates/EMAIL_m1.md")));
        assertThat(task.getOrEmpty("channel")).isEqualTo("gmail");
        assertThat(task.getOrEmpty("thread_id")).isEqualTo("t-m1");
        assertThat(task.getOrEmpty("message_id")).isEqualTo("<m1@mail.example>");
        assertThat(task.section(TaskFile.ORIGINAL)).contains("Hello from Ann <ann@example.com>");
        try (var files = Files.list(vault.resolve("Updates"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".md")).map(p -> p.getFileName().toString())).containsExactly("EMAIL_m1.md");
        }
        assertThat(google.findAll(getRequestedFor(urlPathEqualTo("/gmail/v1/users/me/history")))).first()
                .satisfies(r -> assertThat(r.getUrl()).contains("startHistoryId=1000", "labelId=INBOX", "historyTypes=messageAdded"));
    }

    @Test
    void anExpiredHistoryIdIsAFullResync() throws Exception {
        Path vault = dir.resolve("vault");
        Files.createDirectories(vault.resolve(".state"));
        Files.writeString(vault.resolve(".state/gmail_history_id"), "42\n");
        google.stubFor(get(urlPathEqualTo("/gmail/v1/users/me/history")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":404,\"message\":\"Requested entity was not found.\",\"status\":\"NOT_FOUND\"}}")));
        google.stubFor(get(urlPathEqualTo("/gmail/v1/users/me/messages")).willReturn(okJson("{\"messages\":[{\"id\":\"m4\",\"threadId\":\"t-m4\"}],\"resultSizeEstimate\":1}")));
        google.stubFor(get(urlPathEqualTo("/gmail/v1/users/me/profile")).willReturn(okJson("{\"emailAddress\":\"owner@gmail.example\",\"historyId\":\"2000\"}")));
        stubMessages();
        try (TestAgent cloud = TestAgent.start(env("cloud", vault))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Updates/EMAIL_m4.md")));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(vault.resolve(".state/gmail_history_id")).strip().equals("2000"));
        }
    }

    private GmailInbox inbox(Path cursor) {
        return new GmailInbox(new GmailClientFactory(google.baseUrl() + "/", google.baseUrl() + "/token")
                .makeClient("client-1.apps.example", "client-secret-for-tests", List.of(), "DigitalFTE", "refresh-token-for-tests", null), cursor, "");
    }

    private static void stubResync() {
        google.stubFor(get(urlPathEqualTo("/gmail/v1/users/me/messages")).willReturn(okJson("""
                {"messages":[{"id":"m4","threadId":"t-m4"},{"id":"m1","threadId":"t-m1"}],"resultSizeEstimate":2}
                """)));
        google.stubFor(get(urlPathEqualTo("/gmail/v1/users/me/profile")).willReturn(okJson("{\"emailAddress\":\"owner@gmail.example\",\"historyId\":\"2000\"}")));
        stubMessages();
    }

    static Stream<Arguments> brokenCursors() {
        return Stream.of(Arguments.of(new byte[0], "is empty"), Arguments.of(new byte[] {0, 0, 0, 0, 0}, "holds no history id"),
                Arguments.of(new byte[] {'1', (byte) 0xC3, '(', '\n'}, "cannot be read"));
    }

    @ParameterizedTest
    @MethodSource("brokenCursors")
    void anEmptyTornOrUnreadableCursorIsAFullResyncNeverStartFromNow(byte[] cursorContent, String why) throws Exception {
        stubResync();
        Path cursor = Files.createDirectories(dir.resolve(".state")).resolve("gmail_history_id");
        Files.write(cursor, cursorContent);
        GmailInbox inbox = inbox(cursor);
        try (LogCapture log = LogCapture.of(GmailInbox.class)) {
            assertThat(inbox.poll()).extracting(m -> m.get("key")).containsExactly("m4", "m1");
            assertThat(log.lines()).singleElement().asString().startsWith("WARN Gmail: the saved cursor " + cursor + " " + why)
                    .contains("resyncing the inbox");
        }
        google.verify(0, getRequestedFor(urlPathEqualTo("/gmail/v1/users/me/history")));
        inbox.commit();
        assertThat(cursor).content().isEqualTo("2000\n");
    }

    @Test
    void theCursorIsReplacedInOneRenameAndFsyncedWithItsFolder() throws Exception {
        stubResync();
        Path state = Files.createDirectories(dir.resolve(".state"));
        Path cursor = Files.writeString(state.resolve("gmail_history_id"), "42\n");
        google.stubFor(get(urlPathEqualTo("/gmail/v1/users/me/history")).willReturn(okJson("{\"historyId\":\"1010\"}")));
        GmailInbox inbox = inbox(cursor);
        inbox.poll();
        try (FileForces forces = FileForces.record()) {
            inbox.commit();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(forces.under(state))
                    .satisfiesExactly(temp -> assertThat(temp).matches("gmail_history_id\\.[0-9a-f-]{36}\\.tmp"), folder -> assertThat(folder).isEmpty()));
        }
        assertThat(cursor).content().isEqualTo("1010\n");
        try (var files = Files.list(state)) {
            assertThat(files).containsExactly(cursor);
        }
    }

    @Test
    void anEmptyCursorAfterACrashResyncsTheInboxAndMakesNoTaskTwice() throws Exception {
        stubResync();
        // nothing new since: only a resync finds m4
        google.stubFor(get(urlPathEqualTo("/gmail/v1/users/me/history")).willReturn(okJson("{\"historyId\":\"2000\"}")));
        Path vault = dir.resolve("vault");
        // m1 became a task before the crash that left the cursor empty
        Files.createDirectories(vault.resolve("Done"));
        Files.writeString(vault.resolve("Done/EMAIL_m1.md"), approvedTask("EMAIL_m1"));
        Files.createDirectories(vault.resolve(".state"));
        Files.writeString(vault.resolve(".state/gmail_history_id"), "");
        try (TestAgent cloud = TestAgent.start(env("cloud", vault))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Updates/EMAIL_m4.md")));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(vault.resolve(".state/gmail_history_id")).strip().equals("2000"));
        }
        assertThat(new com.digitalfte.vault.Vault(vault).locate("EMAIL_m1")).containsExactly(vault.resolve("Done/EMAIL_m1.md").toAbsolutePath());
    }

    private static String approvedTask(String id) {
        return TaskFile.create(id, "email_reply").with("channel", "gmail").with("from", "Ann <ann@example.com>")
                .with("subject", "Quote please").with("message_id", "<m1@mail.example>").with("thread_id", "t-m1")
                .withSection(TaskFile.ORIGINAL, "Hello").withSection(TaskFile.DRAFT, "Hi Ann, the quote follows tomorrow.").render();
    }

    @Test
    void anApprovedReplyIsADraftInTheThreadThenSent() throws Exception {
        google.stubFor(post(urlPathEqualTo("/gmail/v1/users/me/drafts")).willReturn(okJson("{\"id\":\"r-77\",\"message\":{\"id\":\"d-1\",\"threadId\":\"t-m1\"}}")));
        google.stubFor(post(urlPathEqualTo("/gmail/v1/users/me/drafts/send")).willReturn(okJson("{\"id\":\"s-1\",\"threadId\":\"t-m1\",\"labelIds\":[\"SENT\"]}")));
        Path vault = dir.resolve("vault");
        try (TestAgent local = TestAgent.start(env("local", vault))) {
            Files.writeString(vault.resolve("Approved/EMAIL_m1.md"), approvedTask("EMAIL_m1"));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Done/EMAIL_m1.md")));
        }
        assertThat(vault.resolve("Done/EMAIL_m1.md")).content().contains("gmail_id: s-1", "message_id: <EMAIL_m1.reply@gmail.example>");
        List<LoggedRequest> creates = google.findAll(postRequestedFor(urlPathEqualTo("/gmail/v1/users/me/drafts")));
        assertThat(creates).hasSize(1);
        JsonNode draft = com.digitalfte.audit.JsonLines.JSON.readTree(creates.get(0).getBodyAsString());
        assertThat(draft.at("/message/threadId").asText()).isEqualTo("t-m1");
        String mime = new String(Base64.getUrlDecoder().decode(draft.at("/message/raw").asText()), StandardCharsets.UTF_8);
        assertThat(mime).contains("In-Reply-To: <m1@mail.example>", "References: <m1@mail.example>", "Subject: Re: Quote please",
                "To: Ann <ann@example.com>", "From: owner@gmail.example", "Hi Ann, the quote follows tomorrow.");
        google.verify(1, postRequestedFor(urlPathEqualTo("/gmail/v1/users/me/drafts/send")).withRequestBody(containing("\"id\":\"r-77\"")));
        assertThat(Files.readString(vault.resolve("Logs/email_sent.jsonl"))).contains("\"gmail_id\":\"s-1\"");
    }

    @Test
    void aCrashBetweenCreateAndSendSendsNoSecondEmail() throws Exception {
        // the process died after drafts.create (the draft id is in the ledger) and after Gmail sent it
        Path vault = dir.resolve("vault");
        Files.createDirectories(vault.resolve(".state"));
        try (Ledger ledger = new Ledger(vault.resolve(".state/ledger.jsonl"))) {
            ledger.intent("EMAIL_m1", "gmail_reply");
            ledger.intent("EMAIL_m1", "gmail_reply", "r-77");
        }
        google.stubFor(post(urlPathEqualTo("/gmail/v1/users/me/drafts/send")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"code\":404,\"message\":\"Requested entity was not found.\"}}")));
        google.stubFor(get(urlPathEqualTo("/gmail/v1/users/me/messages")).willReturn(okJson("{\"messages\":[{\"id\":\"s-1\",\"threadId\":\"t-m1\"}]}")));
        try (TestAgent local = TestAgent.start(env("local", vault))) {
            Files.writeString(vault.resolve("Approved/EMAIL_m1.md"), approvedTask("EMAIL_m1"));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Done/EMAIL_m1.md")));
        }
        google.verify(0, postRequestedFor(urlPathEqualTo("/gmail/v1/users/me/drafts")));
        google.verify(1, postRequestedFor(urlPathEqualTo("/gmail/v1/users/me/drafts/send")));
        assertThat(google.findAll(getRequestedFor(urlPathEqualTo("/gmail/v1/users/me/messages"))).get(0).getUrl())
                .contains("rfc822msgid");
        assertThat(vault.resolve("Done/EMAIL_m1.md")).content().contains("gmail_id: s-1", "sent before a restart");
        assertThat(TaskIds.isValid("EMAIL_m1")).isTrue();
    }

    @Test
    void aDraftThatIsGoneAndNotInSentIsUncertainAndNotSentAgain() throws Exception {
        // the draft recorded before a crash no longer exists (the owner deleted it?) and Sent does not have it
        Path vault = dir.resolve("vault");
        Files.createDirectories(vault.resolve(".state"));
        try (Ledger ledger = new Ledger(vault.resolve(".state/ledger.jsonl"))) {
            ledger.intent("EMAIL_m1", "gmail_reply");
            ledger.intent("EMAIL_m1", "gmail_reply", "r-77");
        }
        google.stubFor(post(urlPathEqualTo("/gmail/v1/users/me/drafts/send")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"code\":404,\"message\":\"Requested entity was not found.\"}}")));
        google.stubFor(get(urlPathEqualTo("/gmail/v1/users/me/messages")).willReturn(okJson("{\"resultSizeEstimate\":0}")));
        try (TestAgent local = TestAgent.start(env("local", vault))) {
            Files.writeString(vault.resolve("Approved/EMAIL_m1.md"), approvedTask("EMAIL_m1"));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Failed/EMAIL_m1.md")));
        }
        google.verify(0, postRequestedFor(urlPathEqualTo("/gmail/v1/users/me/drafts")));
        assertThat(vault.resolve("Failed/EMAIL_m1.md")).content()
                .contains("uncertain: true", "## Error", "r-77 no longer exists", "<EMAIL_m1.reply@gmail.example>");
    }
}
