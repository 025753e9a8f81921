package com.digitalfte.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tools through the real entry point, as {@code java -jar digitalfte.jar <command>} runs them in
 * their own JVM: the exit codes a script sees, each done in seconds, and no agent started meanwhile
 * (no heartbeat, no Dashboard, no observe port).
 */
class MainCommandsTest {

    @TempDir
    Path dir;

    record Exited(int code, String output, Duration took) {
    }

    private Exited main(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "com.digitalfte.DigitalFte"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME"));
        builder.environment().putAll(env);
        long start = System.nanoTime();
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Exited(p.exitValue(), output, Duration.ofNanos(System.nanoTime() - start));
    }

    @Test
    void exitCodesAreZeroWhenWellOneWhenSomethingIsWrongTwoForAWrongCommandLine() throws Exception {
        Path vault = dir.resolve("vault");
        Map<String, String> embedded = Map.of("VAULT_PATH", vault.toString(), "OBSERVE_PORT", "19876");

        Exited doctor = main(embedded, "doctor");
        assertThat(doctor.code()).as(doctor.output()).isZero();
        assertThat(doctor.output()).contains("All is well.");

        Exited missing = main(Map.of("VAULT_PATH", vault.toString(), "AGENT_TYPE", "local", "MAIL_PROVIDER", "imap"), "doctor");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.output()).contains("mail out: off, it needs SMTP_HOST, MAIL_ADDRESS");

        Exited sync = main(embedded, "sync");
        assertThat(sync.code()).as(sync.output()).isZero();
        assertThat(sync.output()).contains("Synced with the vault's own history");

        Exited status = main(embedded, "status");
        assertThat(status.code()).isZero();
        assertThat(status.output()).contains("## Queues", "## Agents");

        assertThat(main(embedded, "approve", "EMAIL_none").code()).isEqualTo(1);
        assertThat(main(embedded, "frobnicate").code()).isEqualTo(2);
        assertThat(main(embedded, "sync", "--force").code()).isEqualTo(2);
        assertThat(main(embedded, "--help").output()).contains("doctor", "approve", "reject", "hawtio");

        for (Exited e : List.of(doctor, missing, sync, status)) {
            assertThat(e.took()).as("a tool answers in seconds").isLessThan(Duration.ofSeconds(20));
            assertThat(e.output()).doesNotContain("DigitalFTE started", "Apache Camel");
        }
        assertThat(vault.resolve("Updates/agents/all.json")).as("no agent ran: no heartbeat").doesNotExist();
        try (var template = MainCommandsTest.class.getResourceAsStream("/vault-template/Dashboard.md")) {
            assertThat(vault.resolve("Dashboard.md")).as("the starting file, never rewritten by an agent")
                    .hasContent(new String(template.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertThat(Files.exists(vault.resolve("Logs/vault_sync.jsonl"))).as("the sync command's own line").isTrue();
    }

    @Test
    void theAgentRefusesWrongSettingsWithExitTwo() throws Exception {
        Exited run = main(Map.of("VAULT_PATH", dir.resolve("vault").toString(), "AGENT_TYPE", "robot"));
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.output()).contains("DigitalFTE cannot start", "AGENT_TYPE");
    }
}
