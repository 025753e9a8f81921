package com.digitalfte.gmail;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.support.CrashHarness;
import com.digitalfte.support.FakeGmailDrafts;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local agent in its own JVM sends CrashHarness.TASKS approved replies (80; 240 in the benchmark profile) as Gmail drafts and is killed with
 * SIGKILL CrashHarness.KILLS times (8; 24 in the benchmark profile), half of them after Gmail sent a draft and before the agent heard back.
 * Every reply is sent exactly once, every task ends in Done/, the ledger has one done per task.
 */
class GmailCrashTest {

    static final FakeGmailDrafts GMAIL = new FakeGmailDrafts();

    @RegisterExtension
    static WireMockExtension google = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(GMAIL)).build();

    @TempDir
    Path dir;

    @Test
    void everyApprovedReplyIsSentExactlyOnceWhateverMomentTheAgentIsKilledAt() throws Exception {
        google.stubFor(any(anyUrl()).willReturn(ok()));
        try (CrashHarness harness = new CrashHarness(dir)) {
            GMAIL.afterSend(harness::providerActed);
            harness.approve("gmail");
            try {
                harness.run(Map.of("MAIL_PROVIDER", "gmail", "MAIL_ADDRESS", "owner@gmail.example",
                        "GMAIL_CLIENT_ID", "client-1.apps.example", "GMAIL_CLIENT_SECRET", "client-secret-for-tests",
                        "GMAIL_REFRESH_TOKEN", "refresh-token-for-tests",
                        "GMAIL_API_URL", google.baseUrl() + "/", "GMAIL_TOKEN_URL", google.baseUrl() + "/token"));
            } catch (Throwable t) {
                throw new AssertionError(t.getMessage() + "\n--- agent log ---\n" + harness.logTail(), t);
            }

            assertThat(harness.kills()).isGreaterThanOrEqualTo(CrashHarness.KILLS);
            assertThat(harness.killsAtProvider()).isGreaterThanOrEqualTo(CrashHarness.KILLS / 2);
            for (int i = 0; i < CrashHarness.TASKS; i++) {
                String messageId = "<" + CrashHarness.taskId(i) + ".reply@gmail.example>";
                assertThat(GMAIL.sendsOf(messageId)).as(messageId).isEqualTo(1);
            }
            assertThat(harness.done()).isEqualTo(CrashHarness.TASKS);
            for (String folder : List.of("Approved", "In_Progress/local", "Failed", "Pending_Approval")) {
                assertThat(harness.count(folder)).as(folder).isZero();
            }
            Map<String, List<String>> ledger = harness.ledger();
            assertThat(ledger).hasSize(CrashHarness.TASKS);
            ledger.forEach((id, states) -> assertThat(states).as(id).containsOnlyOnce("done").last().isEqualTo("done"));
        }
    }
}
