package com.digitalfte.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * OpenSSH from Debian as the owners run it, for the test class that registers it
 * ({@code @RegisterExtension static SshGitServer ssh = new SshGitServer();}): git repositories
 * reachable as {@code ssh://root@127.0.0.1:<port>/<dir>/<name>.git}, and an ssh-agent holding a key
 * that has a passphrase. All of it in a temporary folder, on a free port, stopped after the class.
 *
 * <p>The recipe (packages openssh-server and openssh-client; no systemd):
 * <ol>
 * <li>{@code ssh-keygen -t ed25519 -N '' -f host_ed25519}: the server's ONLY host key, so a client
 * without ed25519 cannot even agree on a key type; {@code ssh-keygen -t ed25519} for the client keys:
 * {@code id_ed25519} without a passphrase, {@code pass_ed25519} with {@link #PASSPHRASE}; both in
 * {@code authorized_keys}.</li>
 * <li>{@code sshd_config}: {@code ListenAddress 127.0.0.1}, that host key, that
 * {@code AuthorizedKeysFile}, public keys only, {@code UsePAM no}, {@code StrictModes no} (a
 * temporary folder is nobody's home, and its modes would fail sshd's checks),
 * {@code PermitRootLogin prohibit-password} (the tests run as root, and git runs as that user).</li>
 * <li>{@code /usr/sbin/sshd -D -e -f <config>}: in the foreground, logging to stderr; it needs its
 * absolute path (it re-executes itself per connection) and its privilege-separation folder
 * {@code /run/sshd}, which systemd would have made.</li>
 * <li>{@code ssh-agent -D -a agent.sock}, then {@code ssh-add pass_ed25519} with the passphrase from
 * an askpass script ({@code SSH_ASKPASS}, {@code SSH_ASKPASS_REQUIRE=force}), as a desktop's agent
 * would hold it.</li>
 * </ol>
 */
public final class SshGitServer implements BeforeAllCallback, AfterAllCallback {

    public static final String PASSPHRASE = "correct horse battery staple";

    /** A bare repository on the server: its folder, and its ssh URL. */
    public record Repository(Path bare, String url) {
    }

    /**
     * A cloud agent's machine: its clone of a repository on the server, its {@code ~/.ssh}, and the
     * settings of a cloud agent there (GIT_SSH_DIR pointing at that ~/.ssh; more may be added).
     */
    public record Machine(Repository repo, Path vault, Path sshDir, java.util.Map<String, String> env) {
    }

    private Path dir;
    private int port;
    private Process sshd;
    private Process agent;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Commands.require("/usr/sbin/sshd", "openssh-server");
        Commands.require("/usr/bin/ssh-agent", "openssh-client");
        dir = Files.createTempDirectory("interop-ssh");
        keygen("host_ed25519", "");
        keygen("id_ed25519", "");
        keygen("pass_ed25519", PASSPHRASE);
        Commands.write(dir.resolve("authorized_keys"), List.of(Files.readString(dir.resolve("id_ed25519.pub")).strip(),
                Files.readString(dir.resolve("pass_ed25519.pub")).strip()));
        port = Commands.freePort();
        Commands.write(dir.resolve("sshd_config"), List.of(
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_ed25519"),
                "PidFile none",
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "PermitRootLogin prohibit-password",
                "LogLevel VERBOSE"));
        Files.createDirectories(Path.of("/run/sshd"));
        Path log = dir.resolve("sshd.log");
        sshd = Commands.start(dir, log, Map.of(), "/usr/sbin/sshd", "-D", "-e", "-f", dir.resolve("sshd_config").toString());
        Commands.awaitListening(sshd, port, log);
        startAgent();
    }

    private void keygen(String name, String passphrase) {
        Commands.run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", name + "@interop", "-f", dir.resolve(name).toString());
    }

    private void startAgent() throws IOException {
        Path socket = dir.resolve("agent.sock");
        Path log = dir.resolve("ssh-agent.log");
        agent = Commands.start(dir, log, Map.of(), "/usr/bin/ssh-agent", "-D", "-a", socket.toString());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> Files.exists(socket) || !agent.isAlive());
        Path askpass = dir.resolve("askpass.sh");
        Commands.write(askpass, "#!/bin/sh\necho '" + PASSPHRASE + "'\n");
        Files.setPosixFilePermissions(askpass, PosixFilePermissions.fromString("rwx------"));
        Commands.run(dir, Map.of("SSH_AUTH_SOCK", socket.toString(), "SSH_ASKPASS", askpass.toString(), "SSH_ASKPASS_REQUIRE", "force",
                "DISPLAY", ":0"), "ssh-add", dir.resolve("pass_ed25519").toString());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Commands.stop(agent);
        Commands.stop(sshd);
        Commands.deleteTree(dir);
    }

    /** A new empty bare repository on branch main. */
    public Repository newRepository(String name) {
        Path bare = dir.resolve("repos/" + name + ".git");
        Commands.run(dir, "git", "init", "-q", "--bare", "-b", "main", bare.toString());
        return new Repository(bare, "ssh://root@127.0.0.1:" + port + bare);
    }

    /**
     * A new repository on the server with the owner's task {@code taskId} queued in it, and a machine
     * set up as the owner sets one up: {@code git clone} over ssh with {@link #key()}, which leaves the
     * ed25519 host key in {@code dir/home/.ssh/known_hosts}, and no key of its own in that ~/.ssh.
     */
    public Machine newMachine(String name, String taskId, Path dir) throws IOException {
        Repository repo = newRepository(name);
        RemoteVault.ownerQueues(repo.bare(), taskId, dir);
        Path sshDir = dir.resolve("home/.ssh");
        Path vault = dir.resolve("cloud");
        cloneWithGit(repo, vault, sshDir, key());
        java.util.Map<String, String> env = RemoteVault.cloudAgent(vault, dir);
        env.put("GIT_SSH_DIR", sshDir.toString());
        return new Machine(repo, vault, sshDir, env);
    }

    public int port() {
        return port;
    }

    /** The client key without a passphrase. */
    public Path key() {
        return dir.resolve("id_ed25519");
    }

    /** The client key protected by {@link #PASSPHRASE}. */
    public Path passphraseKey() {
        return dir.resolve("pass_ed25519");
    }

    /** The ssh-agent's socket (SSH_AUTH_SOCK); it holds {@link #passphraseKey()}. */
    public Path agentSocket() {
        return dir.resolve("agent.sock");
    }

    /** The host key's fingerprint as {@code ssh-keygen -l} shows it: {@code SHA256:...}. */
    public String hostKeyFingerprint() {
        return Commands.run(dir, "ssh-keygen", "-l", "-E", "sha256", "-f", dir.resolve("host_ed25519.pub").toString()).split(" ")[1];
    }

    /**
     * A {@code git clone} over ssh into {@code target} as the owner does it on a new machine: the host
     * key recorded in {@code sshDir/known_hosts} by ssh itself (only the ed25519 one, hashed as
     * Debian's ssh_config says), with {@code key}.
     */
    public void cloneWithGit(Repository repo, Path target, Path sshDir, Path key) throws IOException {
        Files.createDirectories(sshDir);
        String sshCommand = "ssh -i " + key + " -o IdentitiesOnly=yes -o IdentityAgent=none -o UserKnownHostsFile=" + sshDir.resolve("known_hosts")
                + " -o StrictHostKeyChecking=accept-new";
        Commands.run(target.getParent(), Map.of("GIT_SSH_COMMAND", sshCommand), "git", "-c", "init.defaultBranch=main", "clone", "-q", repo.url(),
                target.toString());
    }

    /** The server's log so far, for a failure message. */
    public String log() throws IOException {
        return Files.readString(dir.resolve("sshd.log"));
    }
}
