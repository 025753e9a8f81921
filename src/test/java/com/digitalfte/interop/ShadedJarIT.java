package com.digitalfte.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.AgentProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
        SshGitServer.Repository repo = ssh.newRepository("jar-key");
        RemoteVault.ownerQueues(repo.bare(), "EMAIL_jar_key", dir);
        Path sshDir = dir.resolve("home/.ssh");
        Path vault = dir.resolve("cloud");
        ssh.cloneWithGit(repo, vault, sshDir, ssh.key());
        Map<String, String> env = RemoteVault.cloudAgent(vault, dir);
        env.put("GIT_SSH_DIR", sshDir.toString());
        env.put("GIT_SSH_KEY", ssh.passphraseKey().toString());
        env.put("GIT_SSH_PASSPHRASE", SshGitServer.PASSPHRASE);
        Path log = dir.resolve("agent.log");
        try (AgentProcess cloud = AgentProcess.startJar(jar(), env, dir.resolve("work"), log)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> RemoteVault.claimedAndDrafted(repo.bare(), "EMAIL_jar_key") || !cloud.alive());
        }
        assertThat(RemoteVault.claimedAndDrafted(repo.bare(), "EMAIL_jar_key")).as(Files.readString(log)).isTrue();
        assertThat(Files.readString(log)).doesNotContain(SshGitServer.PASSPHRASE).doesNotContain("Exception");
    }

    @Test
    void theJarUsesTheSshAgentOfItsEnvironment() throws Exception {
        SshGitServer.Repository repo = ssh.newRepository("jar-agent");
        RemoteVault.ownerQueues(repo.bare(), "EMAIL_jar_agent", dir);
        Path sshDir = dir.resolve("home/.ssh");
        Path vault = dir.resolve("cloud");
        ssh.cloneWithGit(repo, vault, sshDir, ssh.key());
        Map<String, String> env = RemoteVault.cloudAgent(vault, dir);
        env.put("GIT_SSH_DIR", sshDir.toString());
        env.put("SSH_AUTH_SOCK", ssh.agentSocket().toString());
        Path log = dir.resolve("agent.log");
        try (AgentProcess cloud = AgentProcess.startJar(jar(), env, dir.resolve("work"), log)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> RemoteVault.claimedAndDrafted(repo.bare(), "EMAIL_jar_agent") || !cloud.alive());
        }
        assertThat(RemoteVault.claimedAndDrafted(repo.bare(), "EMAIL_jar_agent")).as(Files.readString(log)).isTrue();
        assertThat(Files.readString(log)).contains("and the ssh-agent at " + ssh.agentSocket() + " (SSH_AUTH_SOCK)").doesNotContain("Exception");
    }
}
