package com.digitalfte.channel.whatsapp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.support.FakeTwilio;
import com.digitalfte.support.FakeTwilioServer;
import com.digitalfte.support.TwilioWebhookClient;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Quiet hours and bursts, on a clock the test moves, through the real SDK to Twilio's Messages API on WireMock. */
class OwnerNotifierTest {


    @RegisterExtension
    static final FakeTwilioServer api = new FakeTwilioServer();
    static final FakeTwilio TWILIO = api.twilio();

    @TempDir
    Path dir;

    /** The time of day the test says it is. */
    static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        void set(Instant to) {
            now = to;
        }

        void pass(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovingClock clock = new MovingClock(Instant.parse("2026-12-01T23:00:00Z"));
    private Vault vault;
    private SessionWindows windows;

    @BeforeEach
    void setUp() throws Exception {
        vault = new Vault(dir.resolve("vault"));
        vault.init("local", false);
        windows = new SessionWindows(dir.resolve("windows.txt"), clock);
        for (String id : new String[] {"EMAIL_q1", "EMAIL_q2", "EMAIL_q3"}) {
            vault.write(vault.folder(Folder.PENDING_APPROVAL), TaskFile.create(id, "email_reply").with("from", "Client " + id)
                    .with("subject", "Order").withSection(TaskFile.DRAFT, "Thanks, " + id + "."));
        }
    }

    private final WhatsAppProblems problems = new WhatsAppProblems();

    private OwnerNotifier notifier() {
        return notifier("");
    }

    private OwnerNotifier notifier(String templateSid) {
        TwilioMessages messages = new TwilioMessages(TwilioWebhookClient.ACCOUNT, "token-for-tests", WhatsAppAgent.FROM, api.baseUrl(), "");
        return new OwnerNotifier(new PendingApprovals(vault), new DraftVersions(dir.resolve("shown.txt")), messages, WhatsAppAgent.OWNER,
                windows, QuietHours.parse("22-7"), templateSid, problems, clock, dir.resolve("queue.txt"), Duration.ofSeconds(5));
    }

    @Test
    void whatArrivesInTheQuietHoursWaitsAlsoThroughARestartAndGoesInOneMessageWhenTheyEnd() {
        windows.inbound(WhatsAppAgent.OWNER);
        OwnerNotifier notifier = notifier();
        notifier.waiting("EMAIL_q1");
        clock.pass(Duration.ofMinutes(30));
        notifier.waiting("EMAIL_q2");
        clock.pass(Duration.ofMinutes(30));
        assertThat(notifier.flush()).isZero();

        // the agent restarts at three in the morning: what waits is still held
        clock.set(Instant.parse("2026-12-02T03:00:00Z"));
        notifier = notifier();
        assertThat(notifier.flush()).isZero();
        assertThat(TWILIO.messages()).isEmpty();

        clock.set(Instant.parse("2026-12-02T07:00:00Z"));
        assertThat(notifier.flush()).isEqualTo(2);
        assertThat(notifier.flush()).isZero();
        assertThat(TWILIO.messagesTo(WhatsAppAgent.OWNER)).singleElement().satisfies(m -> assertThat(m.get("Body"))
                .startsWith("2 waiting for your approval:").contains("EMAIL_q1 from Client EMAIL_q1", "EMAIL_q2 from Client EMAIL_q2")
                .doesNotContain("EMAIL_q3"));
    }

    @Test
    void aBurstIsSentOnceItSettlesAndATaskDecidedMeanwhileIsLeftOut() throws Exception {
        clock.set(Instant.parse("2026-12-02T10:00:00Z"));
        windows.inbound(WhatsAppAgent.OWNER);
        OwnerNotifier notifier = notifier();
        notifier.waiting("EMAIL_q1");
        clock.pass(Duration.ofSeconds(3));
        notifier.waiting("EMAIL_q2");
        clock.pass(Duration.ofSeconds(3));
        assertThat(notifier.flush()).as("a task came 3 s ago: more may follow").isZero();
        notifier.waiting("EMAIL_q3");
        // the owner approved q2 in the vault before the message went
        vault.move(vault.file(Folder.PENDING_APPROVAL, "EMAIL_q2"), vault.folder(Folder.APPROVED));
        clock.pass(Duration.ofSeconds(6));
        assertThat(notifier.flush()).isEqualTo(2);
        assertThat(TWILIO.messagesTo(WhatsAppAgent.OWNER)).singleElement().satisfies(m -> assertThat(m.get("Body"))
                .contains("1. EMAIL_q1", "2. EMAIL_q3").doesNotContain("EMAIL_q2"));
        assertThat(new DraftVersions(dir.resolve("shown.txt")).lastShown("EMAIL_q3")).isPresent();
    }

    @Test
    void aNotificationTwilioRefusesIsAProblemWithItsCodeAndWhatToDo() {
        clock.set(Instant.parse("2026-12-02T10:00:00Z"));
        TWILIO.refuse(WhatsAppAgent.OWNER, 21656);
        // the owner has not written for a day: the template goes, and Twilio refuses its variables
        OwnerNotifier notifier = notifier("HX" + "ab".repeat(16));
        notifier.waiting("EMAIL_q1");
        clock.pass(Duration.ofSeconds(6));
        assertThat(notifier.flush()).isZero();
        assertThat(problems.current()).containsOnlyKeys("whatsapp " + WhatsAppAgent.OWNER);
        assertThat(problems.current().get("whatsapp " + WhatsAppAgent.OWNER)).contains("the notification of 1 task(s) waiting for approval",
                "Twilio error 21656", "check that TWILIO_NOTIFY_TEMPLATE_SID's placeholders are {{1}} and {{2}}");
        api.verify(1, com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/2010-04-01/Accounts/AC[0-9a-f]{32}/Messages.json"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("ContentSid=HX")));
        // what the owner never saw is not what an approval binds to: approve EMAIL_q1 asks to confirm a version
        assertThat(new DraftVersions(dir.resolve("shown.txt")).lastShown("EMAIL_q1")).isEmpty();
        // not tried again and again: the refusal waits on the Dashboard for the owner
        clock.pass(Duration.ofMinutes(2));
        assertThat(notifier.flush()).isZero();
        api.verify(1, com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
    }

    @Test
    void aNotificationTwilioCouldNotTakeIsTriedAgainAndGoesOnceItCan() {
        clock.set(Instant.parse("2026-12-02T10:00:00Z"));
        windows.inbound(WhatsAppAgent.OWNER);
        com.github.tomakehurst.wiremock.stubbing.StubMapping down = api.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(anyUrl())
                .atPriority(1).willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":20503,\"message\":\"Service Unavailable\",\"status\":503}")));
        OwnerNotifier notifier = notifier();
        notifier.waiting("EMAIL_q1");
        clock.pass(Duration.ofSeconds(6));
        try (com.digitalfte.support.LogCapture log = com.digitalfte.support.LogCapture.of(OwnerNotifier.class)) {
            for (int i = 0; i < 3; i++) {
                assertThat(notifier.flush()).isZero();
                clock.pass(Duration.ofSeconds(5));
            }
            assertThat(log.lines()).singleElement().asString().startsWith("WARN").contains("did not go through Twilio (Service Unavailable)");
        }
        assertThat(problems.current()).isEmpty();
        api.removeStub(down);
        clock.pass(Duration.ofSeconds(5));
        assertThat(notifier.flush()).isEqualTo(1);
        assertThat(TWILIO.messagesTo(WhatsAppAgent.OWNER)).singleElement().satisfies(m -> assertThat(m.get("Body")).contains("EMAIL_q1"));
        assertThat(notifier.flush()).isZero();
    }
}
