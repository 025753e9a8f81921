package com.digitalfte.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.support.GitCli;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each tool's output and exit code on a real vault: status, approve, reject and sync (doctor has DoctorTest). */
class CommandsTest {

    @TempDir
    Path dir;

    record Ran(int exit, String out, String err) {
    }

    static Ran run(Path workDir, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.execute(args, env, workDir, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Ran(exit, out.toString(), err.toString());
    }

    private Map<String, String> local(Path vault) {
        Map<String, String> env = new HashMap<>();
        env.put("AGENT_TYPE", "local");
        env.put("VAULT_PATH", vault.toString());
        env.put("MAIL_PROVIDER", "imap");
        return env;
    }

    private static void task(Path vault, String folder, String id) throws IOException {
        TaskFile task = TaskFile.create(id, "email_reply").with("from", "kim@example.com").with("subject", "About " + id)
                .withSection(TaskFile.ORIGINAL, "Hello").withSection(TaskFile.DRAFT, "Thanks, Kim.");
        new Vault(vault).write(Files.createDirectories(vault.resolve(folder)), task);
    }

    @Test
    void statusPrintsTheQueuesAndTheAgentsAsTheDashboardDoes() throws IOException {
        Path vault = dir.resolve("vault");
        new Vault(vault).init("local", true);
        task(vault, "Pending_Approval", "EMAIL_a");
        task(vault, "Pending_Approval", "EMAIL_b");
        task(vault, "Failed", "EMAIL_c");
        Files.writeString(vault.resolve("Updates/agents/cloud.json"), "{\"agent\": \"cloud\", \"type\": \"cloud\", \"last_seen\": \""
                + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\"}");

        Ran status = run(dir, local(vault), "status");

        assertThat(status.exit()).isZero();
        assertThat(status.out()).contains("## Queues", "| Pending Approval | 2 |", "| Failed | 1 |", "## Agents", "| cloud | cloud |", "| ok |")
                .doesNotContain("## Recent activity");
        assertThat(vault.resolve("Dashboard.md")).as("status only reads").content().doesNotContain("Pending Approval | 2");
    }

    @Test
    void approveMovesAPendingTaskToApprovedAndSaysWhereAnyOtherIs() throws IOException {
        Path vault = dir.resolve("vault");
        new Vault(vault).init("local", true);
        task(vault, "Pending_Approval", "EMAIL_a");
        task(vault, "Done", "EMAIL_done");

        Ran approved = run(dir, local(vault), "approve", "EMAIL_a");
        assertThat(approved.exit()).isZero();
        assertThat(approved.out()).contains("Approved EMAIL_a", "Pending_Approval/EMAIL_a.md to Approved/");
        assertThat(vault.resolve("Approved/EMAIL_a.md")).exists();
        assertThat(vault.resolve("Pending_Approval/EMAIL_a.md")).doesNotExist();

        Ran done = run(dir, local(vault), "approve", "EMAIL_done");
        assertThat(done.exit()).isEqualTo(1);
        assertThat(done.out()).contains("EMAIL_done is in Done/", "nothing was changed");
        assertThat(run(dir, local(vault), "approve", "EMAIL_nowhere").out()).contains("No task EMAIL_nowhere");

        Ran notAnId = run(dir, local(vault), "approve", "../Done/EMAIL_done");
        assertThat(notAnId.exit()).as("a usage error").isEqualTo(2);
        assertThat(notAnId.err()).contains("is not a task id");
        assertThat(run(dir, local(vault), "approve").exit()).as("no id").isEqualTo(2);
    }

    @Test
    void rejectMovesTheTaskToRejectedWithTheReason() throws Exception {
        Path vault = dir.resolve("vault");
        new Vault(vault).init("local", true);
        task(vault, "Pending_Approval", "EMAIL_a");

        Ran rejected = run(dir, local(vault), "reject", "EMAIL_a", "too", "pushy");

        assertThat(rejected.exit()).isZero();
        assertThat(rejected.out()).contains("Rejected EMAIL_a", "(too pushy)", "nothing will be sent");
        assertThat(new Vault(vault).read(vault.resolve("Rejected/EMAIL_a.md")).get("rejection_reason")).hasValue("too pushy");
    }

    @Test
    void syncCommitsPushesAndPrintsEachTaskThatMoved() throws IOException {
        Path remote = GitCli.bareRemote(dir, "vault.git");
        Path cloud = GitCli.cloneOf(remote, dir, "cloud");
        Path local = GitCli.cloneOf(remote, dir, "local");
        Map<String, String> cloudEnv = new HashMap<>(Map.of("AGENT_TYPE", "cloud", "VAULT_PATH", cloud.toString(), "GIT_REMOTE", "origin",
                "MAIL_PROVIDER", "imap"));
        Map<String, String> localEnv = local(local);
        localEnv.put("GIT_REMOTE", "origin");
        task(cloud, "Updates", "EMAIL_a");

        Ran pushed = run(dir, cloudEnv, "sync");
        assertThat(pushed.exit()).isZero();
        assertThat(pushed.out()).contains("Synced with remote 'origin' branch main", "1 pushed");
        assertThat(GitCli.filesOn(remote, "main")).contains("Updates/EMAIL_a.md");

        Ran pulled = run(dir, localEnv, "sync");
        assertThat(pulled.exit()).isZero();
        assertThat(pulled.out()).contains("1 commit(s) pulled", "EMAIL_a  new in Updates");

        Files.move(local.resolve("Updates/EMAIL_a.md"), Files.createDirectories(local.resolve("Pending_Approval")).resolve("EMAIL_a.md"));
        assertThat(run(dir, localEnv, "sync").exit()).isZero();
        Ran moved = run(dir, cloudEnv, "sync");
        assertThat(moved.out()).contains("EMAIL_a  Updates -> Pending_Approval");
        assertThat(run(dir, cloudEnv, "sync").out()).contains("up-to-date", "No task moved.");
    }
}
