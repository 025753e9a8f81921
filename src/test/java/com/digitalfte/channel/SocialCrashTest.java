package com.digitalfte.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.AgentEnv;
import com.digitalfte.support.AgentProcess;
import com.digitalfte.support.KillOnCall;
import com.digitalfte.support.LocalWireMock;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local agent in its own JVM, killed (SIGKILL) after X, then LinkedIn, took a post and before
 * the agent heard back: after each restart the post is not made again. X's lookup of the owner's
 * latest posts does not show it (a timeline may lag), LinkedIn has no lookup: each is in Failed/
 * marked uncertain, for the owner to check.
 */
class SocialCrashTest {

    static final KillOnCall KILL = new KillOnCall();

    @RegisterExtension
    static WireMockExtension api = LocalWireMock.server(KILL);

    @TempDir
    Path dir;

    private Path vault() {
        return dir.resolve("vault");
    }

    private Map<String, String> env() {
        return AgentEnv.of("local", vault(), dir).heartbeatEvery(3600)
                .x(api.baseUrl(), "xapikey-crash1", "xapisecret-crash2", "42-xaccess-crash3", "xaccesssecret-crash4")
                .linkedIn(api.baseUrl(), "AQVlinkedin-crash5", "urn:li:person:8675309").build();
    }

    private AgentProcess start() throws IOException {
        return AgentProcess.start(env(), dir.resolve("work"), dir.resolve("agent.log"));
    }

    private String log() throws IOException {
        return Files.exists(dir.resolve("agent.log")) ? Files.readString(dir.resolve("agent.log")) : "";
    }

    private void approve(String id, String type, String channel, String draft) throws IOException {
        new Vault(vault()).write(Files.createDirectories(vault().resolve("Approved")),
                TaskFile.create(id, type).with("channel", channel).with("post_id", "1001").withSection(TaskFile.DRAFT, draft));
    }

    private long copies(String id) throws IOException {
        try (Stream<Path> files = Files.walk(vault())) {
            return files.filter(p -> p.getFileName().toString().equals(id + ".md")).count();
        }
    }

    /** Kills this agent when the provider takes the next post, approves the task, and waits for the kill. */
    private void killedMidPost(AgentProcess agent, String id, String type, String channel, String draft) throws Exception {
        KILL.onNextCall(() -> {
            try {
                agent.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        approve(id, type, channel, draft);
        await().atMost(Duration.ofSeconds(60)).until(() -> !agent.alive());
        assertThat(vault().resolve("In_Progress/local/" + id + ".md")).as(log()).exists();
    }

    /** After the restart: filed in Failed/, uncertain, one copy in the vault. */
    private void filedUncertain(AgentProcess agent, String id) throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(vault().resolve("Failed/" + id + ".md"))
                || Files.exists(vault().resolve("Done/" + id + ".md")) || !agent.alive());
        assertThat(copies(id)).isEqualTo(1);
        assertThat(vault().resolve("Failed/" + id + ".md")).as(log()).content().contains("uncertain: true");
    }

    @Test
    void aPostTheProviderTookBeforeTheKillIsNeverPostedAgain() throws Exception {
        api.stubFor(post(urlPathEqualTo("/2/tweets")).willReturn(aResponse().withStatus(201).withTransformers(KillOnCall.NAME)
                .withBody("{\"data\":{\"id\":\"1900000000000000001\",\"text\":\"Thanks, on its way\"} }")));
        api.stubFor(get(urlPathEqualTo("/2/users/42/tweets")).willReturn(aResponse().withStatus(200)
                .withBody("{\"data\":[{\"id\":\"1899\",\"text\":\"an older post\"}],\"meta\":{\"result_count\":1} }")));
        api.stubFor(post(urlPathEqualTo("/rest/posts")).willReturn(aResponse().withStatus(201).withTransformers(KillOnCall.NAME)
                .withHeader("x-restli-id", "urn:li:share:7000000000000000001")));

        try (AgentProcess first = start()) {
            killedMidPost(first, "X_1001", "x_reply", "x", "Thanks, on its way");
        }
        try (AgentProcess second = start()) {
            filedUncertain(second, "X_1001");
            killedMidPost(second, "LINKEDIN_2026-12-01_1", "linkedin_post", "linkedin", "We are hiring a baker");
        }
        try (AgentProcess third = start()) {
            filedUncertain(third, "LINKEDIN_2026-12-01_1");
        }
        api.verify(1, postRequestedFor(urlPathEqualTo("/2/tweets")));
        api.verify(getRequestedFor(urlPathEqualTo("/2/users/42/tweets")));
        api.verify(1, postRequestedFor(urlPathEqualTo("/rest/posts")));
        assertThat(log()).doesNotContain("xapisecret-crash2", "xaccesssecret-crash4", "AQVlinkedin-crash5");
    }
}
