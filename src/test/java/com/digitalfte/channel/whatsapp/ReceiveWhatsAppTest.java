package com.digitalfte.channel.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.FakeTwilio;
import com.digitalfte.support.FakeTwilioServer;
import com.digitalfte.support.LogCapture;
import com.digitalfte.support.TestAgent;
import com.digitalfte.support.TwilioWebhookClient;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WhatsApp webhook of a real local agent (Camel Main, its YAML routes, the HTTP server on its
 * port), over real HTTP, with Twilio's Messages API on WireMock behind the real SDK: forged and
 * replayed requests, also across a restart; the owner's commands and a stranger's.
 */
class ReceiveWhatsAppTest {


    @RegisterExtension
    static final FakeTwilioServer api = new FakeTwilioServer();
    static final FakeTwilio TWILIO = api.twilio();

    @TempDir
    Path dir;

    private final WhatsAppAgent agent = new WhatsAppAgent();
    private final TwilioWebhookClient twilio = agent.twilio();

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

    /** What happened to one request of the battery. */
    private record Sent(String kind, String sid, HttpResponse<String> answer, long micros) {

        Sent(String kind, String sid, HttpResponse<String> answer) {
            this(kind, sid, answer, -1);
        }
    }

    private static Callable<Sent> call(String kind, String sid, Callable<HttpResponse<String>> request) {
        return () -> {
            long started = System.nanoTime();
            HttpResponse<String> answer = request.call();
            return new Sent(kind, sid, answer, (System.nanoTime() - started) / 1000);
        };
    }

    /** Median, 99th percentile and slowest answer, in ms, of these requests. */
    private static String latencies(List<Sent> sent) {
        long[] us = sent.stream().mapToLong(Sent::micros).filter(m -> m >= 0).sorted().toArray();
        return "p50 %.1f ms, p99 %.1f ms, max %.1f ms".formatted(us[us.length / 2] / 1000.0, us[(int) (us.length * 0.99)] / 1000.0,
                us[us.length - 1] / 1000.0);
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
                await().atMost(Duration.ofSeconds(20)).until(() -> files("Needs_Action").size() >= rounds);
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
        System.out.println("WhatsApp webhook battery: " + sent.size() + " requests " + byKind + " in " + millis + " ms, two agents, 4 at a time;"
                + " answered (genuine, with the task made after): " + latencies(sent.stream().filter(s -> s.kind().equals("valid")).toList())
                + "; refused: " + latencies(sent.stream().filter(s -> s.answer().statusCode() == 403).toList()));
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

    /** The owner writes on WhatsApp; the answer Twilio was asked to send back. */
    private String ownerSays(String text) throws Exception {
        int before = answersToOwner().size();
        Map<String, String> form = TwilioWebhookClient.message(TwilioWebhookClient.newSid(), WhatsAppAgent.OWNER, WhatsAppAgent.FROM, text);
        assertThat(twilio.post(form).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> answersToOwner().size() > before);
        return answersToOwner().get(answersToOwner().size() - 1);
    }

    private static String version(Path task) throws Exception {
        String draft = TaskFile.parse(Files.readString(task)).section(TaskFile.DRAFT).orElseThrow();
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(draft.getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 8);
    }

    private List<Map<String, Object>> audit() throws IOException {
        Path day = vault().resolve("Logs/" + java.time.LocalDate.now(java.time.ZoneOffset.UTC) + ".json");
        List<Map<String, Object>> lines = new ArrayList<>();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : Files.exists(day) ? Files.readAllLines(day) : List.<String>of()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> entry = json.readValue(line, Map.class);
            lines.add(entry);
        }
        return lines;
    }

    private static void olderBy(Path file, int seconds) throws IOException {
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(seconds)));
    }

    @Test
    void aStrangersApproveIsALogLineAndTheOwnersApproveAndRejectMoveTheRightFile() throws Exception {
        cloudAlive();
        String other = "whatsapp:+447700900456";
        Path dana = pending("WHATSAPP_SM0a1", "whatsapp_reply", "Dana <" + WhatsAppAgent.STRANGER + ">", "Yes, we ship to Canada.");
        Path eve = pending("WHATSAPP_SM0a2", "whatsapp_reply", "Eve <" + other + ">", "Our shop opens at nine.");
        Path alice = pending("EMAIL_order17", "email_reply", "Alice <alice@example.com>", "It ships Monday.");
        olderBy(dana, 300);
        olderBy(eve, 200);
        olderBy(alice, 100);
        String danaVersion = version(dana);
        try (TestAgent local = start(); LogCapture webhookLog = LogCapture.of(WhatsAppWebhook.class)) {
            // a stranger who knows the commands and the ids: a log line, nothing else
            for (String command : List.of("approve WHATSAPP_SM0a1", "reject EMAIL_order17 spam", "approve 1")) {
                String sid = TwilioWebhookClient.newSid();
                assertThat(twilio.post(TwilioWebhookClient.message(sid, other, WhatsAppAgent.FROM, command)).body()).isEqualTo("<Response/>");
                await().atMost(Duration.ofSeconds(5)).until(() -> webhookLog.lines().stream().anyMatch(l -> l.contains(sid)));
                // signed by Twilio, so its MessageSid is remembered (a replay is dropped); no other trace
                assertThat(tracesOf(Set.of(sid))).as(command).containsExactly(".state/webhooks/whatsapp.txt: " + sid);
            }
            assertThat(webhookLog.lines()).filteredOn(l -> l.contains("only OWNER_WHATSAPP's are obeyed: nothing was done")).hasSize(3)
                    .allMatch(l -> l.startsWith("WARN") && l.contains(other));
            assertThat(files("Pending_Approval")).containsExactly("EMAIL_order17.md", "WHATSAPP_SM0a1.md", "WHATSAPP_SM0a2.md");
            assertThat(TWILIO.messages()).isEmpty();

            String list = ownerSays("list");
            assertThat(list).contains("3 waiting for your approval",
                    "1. WHATSAPP_SM0a1 from Dana <" + WhatsAppAgent.STRANGER + ">: whatsapp reply \"Order 17\" (v" + danaVersion + ")",
                    "2. WHATSAPP_SM0a2 from Eve <" + other + ">", "3. EMAIL_order17 from Alice <alice@example.com>: email reply");
            // an id by its first letters, any case, with the owner's reason
            assertThat(ownerSays("reject email_ not now, call her")).isEqualTo("Rejected EMAIL_order17: nothing will be sent.");
            assertThat(ownerSays("approve 1")).startsWith("Approved WHATSAPP_SM0a1 (v" + danaVersion + ")");
            await().atMost(Duration.ofSeconds(20)).until(() -> files("Done").contains("WHATSAPP_SM0a1.md"));
            assertThat(TWILIO.messagesTo(WhatsAppAgent.STRANGER)).singleElement().satisfies(m -> {
                assertThat(m.get("Body")).isEqualTo("Yes, we ship to Canada.");
                assertThat(m.get("From")).isEqualTo(WhatsAppAgent.FROM);
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> audit().stream().anyMatch(a -> "task_rejected".equals(a.get("action_type"))));
            assertThat(ownerSays("status")).isEqualTo(
                    "Queues: new 0, drafts arriving 0, waiting for you 1, approved 0, done 1, failed 0, rejected 1, in progress 0.");
            assertThat(ownerSays("Help")).contains("approve <id>: send it", "reject <id> [reason]");
            assertThat(ownerSays("approve")).startsWith("That is not a command I know.");
        }
        assertThat(files("Pending_Approval")).containsExactly("WHATSAPP_SM0a2.md");
        assertThat(files("Rejected")).containsExactly("EMAIL_order17.md");
        assertThat(vault().resolve("Rejected/EMAIL_order17.md")).content().contains("rejected_by: " + WhatsAppAgent.OWNER,
                "rejection_reason: \"not now, call her\"");
        assertThat(vault().resolve("Done/WHATSAPP_SM0a1.md")).content().contains("approved_by: " + WhatsAppAgent.OWNER, "twilio_sid: SM");
        assertThat(TWILIO.messagesTo(other)).isEmpty();
        List<Map<String, Object>> audit = audit();
        assertThat(audit).filteredOn(a -> "task_approved".equals(a.get("action_type"))).singleElement().satisfies(a -> {
            assertThat(a.get("target")).isEqualTo("WHATSAPP_SM0a1");
            assertThat(a.get("approved_by")).isEqualTo(WhatsAppAgent.OWNER);
            assertThat(a.get("parameters")).asString().contains("channel=whatsapp");
        });
        assertThat(audit).filteredOn(a -> "whatsapp_reply".equals(a.get("action_type"))).singleElement()
                .satisfies(a -> assertThat(a.get("approved_by")).isEqualTo(WhatsAppAgent.OWNER));
        assertThat(audit).filteredOn(a -> "task_rejected".equals(a.get("action_type"))).singleElement().satisfies(a -> {
            assertThat(a.get("target")).isEqualTo("EMAIL_order17");
            assertThat(a.get("approved_by")).isEqualTo(WhatsAppAgent.OWNER);
        });
    }

    @Test
    void anApprovalOfADraftThatChangedSinceTheOwnerSawItAsksToConfirmTheNewVersion() throws Exception {
        cloudAlive();
        Path task = pending("WHATSAPP_SM0b1", "whatsapp_reply", "Dana <" + WhatsAppAgent.STRANGER + ">", "It arrives on Tuesday.");
        String seen = version(task);
        String now;
        try (TestAgent local = start()) {
            assertThat(ownerSays("show wHaTsApp_sm0b")).contains("It arrives on Tuesday.", "(v" + seen + ")",
                    "Reply approve WHATSAPP_SM0b1 to send this version");
            // the cloud redrafts it (or the owner edits it on the laptop) after the owner read it
            TaskFile redrafted = TaskFile.parse(Files.readString(task)).withSection(TaskFile.DRAFT, "It arrives on Wednesday, sorry.");
            Files.writeString(task, redrafted.render());
            now = version(task);
            assertThat(now).isNotEqualTo(seen);

            String answer = ownerSays("approve WHATSAPP_SM0b1");
            assertThat(answer).contains("changed since you saw it (v" + seen + ")", "it is now v" + now, "approve WHATSAPP_SM0b1 " + now);
            assertThat(files("Pending_Approval")).containsExactly("WHATSAPP_SM0b1.md");
            // an old version named explicitly is not taken either
            assertThat(ownerSays("approve WHATSAPP_SM0b1 " + seen)).contains("it is now v" + now);
            assertThat(files("Pending_Approval")).containsExactly("WHATSAPP_SM0b1.md");
            assertThat(TWILIO.messagesTo(WhatsAppAgent.STRANGER)).isEmpty();

            assertThat(ownerSays("approve WHATSAPP_SM0b1 " + now)).startsWith("Approved WHATSAPP_SM0b1 (v" + now + ")");
            await().atMost(Duration.ofSeconds(20)).until(() -> files("Done").contains("WHATSAPP_SM0b1.md"));
        }
        assertThat(TWILIO.messagesTo(WhatsAppAgent.STRANGER)).singleElement()
                .satisfies(m -> assertThat(m.get("Body")).isEqualTo("It arrives on Wednesday, sorry."));
        assertThat(vault().resolve("Done/WHATSAPP_SM0b1.md")).content().contains("approved_version: " + now);
    }

    @Test
    void aStrangersMessageIsAnsweredWithEmptyTwimlDraftedToldToTheOwnerAndTheApprovedReplyGoesOnce() throws Exception {
        String sid = TwilioWebhookClient.newSid();
        String id = "WHATSAPP_" + sid;
        Path waiting = vault().resolve("Pending_Approval/" + id + ".md");
        Map<String, String> form = TwilioWebhookClient.message(sid, WhatsAppAgent.STRANGER, WhatsAppAgent.FROM, "Do you ship to Canada?");
        form.put("NumMedia", "1");
        form.put("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/" + TwilioWebhookClient.ACCOUNT + "/Messages/" + sid + "/Media/ME1");
        form.put("MediaContentType0", "image/jpeg");
        try (TestAgent local = start()) {
            HttpResponse<String> answer = twilio.post(form);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("<Response/>");
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/xml"));
            // WEBHOOK_BIND unset: the server is on loopback only, not on this machine's other addresses
            for (java.net.InetAddress address : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                    .flatMap(n -> java.util.Collections.list(n.getInetAddresses()).stream())
                    .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress()).toList()) {
                try (java.net.Socket socket = new java.net.Socket()) {
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> socket.connect(new java.net.InetSocketAddress(address, agent.port), 2000))
                            .as(address.toString()).isInstanceOf(java.net.ConnectException.class);
                }
            }

            // no cloud agent: the local one drafts it, with the template drafter, and tells the owner
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(waiting) && !answersToOwner().isEmpty());
            TaskFile task = TaskFile.parse(Files.readString(waiting));
            assertThat(task.type()).isEqualTo("whatsapp_reply");
            assertThat(task.getOrEmpty("channel")).isEqualTo("whatsapp");
            assertThat(task.getOrEmpty("from")).isEqualTo("Dana <" + WhatsAppAgent.STRANGER + ">");
            assertThat(task.getOrEmpty("whatsapp_from")).isEqualTo(WhatsAppAgent.STRANGER);
            assertThat(task.getOrEmpty("media")).isEqualTo(form.get("MediaUrl0") + " (image/jpeg)");
            assertThat(task.section(TaskFile.ORIGINAL)).hasValueSatisfying(t -> assertThat(t).startsWith("Do you ship to Canada?")
                    .contains("[attachment 1: image/jpeg, not downloaded: " + form.get("MediaUrl0") + "]"));
            String draft = task.section(TaskFile.DRAFT).orElseThrow().strip();
            assertThat(answersToOwner()).singleElement().asString().isEqualTo("Waiting for your approval: " + id + " from Dana <"
                    + WhatsAppAgent.STRANGER + ">: whatsapp reply \"Do you ship to Canada?\" (v" + version(waiting) + ").\n"
                    + "Reply approve 1 to send it, show 1 to read it first, or reject 1 [reason].");
            assertThat(TWILIO.messagesTo(WhatsAppAgent.STRANGER)).isEmpty();

            assertThat(ownerSays("approve 1")).startsWith("Approved " + id);
            await().atMost(Duration.ofSeconds(20)).until(() -> files("Done").contains(id + ".md"));
            assertThat(TWILIO.messagesTo(WhatsAppAgent.STRANGER)).singleElement().satisfies(m -> assertThat(m.get("Body")).isEqualTo(draft));
        }
        assertThat(vault().resolve("Done/" + id + ".md")).content().contains("twilio_sid: SM", "to: " + WhatsAppAgent.STRANGER);
        assertThat(vault().resolve("Logs/whatsapp_sent.jsonl")).content().contains(id);
        assertThat(TWILIO.messages()).hasSize(3);
    }
}
