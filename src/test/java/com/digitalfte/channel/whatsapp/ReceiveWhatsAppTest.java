package com.digitalfte.channel.whatsapp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.FakeTwilio;
import com.digitalfte.support.LogCapture;
import com.digitalfte.support.TestAgent;
import com.digitalfte.support.TwilioWebhookClient;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WhatsApp webhook of a real local agent (Camel Main, its YAML routes, the HTTP server on its
 * port), over real HTTP, with Twilio's Messages API on WireMock behind the real SDK: forged and
 * replayed requests, also across a restart; the owner's commands and a stranger's.
 */
class ReceiveWhatsAppTest {

    static final FakeTwilio TWILIO = new FakeTwilio();

    @RegisterExtension
    static WireMockExtension api = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(TWILIO)).build();

    @TempDir
    Path dir;

    private final WhatsAppAgent agent = new WhatsAppAgent();
    private final TwilioWebhookClient twilio = agent.twilio();

    @BeforeEach
    void twilio() {
        TWILIO.reset();
        api.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers("fake-twilio")));
    }

    private Path vault() {
        return dir.resolve("vault");
    }

    private TestAgent start() throws Exception {
        return TestAgent.start(agent.env(vault(), dir, api.baseUrl()));
    }

    /** A cloud agent that is alive: the local one leaves the drafting to it, and new tasks stay in Needs_Action/. */
    private void cloudAlive() throws IOException {
        Files.createDirectories(vault().resolve("Updates/agents"));
        Files.writeString(vault().resolve("Updates/agents/cloud.json"),
                "{\"agent\":\"cloud\",\"type\":\"cloud\",\"last_seen\":\"" + Instant.now() + "\"}\n");
    }

    private Path pending(String id, String type, String from, String draft) throws IOException {
        Vault v = new Vault(vault());
        v.init("local", false);
        TaskFile task = TaskFile.create(id, type).with("channel", type.equals("whatsapp_reply") ? "whatsapp" : "imap").with("from", from)
                .with("subject", "Order 17").with("created", Instant.now().toString()).withSection(TaskFile.ORIGINAL, "Where is my order?")
                .withSection(TaskFile.DRAFT, draft);
        if (type.equals("whatsapp_reply")) {
            task.with("whatsapp_from", STRANGER_OF(from));
        }
        return v.write(v.folder(com.digitalfte.vault.Folder.PENDING_APPROVAL), task);
    }

    private static String STRANGER_OF(String from) {
        return from.replaceAll(".*<(.*)>", "$1");
    }

    private List<String> files(String folder) throws IOException {
        Path f = vault().resolve(folder);
        if (!Files.isDirectory(f)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(f)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".md")).sorted().toList();
        }
    }

    private List<String> answersToOwner() {
        return TWILIO.messagesTo(WhatsAppAgent.OWNER).stream().map(m -> m.getOrDefault("Body", "")).toList();
    }

    @Test
    void aSignedMessageIsAnsweredWithEmptyTwimlAndBecomesATask() throws Exception {
        cloudAlive();
        try (TestAgent local = start()) {
            String sid = TwilioWebhookClient.newSid();
            Map<String, String> form = TwilioWebhookClient.message(sid, WhatsAppAgent.STRANGER, WhatsAppAgent.FROM, "Do you ship to Canada?");
            form.put("NumMedia", "1");
            form.put("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/" + TwilioWebhookClient.ACCOUNT + "/Messages/" + sid + "/Media/ME1");
            form.put("MediaContentType0", "image/jpeg");
            HttpResponse<String> answer = twilio.post(form);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("<Response/>");
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/xml"));
            await().atMost(Duration.ofSeconds(10)).until(() -> files("Needs_Action").contains("WHATSAPP_" + sid + ".md"));
            TaskFile task = TaskFile.parse(Files.readString(vault().resolve("Needs_Action/WHATSAPP_" + sid + ".md")));
            assertThat(task.type()).isEqualTo("whatsapp_reply");
            assertThat(task.getOrEmpty("channel")).isEqualTo("whatsapp");
            assertThat(task.getOrEmpty("from")).isEqualTo("Dana <" + WhatsAppAgent.STRANGER + ">");
            assertThat(task.getOrEmpty("whatsapp_from")).isEqualTo(WhatsAppAgent.STRANGER);
            assertThat(task.getOrEmpty("media")).isEqualTo(form.get("MediaUrl0") + " (image/jpeg)");
            assertThat(task.section(TaskFile.ORIGINAL)).hasValueSatisfying(t -> assertThat(t).startsWith("Do you ship to Canada?")
                    .contains("[attachment 1: image/jpeg, not downloaded: " + form.get("MediaUrl0") + "]"));
        }
        assertThat(TWILIO.messages()).isEmpty();
    }

    /** What happened to one request of the battery. */
    private record Sent(String kind, String sid, HttpResponse<String> answer) {
    }

    private static Callable<Sent> call(String kind, String sid, Callable<HttpResponse<String>> request) {
        return () -> new Sent(kind, sid, request.call());
    }

    private static List<Sent> all(ExecutorService pool, List<Callable<Sent>> requests) throws Exception {
        List<Sent> sent = new ArrayList<>();
        for (Future<Sent> f : pool.invokeAll(requests)) {
            sent.add(f.get());
        }
        return sent;
    }

    /** Forgeries of every kind, each with a MessageSid of its own: the owner's approval, a stranger's message, tampered. */
    private List<Callable<Sent>> forgeries(int rounds, List<String> forgedSids) {
        TwilioWebhookClient wrongToken = new TwilioWebhookClient(agent.localUrl(), WhatsAppAgent.PUBLIC_URL, "not-" + WhatsAppAgent.TOKEN);
        // signed for the URL the local server sees, not the public one Twilio calls
        TwilioWebhookClient wrongUrl = new TwilioWebhookClient(agent.localUrl(), agent.localUrl(), WhatsAppAgent.TOKEN);
        List<Callable<Sent>> requests = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            String missing = TwilioWebhookClient.newSid();
            String token = TwilioWebhookClient.newSid();
            String tampered = TwilioWebhookClient.newSid();
            String url = TwilioWebhookClient.newSid();
            forgedSids.addAll(List.of(missing, token, tampered, url));
            Map<String, String> approve = TwilioWebhookClient.message(missing, WhatsAppAgent.OWNER, WhatsAppAgent.FROM, "approve " + GUARDED);
            requests.add(call("missing signature", missing, () -> twilio.post(approve, null)));
            Map<String, String> reject = TwilioWebhookClient.message(token, WhatsAppAgent.OWNER, WhatsAppAgent.FROM, "reject " + GUARDED);
            requests.add(call("wrong token", token, () -> wrongToken.post(reject)));
            Map<String, String> stranger = TwilioWebhookClient.message(tampered, WhatsAppAgent.STRANGER, WhatsAppAgent.FROM, "Hello, any news?");
            String signature = twilio.sign(stranger);
            Map<String, String> changed = new HashMap<>(stranger);
            switch (i % 4) {
                case 0 -> changed.put("From", WhatsAppAgent.OWNER);
                case 1 -> changed.put("Body", "approve " + GUARDED);
                case 2 -> changed.put("MediaUrl0", "https://evil.example/x.jpg");
                default -> changed.put("MessageSid", TwilioWebhookClient.newSid());
            }
            forgedSids.add(changed.get("MessageSid"));
            requests.add(call("tampered", tampered, () -> twilio.post(changed, signature)));
            Map<String, String> elsewhere = TwilioWebhookClient.message(url, WhatsAppAgent.OWNER, WhatsAppAgent.FROM, "approve " + GUARDED);
            requests.add(call("wrong URL", url, () -> wrongUrl.post(elsewhere)));
        }
        return requests;
    }

    static final String GUARDED = "EMAIL_guarded01";

    /** Every file under the vault (its .state/ included) whose name or text holds one of these sids. */
    private List<String> tracesOf(Set<String> sids) throws IOException {
        List<String> traces = new ArrayList<>();
        try (Stream<Path> files = Files.walk(vault())) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/.git/")).toList()) {
                String text = f.getFileName() + "\n" + Files.readString(f);
                sids.stream().filter(text::contains).findFirst().ifPresent(sid -> traces.add(vault().relativize(f) + ": " + sid));
            }
        }
        return traces;
    }

    @Test
    void everyForgedRequestIs403WithNoTraceAndEveryReplayIsWithoutEffectAlsoAfterARestart() throws Exception {
        cloudAlive();
        Path guarded = pending(GUARDED, "email_reply", "Alice <alice@example.com>", "Your order ships Monday.");
        String guardedBefore = Files.readString(guarded);
        int rounds = 120;
        List<String> forgedSids = new ArrayList<>();
        List<Map<String, String>> genuine = new ArrayList<>();
        Map<String, String> ownerList = TwilioWebhookClient.message(TwilioWebhookClient.newSid(), WhatsAppAgent.OWNER, WhatsAppAgent.FROM, "list");
        List<Sent> sent = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        long started = System.nanoTime();
        List<String> refusals;
        List<String> logged;
        try (LogCapture webhookLog = LogCapture.of(WhatsAppWebhook.class); LogCapture everything = LogCapture.everything()) {
            try (TestAgent local = start()) {
                sent.add(new Sent("valid", ownerList.get("MessageSid"), twilio.post(ownerList)));
                await().atMost(Duration.ofSeconds(10)).until(() -> answersToOwner().size() == 1);
                List<Callable<Sent>> first = new ArrayList<>(forgeries(rounds, forgedSids));
                for (int i = 0; i < rounds; i++) {
                    Map<String, String> form = TwilioWebhookClient.message(TwilioWebhookClient.newSid(), WhatsAppAgent.STRANGER, WhatsAppAgent.FROM,
                            "Question number " + i);
                    genuine.add(form);
                    first.add(call("valid", form.get("MessageSid"), () -> twilio.post(form)));
                }
                java.util.Collections.shuffle(first, new java.util.Random(16));
                sent.addAll(all(pool, first));
                // each genuine request twice more, at once: one task each all the same; the owner's list ten times
                List<Callable<Sent>> replays = new ArrayList<>();
                for (Map<String, String> form : genuine) {
                    replays.add(call("replayed", form.get("MessageSid"), () -> twilio.post(form)));
                    replays.add(call("replayed", form.get("MessageSid"), () -> twilio.post(form)));
                }
                for (int i = 0; i < 10; i++) {
                    replays.add(call("replayed", ownerList.get("MessageSid"), () -> twilio.post(ownerList)));
                }
                sent.addAll(all(pool, replays));
                await().atMost(Duration.ofSeconds(20)).until(() -> files("Needs_Action").size() == rounds);
            }
            // a new agent on the same vault: every genuine request replayed once more, and more forgeries
            try (TestAgent again = start()) {
                List<Callable<Sent>> afterRestart = new ArrayList<>(forgeries(30, forgedSids));
                for (Map<String, String> form : genuine) {
                    afterRestart.add(call("replayed after a restart", form.get("MessageSid"), () -> twilio.post(form)));
                }
                for (int i = 0; i < 10; i++) {
                    afterRestart.add(call("replayed after a restart", ownerList.get("MessageSid"), () -> twilio.post(ownerList)));
                }
                sent.addAll(all(pool, afterRestart));
                // a forged MessageSid is not used up: Twilio's own request with it, signed, still counts
                String burned = forgedSids.get(0);
                Map<String, String> late = TwilioWebhookClient.message(burned, WhatsAppAgent.STRANGER, WhatsAppAgent.FROM, "Sent for real");
                sent.add(new Sent("valid", burned, twilio.post(late)));
                await().atMost(Duration.ofSeconds(10)).until(() -> files("Needs_Action").contains("WHATSAPP_" + burned + ".md"));
                forgedSids.remove(0);
            }
            refusals = webhookLog.lines().stream().filter(l -> l.contains("was refused (403)")).toList();
            logged = everything.lines();
        } finally {
            pool.shutdownNow();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(sent.size()).isGreaterThanOrEqualTo(1000);
        Map<String, Long> byKind = new java.util.TreeMap<>();
        sent.forEach(s -> byKind.merge(s.kind(), 1L, Long::sum));
        System.out.println("WhatsApp webhook battery: " + sent.size() + " requests " + byKind + " in " + millis + " ms, two agents");
        for (Sent s : sent) {
            boolean forged = !s.kind().equals("valid") && !s.kind().startsWith("replayed");
            assertThat(s.answer().statusCode()).as(s.kind() + " " + s.sid()).isEqualTo(forged ? 403 : 200);
            assertThat(s.answer().body()).as(s.kind() + " " + s.sid()).isEqualTo(forged ? "" : "<Response/>");
        }
        // no file, no action: not a task, not a line in .state/, the owner's task untouched, nothing sent
        assertThat(tracesOf(new java.util.HashSet<>(forgedSids))).isEmpty();
        assertThat(guarded).hasContent(guardedBefore);
        assertThat(files("Approved")).isEmpty();
        assertThat(files("Rejected")).isEmpty();
        // every replay without effect: one task per genuine message, one answer to the owner's one list
        List<String> expected = new ArrayList<>(genuine.stream().map(f -> "WHATSAPP_" + f.get("MessageSid") + ".md").toList());
        expected.add("WHATSAPP_" + sent.get(sent.size() - 1).sid() + ".md");
        assertThat(files("Needs_Action")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(answersToOwner()).singleElement().asString().contains(GUARDED);
        assertThat(TWILIO.messages()).hasSize(1);
        // one log line for each forgery, none with the token in it
        long forgeries = sent.stream().filter(s -> s.answer().statusCode() == 403).count();
        assertThat(refusals).hasSize((int) forgeries);
        assertThat(logged).noneMatch(l -> l.contains(WhatsAppAgent.TOKEN));
    }
}
