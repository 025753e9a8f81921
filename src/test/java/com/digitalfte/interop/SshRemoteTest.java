package com.digitalfte.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.DigitalFte;
import com.digitalfte.support.GitCli;
import com.digitalfte.support.LogCapture;
import com.digitalfte.support.TestAgent;
import com.digitalfte.sync.VaultSync;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cloud agent against OpenSSH's sshd with only an ed25519 host key, set up as an owner sets up a
 * new machine: {@code ssh-keygen} (ed25519, with or without a passphrase), {@code git clone} over
 * ssh (which records the ed25519 host key alone in known_hosts), an ssh-agent, or the key's file and
 * passphrase in the settings.
 */
class SshRemoteTest {

    @RegisterExtension
    static SshGitServer ssh = new SshGitServer();

    @TempDir
    Path dir;

    @Test
    void aCloudAgentClaimsAndDraftsOverSshWithAnEd25519Key() throws Exception {
        SshGitServer.Machine cloud = ssh.newMachine("plain-key", "EMAIL_ssh_key", dir);
        Files.copy(ssh.key(), cloud.sshDir().resolve("id_ed25519"));
        try (TestAgent agent = TestAgent.start(cloud.env())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> RemoteVault.claimedAndDrafted(cloud.repo().bare(), "EMAIL_ssh_key"));
        }
        RemoteVault.assertClaimedBeforeDrafted(cloud.repo().bare(), "EMAIL_ssh_key");
        assertThat(RemoteVault.syncLog(cloud.vault())).noneMatch(l -> "refused".equals(l.get("result")));
    }

    @Test
    void aKeyWithAPassphraseWorksThroughTheSshAgent() throws Exception {
        // no key file in ~/.ssh: only the agent holds one
        SshGitServer.Machine cloud = ssh.newMachine("agent", "EMAIL_ssh_agent", dir);
        cloud.env().put("SSH_AUTH_SOCK", ssh.agentSocket().toString());
        try (LogCapture startup = LogCapture.of(DigitalFte.class); TestAgent agent = TestAgent.start(cloud.env())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> RemoteVault.claimedAndDrafted(cloud.repo().bare(), "EMAIL_ssh_agent"));
            assertThat(startup.lines()).anyMatch(l -> l.contains("sync     remote 'origin' (ssh with the keys in " + cloud.sshDir()
                    + " and the ssh-agent at " + ssh.agentSocket() + " (SSH_AUTH_SOCK)"));
        }
        RemoteVault.assertClaimedBeforeDrafted(cloud.repo().bare(), "EMAIL_ssh_agent");
    }

    @Test
    void aKeyFileAndItsPassphraseFromTheSettings() throws Exception {
        SshGitServer.Machine cloud = ssh.newMachine("key-file", "EMAIL_ssh_passphrase", dir);
        cloud.env().put("GIT_SSH_KEY", ssh.passphraseKey().toString());
        cloud.env().put("GIT_SSH_PASSPHRASE", SshGitServer.PASSPHRASE);
        try (LogCapture startup = LogCapture.asWritten(DigitalFte.class); TestAgent agent = TestAgent.start(cloud.env())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> RemoteVault.claimedAndDrafted(cloud.repo().bare(), "EMAIL_ssh_passphrase"));
            assertThat(startup.lines()).anyMatch(l -> l.contains("sync     remote 'origin' (ssh with the key " + ssh.passphraseKey()
                    + " (its passphrase from GIT_SSH_PASSPHRASE)")).noneMatch(l -> l.contains(SshGitServer.PASSPHRASE));
        }
        RemoteVault.assertClaimedBeforeDrafted(cloud.repo().bare(), "EMAIL_ssh_passphrase");
    }

    @Test
    void aKeyTheServerDoesNotKnowIsRefusedInOneLine() throws Exception {
        SshGitServer.Machine cloud = ssh.newMachine("unknown-key", "EMAIL_ssh_stranger", dir);
        // a new machine's own key, not yet in the server's authorized_keys
        Commands.run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", cloud.sshDir().resolve("id_ed25519").toString());
        try (LogCapture log = LogCapture.of(VaultSync.class); TestAgent agent = TestAgent.start(cloud.env())) {
            RemoteVault.assertRefusedInOneLine(cloud.vault(), log, "the remote refused the credentials (No more authentication methods available):"
                    + " none of the ssh keys tried (the keys in " + cloud.sshDir() + ") is authorized there; add its public key (.pub) to the"
                    + " server's authorized keys");
            RemoteVault.assertNotTaken(cloud.repo().bare(), cloud.vault(), "EMAIL_ssh_stranger");
        }
    }

    @Test
    void aKeyItsPassphraseDoesNotUnlockIsNamedInOneLine() throws Exception {
        SshGitServer.Machine cloud = ssh.newMachine("locked-key", "EMAIL_ssh_locked", dir);
        Path key = ssh.passphraseKey();
        cloud.env().put("GIT_SSH_KEY", key.toString());
        // a service has no ssh-agent and nobody at a terminal
        try (LogCapture log = LogCapture.of(VaultSync.class); TestAgent agent = TestAgent.start(cloud.env())) {
            RemoteVault.assertRefusedInOneLine(cloud.vault(), log, "the remote refused the credentials: the ssh key " + key
                    + " has a passphrase and nothing gives it: add the key to the ssh-agent (ssh-add " + key + ") or set GIT_SSH_PASSPHRASE");
        }
        cloud.env().put("GIT_SSH_PASSPHRASE", "not the passphrase");
        try (LogCapture log = LogCapture.of(VaultSync.class); TestAgent agent = TestAgent.start(cloud.env())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> RemoteVault.lastRefusal(cloud.vault()).contains("GIT_SSH_PASSPHRASE does not unlock the ssh key " + key));
            assertThat(log.lines()).filteredOn(l -> l.startsWith("ERROR")).singleElement().satisfies(l -> assertThat(l).doesNotContain("not the passphrase"));
        }
        RemoteVault.assertNotTaken(cloud.repo().bare(), cloud.vault(), "EMAIL_ssh_locked");
    }

    @Test
    void anUnknownHostKeyIsRefusedWithItsFingerprintAndTheLineThatAddsIt() throws Exception {
        SshGitServer.Repository repo = ssh.newRepository("unknown-host");
        RemoteVault.ownerQueues(repo.bare(), "EMAIL_ssh_unknown", dir);
        Path sshDir = dir.resolve("home/.ssh");
        Files.createDirectories(sshDir);
        Files.copy(ssh.key(), sshDir.resolve("id_ed25519"));
        // cloned some other way (a copy of another machine's clone): this machine has never seen the host
        Path vault = GitCli.cloneOf(repo.bare(), dir, "cloud");
        GitCli.run(vault, "remote", "set-url", "origin", repo.url());

        Map<String, String> env = RemoteVault.cloudAgent(vault, dir);
        env.put("GIT_SSH_DIR", sshDir.toString());
        Path knownHosts = sshDir.resolve("known_hosts");
        String fix = "ssh-keyscan -p " + ssh.port() + " -t ed25519 127.0.0.1 >> " + knownHosts;
        try (LogCapture log = LogCapture.of(VaultSync.class); TestAgent cloud = TestAgent.start(env)) {
            RemoteVault.assertRefusedInOneLine(vault, log, "the remote's host key (ED25519 " + ssh.hostKeyFingerprint() + ") is not in "
                    + knownHosts + ": check the fingerprint with the server's owner, then run " + fix);
            RemoteVault.assertNotTaken(repo.bare(), vault, "EMAIL_ssh_unknown");
            assertThat(knownHosts).as("never accepted silently").doesNotExist();

            // what the owner does with the line
            Commands.run(dir, "sh", "-c", fix);
            await().atMost(Duration.ofSeconds(30)).until(() -> RemoteVault.claimedAndDrafted(repo.bare(), "EMAIL_ssh_unknown"));
        }
        RemoteVault.assertClaimedBeforeDrafted(repo.bare(), "EMAIL_ssh_unknown");
    }
}
