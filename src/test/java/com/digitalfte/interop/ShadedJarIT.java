package com.digitalfte.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.AgentProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar target/digitalfte.jar} over ssh, as the README has the owner run it: the shaded
 * jar must carry what the test classpath has by itself, the ed25519 provider (host key and client
 * key), JGit's ssh-agent connector with its service file and JNA's native library. Run by
 * {@code mvn verify} after the jar is packaged (failsafe, profile interop).
 */
class ShadedJarIT {

    @RegisterExtension
    static SshGitServer ssh = new SshGitServer();

    @TempDir
    Path dir;

    private static Path jar() {
        Path jar = Path.of(System.getProperty("agent.jar", "target/digitalfte.jar"));
        assertThat(jar).as("packaged by mvn package").isRegularFile();
        return jar;
    }

    @Test
    void theJarClaimsAndDraftsOverSshWithAnEd25519KeyFile() throws Exception {
        SshGitServer.Machine cloud = ssh.newMachine("jar-key", "EMAIL_jar_key", dir);
        cloud.env().put("GIT_SSH_KEY", ssh.passphraseKey().toString());
        cloud.env().put("GIT_SSH_PASSPHRASE", SshGitServer.PASSPHRASE);
        String log = claimsAndDrafts(cloud, "EMAIL_jar_key");
        assertThat(log).doesNotContain(SshGitServer.PASSPHRASE);
    }

    @Test
    void theJarUsesTheSshAgentOfItsEnvironment() throws Exception {
        SshGitServer.Machine cloud = ssh.newMachine("jar-agent", "EMAIL_jar_agent", dir);
        cloud.env().put("SSH_AUTH_SOCK", ssh.agentSocket().toString());
        String log = claimsAndDrafts(cloud, "EMAIL_jar_agent");
        assertThat(log).contains("and the ssh-agent at " + ssh.agentSocket() + " (SSH_AUTH_SOCK)");
    }

    /** Runs the jar on the machine until its draft of the task is on the server; the agent's log. */
    private String claimsAndDrafts(SshGitServer.Machine cloud, String id) throws Exception {
        Path log = dir.resolve("agent.log");
        try (AgentProcess agent = AgentProcess.startJar(jar(), cloud.env(), dir.resolve("work"), log)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> RemoteVault.claimedAndDrafted(cloud.repo().bare(), id) || !agent.alive());
        }
        String written = Files.readString(log);
        assertThat(RemoteVault.claimedAndDrafted(cloud.repo().bare(), id)).as(written).isTrue();
        RemoteVault.assertClaimedBeforeDrafted(cloud.repo().bare(), id);
        assertThat(written).doesNotContain("Exception");
        return written;
    }
}
