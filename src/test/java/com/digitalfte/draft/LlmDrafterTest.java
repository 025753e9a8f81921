package com.digitalfte.draft;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskFile;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The real langchain4j OpenAI client against WireMock speaking the chat completions API. */
class LlmDrafterTest {

    @RegisterExtension
    static WireMockExtension openai = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private static String completion(String text) {
        return """
                {"id":"chatcmpl-1","object":"chat.completion","created":1767225600,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":%s},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":120,"completion_tokens":30,"total_tokens":150}}
                """.formatted(com.digitalfte.audit.JsonLines.JSON.valueToTree(text).toString());
    }

    private Map<String, String> env(Path vault) {
        return Map.of("AGENT_TYPE", "cloud", "VAULT_PATH", vault.toString(), "MAIL_PROVIDER", "imap",
                "DRAFTER", "openai", "OPENAI_API_KEY", "test-key-not-real-12345", "OPENAI_BASE_URL", openai.baseUrl() + "/v1",
                "OPENAI_MODEL", "gpt-4o-mini", "OPENAI_TIMEOUT", "2", "OPENAI_MAX_ATTEMPTS", "2",
                "CHANNELS_DIR", dir.resolve("none").toString());
    }

    private static void seed(Path vault) throws Exception {
        Files.createDirectories(vault.resolve("Done"));
        Files.createDirectories(vault.resolve("Needs_Action"));
        Files.writeString(vault.resolve("Company_Handbook.md"), "# Handbook\n\n## Tone\n\nAlways sign as Sam from Acme Plumbing.\n");
        Files.writeString(vault.resolve("Done/EMAIL_old.md"), TaskFile.create("EMAIL_old", "email_reply")
                .with("from", "Alice <alice@example.com>").with("subject", "Boiler")
                .withSection(TaskFile.ORIGINAL, "Is the boiler fixed?")
                .withSection(TaskFile.DRAFT, "Hi Alice, all sorted, cheers! Sam").render());
    }

    private static void newTask(Path vault, String id) throws Exception {
        Path tmp = vault.resolve(id + ".tmp");
        Files.writeString(tmp, TaskFile.create(id, "email_reply").with("channel", "imap").with("from", "Alice <alice@example.com>")
                .with("subject", "Leak").withSection(TaskFile.ORIGINAL, "The kitchen tap leaks, can you come?").render());
        Files.move(tmp, vault.resolve("Needs_Action/" + id + ".md"));
    }

    @Test
    void theRequestCarriesHandbookExamplesAndMessageAndTheDraftIsWritten() throws Exception {
        openai.stubFor(post(urlEqualTo("/v1/chat/completions"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody(completion("Hi Alice, sorry about the tap. The owner will confirm a time.\n## Draft\nSam"))));
        Path vault = dir.resolve("vault");
        seed(vault);
        try (TestAgent agent = TestAgent.start(env(vault))) {
            newTask(vault, "EMAIL_leak");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Updates/EMAIL_leak.md")));
        }
        TaskFile drafted = TaskFile.parse(Files.readString(vault.resolve("Updates/EMAIL_leak.md")));
        assertThat(drafted.getOrEmpty("drafted_by")).isEqualTo("openai:gpt-4o-mini");
        assertThat(drafted.section(TaskFile.DRAFT)).contains("Hi Alice, sorry about the tap. The owner will confirm a time.\n**Draft**\nSam");
        openai.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer test-key-not-real-12345"))
                .withRequestBody(containing("Always sign as Sam from Acme Plumbing"))
                .withRequestBody(containing("Hi Alice, all sorted, cheers! Sam"))
                .withRequestBody(containing("The kitchen tap leaks, can you come?"))
                .withRequestBody(containing("Never invent"))
                .withRequestBody(containing("gpt-4o-mini")));
    }

    @Test
    void aServerErrorIsRetriedAndThenTheTemplateDraftsLosingNothing() throws Exception {
        openai.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(500).withBody("{\"error\":\"boom\"}")));
        Path vault = dir.resolve("vault");
        seed(vault);
        try (TestAgent agent = TestAgent.start(env(vault))) {
            newTask(vault, "EMAIL_err");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(vault.resolve("Updates/EMAIL_err.md")));
        }
        TaskFile drafted = TaskFile.parse(Files.readString(vault.resolve("Updates/EMAIL_err.md")));
        assertThat(drafted.getOrEmpty("drafted_by")).startsWith("template (fallback: openai:gpt-4o-mini failed");
        assertThat(drafted.section(TaskFile.DRAFT)).hasValueSatisfying(d -> assertThat(d).contains("Alice"));
        openai.verify(2, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }

    @Test
    void aTimeoutThenAnAnswerGivesTheModelsDraft() throws Exception {
        openai.stubFor(post(urlEqualTo("/v1/chat/completions")).inScenario("slow").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFixedDelay(4000).withHeader("Content-Type", "application/json").withBody(completion("late")))
                .willSetStateTo("fast"));
        openai.stubFor(post(urlEqualTo("/v1/chat/completions")).inScenario("slow").whenScenarioStateIs("fast")
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(completion("Hello Alice, on our way."))));
        Path vault = dir.resolve("vault");
        seed(vault);
        try (TestAgent agent = TestAgent.start(env(vault))) {
            newTask(vault, "EMAIL_slow");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(vault.resolve("Updates/EMAIL_slow.md")));
        }
        TaskFile drafted = TaskFile.parse(Files.readString(vault.resolve("Updates/EMAIL_slow.md")));
        assertThat(drafted.getOrEmpty("drafted_by")).isEqualTo("openai:gpt-4o-mini");
        assertThat(drafted.section(TaskFile.DRAFT)).contains("Hello Alice, on our way.");
    }
}
