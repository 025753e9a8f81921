package com.digitalfte.channel.whatsapp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchException;

import com.digitalfte.execute.Action;
import com.digitalfte.support.TwilioWebhookClient;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskFormatException;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each of Twilio's answers means for an approved reply, through the real SDK (DESIGN.md §7):
 * a 4xx is refused in Twilio's words with what to do, a 429 or no connection is certainly not sent,
 * a 5xx or a connection broken after the request went out may have been sent; and what is never tried.
 */
class WhatsAppReplyActionTest {

    @RegisterExtension
    static WireMockExtension api = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    @TempDir
    Path dir;

    private TwilioMessages messages(String baseUrl) {
        return new TwilioMessages(TwilioWebhookClient.ACCOUNT, "token-for-tests", WhatsAppAgent.FROM, baseUrl, "");
    }

    private WhatsAppReplyAction action(String baseUrl) {
        return new WhatsAppReplyAction(messages(baseUrl), new SessionWindows(dir.resolve("windows.txt"), Clock.systemUTC()));
    }

    private static TaskFile task(String from, Instant created, String draft) {
        return TaskFile.create("WHATSAPP_SM0d1", "whatsapp_reply").with("channel", "whatsapp").with("whatsapp_from", from)
                .with("created", created.toString()).withSection(TaskFile.DRAFT, draft);
    }

    private static int posts() {
        return api.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlPathMatching(".*/Messages.json"))).size();
    }

    /** What the action's call does with the request it made (the executor's Execution is its own package's), classified. */
    private Action.Failure send(String baseUrl) throws Exception {
        action(baseUrl).request(task(WhatsAppAgent.STRANGER, Instant.now(), "Thanks!"));
        Exception error = catchException(() -> messages(baseUrl).text(WhatsAppAgent.STRANGER, "Thanks!"));
        assertThat(error).isNotNull();
        return action(baseUrl).classify(error);
    }

    @Test
    void twiliosAnswersAreRefusedRetriedOrMaybeSent() throws Exception {
        String twilio = api.baseUrl();
        api.stubFor(post(urlPathMatching("/2010-04-01/Accounts/AC[0-9a-f]{32}/Messages.json")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"code\":21211,\"message\":\"The 'To' number whatsapp:+447700900123"
                        + " is not a valid phone number.\",\"more_info\":\"https://www.twilio.com/docs/errors/21211\",\"status\":400}")));
        Action.Failure refused = send(twilio);
        assertThat(refused.kind()).isEqualTo(Action.Failure.Kind.REFUSED);
        assertThat(refused.message()).contains("Twilio refused the reply: Twilio error 21211 (The 'To' number", "international form");

        api.stubFor(post(urlPathMatching(".*/Messages.json")).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json").withBody("{\"code\":20429,\"message\":\"Too Many Requests\",\"status\":429}")));
        assertThat(send(twilio).kind()).isEqualTo(Action.Failure.Kind.NOT_DONE_RETRY);
        assertThat(posts()).as("retried by the executor, with backoff, not at once by the HTTP client").isEqualTo(2);

        api.stubFor(post(urlPathMatching(".*/Messages.json")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody("{\"code\":20503,\"message\":\"Service Unavailable\",\"status\":503}")));
        assertThat(send(twilio).kind()).isEqualTo(Action.Failure.Kind.MAYBE_DONE);
        // Twilio may have taken it: neither the SDK nor its HTTP client sends it again
        assertThat(posts()).isEqualTo(3);

        api.stubFor(post(urlPathMatching(".*/Messages.json")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        Action.Failure broken = send(twilio);
        assertThat(broken.kind()).as(broken.message()).isEqualTo(Action.Failure.Kind.MAYBE_DONE);
        assertThat(broken.message()).doesNotContain("token-for-tests");
        assertThat(posts()).isEqualTo(4);

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Action.Failure unreachable = send("http://127.0.0.1:" + closed);
        assertThat(unreachable.kind()).as(unreachable.message()).isEqualTo(Action.Failure.Kind.NOT_DONE_RETRY);
    }

    @Test
    void aReplyOutsideTheSendersWindowOrWithoutAnAddressOrTooLongIsNeverTried() {
        WhatsAppReplyAction action = action(api.baseUrl());
        assertThatThrownBy(() -> action.request(task(WhatsAppAgent.STRANGER, Instant.now().minusSeconds(25 * 3600), "Thanks!")))
                .isInstanceOf(TaskFormatException.class).hasMessageContaining("more than 24 hours", "63016", "Nothing was sent");
        assertThatThrownBy(() -> action.request(task("alice@example.com", Instant.now(), "Thanks!")))
                .isInstanceOf(TaskFormatException.class).hasMessageContaining("is not a WhatsApp address");
        assertThatThrownBy(() -> action.request(task(WhatsAppAgent.STRANGER, Instant.now(), "x".repeat(1601))))
                .isInstanceOf(TaskFormatException.class).hasMessageContaining("1601 characters", "at most 1600");
        assertThat(api.getAllServeEvents()).isEmpty();
    }
}
