package com.digitalfte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.TestAgent;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad file at once, in every folder the agent reads: none is lost, each says why in
 * Failed/, the agent stays up, and a good task after them goes through.
 */
class BadInputTest {

    @TempDir
    Path dir;

    private static final Map<String, byte[]> BAD = new LinkedHashMap<>();

    static {
        BAD.put("NOFM", "just a note, no front matter\n".getBytes(StandardCharsets.UTF_8));
        BAD.put("BROKEN", "---\nid: %ID%\ntype: [email_reply\n---\n".getBytes(StandardCharsets.UTF_8));
        BAD.put("UNCLOSED", "---\nid: %ID%\ntype: email_reply\n".getBytes(StandardCharsets.UTF_8));
        BAD.put("NOID", "---\ntype: email_reply\n---\n## Draft\n\nhi\n".getBytes(StandardCharsets.UTF_8));
        BAD.put("PATHID", "---\nid: ../../etc/passwd\ntype: email_reply\n---\n## Draft\n\nhi\n".getBytes(StandardCharsets.UTF_8));
        BAD.put("UNKNOWN", "---\nid: %ID%\ntype: fax_send\nfrom: a@example.com\n---\n## Draft\n\nhi\n".getBytes(StandardCharsets.UTF_8));
        BAD.put("EMPTY", new byte[0]);
        BAD.put("MISNAMED", "---\nid: EMAIL_other\ntype: email_reply\nfrom: a@example.com\n---\n## Draft\n\nhi\n".getBytes(StandardCharsets.UTF_8));
        BAD.put("BINARY", new byte[] {0x2d, 0x2d, 0x2d, 0x0a, (byte) 0xff, (byte) 0xfe, 0x00, 0x01, (byte) 0xc3, 0x28});
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void drop(Path vault, String folder, String name, byte[] content) throws IOException {
        Path tmp = vault.resolve(".state/" + folder + "-" + name + ".tmp");
        Files.createDirectories(tmp.getParent());
        // a file's id is its name, except where the case is about the id itself
        Files.write(tmp, new String(content, StandardCharsets.ISO_8859_1).replace("%ID%", name).getBytes(StandardCharsets.ISO_8859_1));
        Files.move(tmp, vault.resolve(folder).resolve(name + ".md"));
    }

    @Test
    void filesRemovedWhileTheAgentReadsThemLeaveItRunning() throws Exception {
        Path vault = dir.resolve("vault");
        ScheduledExecutorService remover = Executors.newSingleThreadScheduledExecutor();
        Random random = new Random();
        try (TestAgent agent = TestAgent.start(Map.of("VAULT_PATH", vault.toString(), "SMTP_PORT", Integer.toString(freePort()),
                "IMAP_PORT", Integer.toString(freePort()), "CHANNELS_DIR", dir.resolve("none").toString(), "VAULT_POLL_DELAY", "20",
                "MAX_EMAILS_PER_HOUR", "1000"))) {
            List<Path> dropped = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int n = 0; n < 150; n++) {
                int i = n;
                // one file every 20 ms, each removed 0 to 300 ms later (by a sync, or by hand), wherever the agent got to with it
                remover.schedule(() -> {
                    String folder = new String[] {"Needs_Action", "Updates", "Approved"}[i % 3];
                    String id = "EMAIL_gone_" + i;
                    Path tmp = vault.resolve(".state/" + id + ".tmp");
                    Files.writeString(tmp, TaskFile.create(id, "email_reply").with("channel", "embedded").with("from", "gone@example.com")
                            .with("subject", "Gone").withSection(TaskFile.DRAFT, "Never mind.").render());
                    // written a while ago, as a draft moved on from Pending_Approval/ is
                    Files.setLastModifiedTime(tmp, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(60)));
                    Path file = vault.resolve(folder).resolve(id + ".md");
                    Files.move(tmp, file);
                    dropped.add(file);
                    remover.schedule(() -> deleteWhereverItIs(vault, id), random.nextInt(300), TimeUnit.MILLISECONDS);
                    return null;
                }, 20L * i, TimeUnit.MILLISECONDS);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> dropped.size() == 150);
            remover.shutdown();
            assertThat(remover.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

            Files.writeString(vault.resolve(".state/good.tmp"), TaskFile.create("EMAIL_good", "email_reply").with("channel", "embedded")
                    .with("from", "good@example.com").with("subject", "Fine").withSection(TaskFile.DRAFT, "All good.").render());
            Files.move(vault.resolve(".state/good.tmp"), vault.resolve("Approved/EMAIL_good.md"));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Done/EMAIL_good.md")));
            assertThat(agent.agent().camelContext().getStatus().isStarted()).isTrue();
            assertThat(dropped).hasSize(150);
        }
        // what a removal raced past (a file moving on between two folders) is a whole task, in one place
        try (var files = Files.walk(vault)) {
            List<Path> left = files.filter(p -> p.getFileName().toString().startsWith("EMAIL_gone_")).toList();
            assertThat(left.stream().map(p -> p.getFileName().toString()).distinct().count()).isEqualTo(left.size());
            for (Path p : left) {
                assertThat(new Vault(vault).read(p).section(TaskFile.DRAFT).orElse("")).as(p.toString()).isNotBlank();
            }
        }
    }

    private static String tail(Path file) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(512);
            ch.read(buf, ch.size() - 512);
            return new String(buf.array(), StandardCharsets.UTF_8);
        }
    }

    private static void deleteWhereverItIs(Path vault, String id) {
        for (String folder : new String[] {"Needs_Action", "Updates", "Approved", "In_Progress/local", "In_Progress/cloud",
                "Pending_Approval", "Done", "Failed"}) {
            try {
                Files.deleteIfExists(vault.resolve(folder).resolve(id + ".md"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void badFilesEverywhereAreKeptWithTheirReasonAndTheAgentGoesOn() throws Exception {
        Path vault = dir.resolve("vault");
        try (TestAgent agent = TestAgent.start(Map.of("VAULT_PATH", vault.toString(), "SMTP_PORT", Integer.toString(freePort()),
                "IMAP_PORT", Integer.toString(freePort()), "CHANNELS_DIR", dir.resolve("none").toString()))) {
            for (String folder : new String[] {"Needs_Action", "Updates", "Approved"}) {
                for (Map.Entry<String, byte[]> bad : BAD.entrySet()) {
                    drop(vault, folder, folder.substring(0, 2).toUpperCase() + "_" + bad.getKey(), bad.getValue());
                }
            }
            // a 50 MB file in Approved/
            Path big = vault.resolve(".state/big.tmp");
            try (OutputStream out = Files.newOutputStream(big)) {
                out.write("---\nid: AP_HUGE\ntype: email_reply\n---\n## Draft\n\n".getBytes(StandardCharsets.UTF_8));
                byte[] line = "x".repeat(1023).concat("\n").getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < 50 * 1024; i++) {
                    out.write(line);
                }
            }
            Files.move(big, vault.resolve("Approved/AP_HUGE.md"));
            // an approved reply without the draft to send
            drop(vault, "Approved", "AP_NODRAFT", "---\nid: %ID%\ntype: email_reply\nfrom: a@example.com\n---\n## Original\n\nhi\n"
                    .getBytes(StandardCharsets.UTF_8));

            // every bad file but the two of an unknown type outside Approved/ (those are fine tasks until executed)
            int expected = 3 * BAD.size() - 2 + 2;
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                try (var failed = Files.list(vault.resolve("Failed"))) {
                    return failed.count() == expected;
                }
            });

            // a good task after all of them is executed as usual
            Files.writeString(vault.resolve(".state/good.tmp"), TaskFile.create("EMAIL_good", "email_reply").with("channel", "embedded")
                    .with("from", "good@example.com").with("subject", "Fine").withSection(TaskFile.DRAFT, "All good.").render());
            Files.move(vault.resolve(".state/good.tmp"), vault.resolve("Approved/EMAIL_good.md"));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(vault.resolve("Done/EMAIL_good.md")));
            assertThat(agent.agent().camelContext().getStatus().isStarted()).isTrue();
        }
        for (String prefix : new String[] {"NE_", "UP_", "AP_"}) {
            assertThat(vault.resolve("Failed/" + prefix + "NOFM.md")).content().startsWith("just a note").contains("## Error", "no front matter");
            assertThat(vault.resolve("Failed/" + prefix + "BROKEN.md")).content().contains("## Error", "not valid YAML");
            assertThat(vault.resolve("Failed/" + prefix + "UNCLOSED.md")).content().contains("## Error", "not closed");
            assertThat(vault.resolve("Failed/" + prefix + "NOID.md")).content().contains("## Error", "no 'id'");
            assertThat(vault.resolve("Failed/" + prefix + "PATHID.md")).content().contains("## Error", "is not allowed");
            assertThat(vault.resolve("Failed/" + prefix + "EMPTY.md")).content().contains("## Error", "no front matter");
            assertThat(vault.resolve("Failed/" + prefix + "MISNAMED.md")).content().contains("## Error", "does not match its id EMAIL_other");
            assertThat(Files.readAllBytes(vault.resolve("Failed/" + prefix + "BINARY.md"))).startsWith(BAD.get("BINARY"));
            assertThat(new String(Files.readAllBytes(vault.resolve("Failed/" + prefix + "BINARY.md")), StandardCharsets.ISO_8859_1))
                    .contains("## Error", "not UTF-8");
        }
        assertThat(vault.resolve("Failed/AP_UNKNOWN.md")).content().contains("## Error", "no executor for this task type");
        assertThat(vault.resolve("Pending_Approval/NE_UNKNOWN.md")).content().contains("type: fax_send", "## Draft");
        assertThat(vault.resolve("Pending_Approval/UP_UNKNOWN.md")).exists();
        assertThat(Files.size(vault.resolve("Failed/AP_HUGE.md"))).isGreaterThan(50L * 1024 * 1024);
        assertThat(tail(vault.resolve("Failed/AP_HUGE.md"))).contains("## Error", "a task file may hold at most");
        assertThat(vault.resolve("Failed/AP_NODRAFT.md")).content().contains("## Original", "## Error", "no '## Draft' section");
        assertThat(vault.resolve("Etc")).doesNotExist();
        assertThat(dir.resolve("etc")).doesNotExist();
    }
}
