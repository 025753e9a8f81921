package com.digitalfte.sync;

import com.digitalfte.config.Settings;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.NetRC;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.DefaultProxyDataFactory;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.KeyPasswordProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.agent.Connector;
import org.eclipse.jgit.transport.sshd.agent.ConnectorFactory;
import org.eclipse.jgit.util.FS;

/**
 * How this agent reaches its git remote, from its settings, for every fetch, push and ls-remote:
 * <ul>
 * <li>ssh as OpenSSH users have it: {@code ~/.ssh/config}, {@code known_hosts} and the default keys
 * of {@code GIT_SSH_DIR} (default {@code ~/.ssh}), or the key file {@code GIT_SSH_KEY} with
 * {@code GIT_SSH_PASSPHRASE}, and the ssh-agent at {@code SSH_AUTH_SOCK}; an unknown host key is
 * refused, never accepted, and its fingerprint kept for the owner ({@link HostKeys});</li>
 * <li>https with {@code GIT_USERNAME} and {@code GIT_TOKEN}, else the remote host's entry in
 * {@code ~/.netrc}, else what the URL carries; a private CA through {@code GIT_CA_FILE}, in addition
 * to the system's CAs.</li>
 * </ul>
 * One ssh session factory per agent, closed with its sync. No secret ever leaves this class except
 * to the transport that needs it.
 */
public final class GitTransports implements TransportConfigCallback, AutoCloseable {

    /** GitHub's user name for a token; GitLab takes any name with a personal access token, Gitea needs the account's. */
    private static final String TOKEN_USER = "x-access-token";

    private final Path sshDir;
    private final Path sshKey;
    private final String passphrase;
    private final String agentSocket;
    private final String username;
    private final String token;
    private final NetRC netrc;
    private final Path netrcFile;
    private final Path caFile;
    private final CaFileHttps caHttps;
    private final SshdSessionFactory ssh;
    private volatile HostKeys hostKeys;
    /** Why a key file of this agent's could not be used in the last ssh session, or null. */
    private volatile String keyProblem;

    private GitTransports(Settings s) {
        File home = FS.DETECTED.userHome();
        this.sshDir = s.path("GIT_SSH_DIR").orElse(new File(home, ".ssh").toPath().toAbsolutePath());
        this.sshKey = s.path("GIT_SSH_KEY").orElse(null);
        this.passphrase = s.find("GIT_SSH_PASSPHRASE").orElse(null);
        this.agentSocket = s.find("SSH_AUTH_SOCK").orElse(null);
        this.token = s.find("GIT_TOKEN").orElse(null);
        this.username = s.find("GIT_USERNAME").orElse(null);
        // curl and git read ~/.netrc from $HOME
        this.netrcFile = Path.of(s.get("HOME", home.getPath()), ".netrc");
        this.netrc = Files.isRegularFile(netrcFile) ? new NetRC(netrcFile.toFile()) : null;
        this.caFile = s.path("GIT_CA_FILE").orElse(null);
        this.caHttps = caFile == null ? null : CaFileHttps.of(caFile);
        this.ssh = sshSessions(home);
        // a remote on this disk is served from one repository kept open (JGit's own transport opens it for every call)
        LocalRemotes.install();
    }

    public static GitTransports from(Settings settings) {
        return new GitTransports(settings);
    }

    /** JGit's defaults for everything: what tools and tests without settings get. */
    public static GitTransports defaults() {
        return new GitTransports(Settings.of(java.util.Map.of()));
    }

    /**
     * JGit's MINA sshd client with OpenSSH's files; subclassed rather than built with
     * SshdSessionFactoryBuilder, which can replace JGit's known_hosts database but not wrap it.
     */
    private SshdSessionFactory sshSessions(File home) {
        SshdSessionFactory factory = new SshdSessionFactory(new JGitKeyCache(), new DefaultProxyDataFactory()) {
            @Override
            protected ServerKeyDatabase createServerKeyDatabase(File homeDir, File dir) {
                HostKeys keys = new HostKeys(super.createServerKeyDatabase(homeDir, dir), dir.toPath().resolve("known_hosts"));
                hostKeys = keys;
                return keys;
            }

            @Override
            protected List<Path> getDefaultIdentities(File dir) {
                return sshKey != null ? List.of(sshKey) : super.getDefaultIdentities(dir);
            }

            @Override
            protected KeyPasswordProvider createKeyPasswordProvider(CredentialsProvider provider) {
                keyProblem = null;
                return new Passphrase();
            }

            @Override
            protected ConnectorFactory getConnectorFactory() {
                ConnectorFactory found = super.getConnectorFactory();
                return found == null || agentSocket == null ? found : new AgentAt(found, agentSocket);
            }
        };
        factory.setHomeDirectory(home);
        factory.setSshDirectory(sshDir.toFile());
        return factory;
    }

    @Override
    public void configure(Transport transport) {
        if (transport instanceof SshTransport s) {
            s.setSshSessionFactory(ssh);
        }
        if (transport instanceof TransportHttp http) {
            if (caHttps != null) {
                http.setHttpConnectionFactory(caHttps);
            }
            credentials(transport.getURI()).ifPresent(transport::setCredentialsProvider);
        }
    }

    private Optional<CredentialsProvider> credentials(URIish uri) {
        if (token != null) {
            return Optional.of(new UsernamePasswordCredentialsProvider(userFor(uri), token));
        }
        NetRC.NetRCEntry entry = netrcEntry(uri);
        return entry == null ? Optional.empty() : Optional.of(new UsernamePasswordCredentialsProvider(entry.login, entry.password));
    }

    private String userFor(URIish uri) {
        if (username != null) {
            return username;
        }
        return uri.getUser() != null && !uri.getUser().isEmpty() ? uri.getUser() : TOKEN_USER;
    }

    private NetRC.NetRCEntry netrcEntry(URIish uri) {
        if (netrc == null || uri.getHost() == null) {
            return null;
        }
        NetRC.NetRCEntry entry = netrc.getEntry(uri.getHost());
        return entry == null || entry.login == null || entry.password == null ? null : entry;
    }

    /** The credential this remote will be given from a file (~/.netrc): a secret to mask and to keep out of the vault. */
    public Set<String> secretsFor(String url) {
        URIish uri = parse(url);
        NetRC.NetRCEntry entry = token != null || uri == null || !isHttp(uri) ? null : netrcEntry(uri);
        return entry == null ? Set.of() : Set.of(new String(entry.password));
    }

    /** Why an ssh key file could not be used, with what to do, when that happened in the last session. */
    Optional<String> sshKeyProblem() {
        return Optional.ofNullable(keyProblem);
    }

    /** Why the remote's host key was refused, with what to do, when that is what happened last. */
    Optional<String> hostKeyRefusal() {
        HostKeys keys = hostKeys;
        return keys == null ? Optional.empty() : keys.refusal().map(HostKeys.Refusal::reason);
    }

    /** Where the https credentials for this remote come from, in the owner's words; empty when there are none. */
    Optional<String> httpCredentialsSource(String url) {
        URIish uri = parse(url);
        if (token != null) {
            return Optional.of("GIT_USERNAME and GIT_TOKEN");
        }
        if (uri != null && netrcEntry(uri) != null) {
            return Optional.of("the entry for " + uri.getHost() + " in " + netrcFile);
        }
        return uri != null && uri.getPass() != null ? Optional.of("the credentials in the remote's URL (git remote -v)") : Optional.empty();
    }

    boolean hasCaFile() {
        return caFile != null;
    }

    Path caFile() {
        return caFile;
    }

    Path sshDir() {
        return sshDir;
    }

    /** For the start-up summary: how the remote at this URL is reached, without any secret. */
    public String describe(String url) {
        URIish uri = parse(url);
        if (uri == null || url.isEmpty()) {
            return "";
        }
        if (isHttp(uri)) {
            String as;
            if (token != null) {
                as = "as " + userFor(uri) + " with the token from GIT_TOKEN";
            } else if (netrcEntry(uri) != null) {
                as = "with the credentials for " + uri.getHost() + " in " + netrcFile;
            } else if (uri.getPass() != null) {
                as = "with the credentials in the remote's URL";
            } else {
                as = "without credentials (set GIT_USERNAME and GIT_TOKEN if the server asks)";
            }
            String trust = caFile == null ? "" : ", trusting the CAs in GIT_CA_FILE " + caFile + " too";
            return uri.getScheme() + " " + as + trust + (uri.getScheme().equals("http") ? " (unencrypted)" : "");
        }
        if (uri.getHost() == null || "file".equals(uri.getScheme())) {
            return "a path on this machine";
        }
        return "ssh with " + sshKeys() + ", host keys from " + sshDir.resolve("known_hosts");
    }

    /** The ssh keys offered to the server, for the summary and for a refusal. */
    String sshKeys() {
        String keys = sshKey != null ? "the key " + sshKey + (passphrase != null ? " (its passphrase from GIT_SSH_PASSPHRASE)" : "")
                : "the keys in " + sshDir;
        return keys + (agentSocket != null ? " and the ssh-agent at " + agentSocket + " (SSH_AUTH_SOCK)" : "");
    }

    private static boolean isHttp(URIish uri) {
        return "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
    }

    private static URIish parse(String url) {
        try {
            return new URIish(url == null ? "" : url);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    @Override
    public void close() {
        ssh.close();
    }

    /**
     * GIT_SSH_PASSPHRASE for a key file that has a passphrase, in one try (the same passphrase again
     * would fail again). Nobody is at a terminal to type it, so a key it does not unlock is skipped,
     * and why is kept: the server then only says that no authentication method is left.
     */
    private final class Passphrase implements KeyPasswordProvider {

        @Override
        public char[] getPassphrase(URIish uri, int attempt) {
            if (passphrase == null) {
                keyProblem = "the ssh key " + uri.getPath() + " has a passphrase and nothing gives it: add the key to the ssh-agent"
                        + " (ssh-add " + uri.getPath() + ") or set GIT_SSH_PASSPHRASE";
                return null;
            }
            return passphrase.toCharArray();
        }

        @Override
        public void setAttempts(int maxNumberOfAttempts) {
            // always one
        }

        @Override
        public boolean keyLoaded(URIish uri, int attempt, Exception error) {
            if (error != null && passphrase != null) {
                keyProblem = "GIT_SSH_PASSPHRASE does not unlock the ssh key " + uri.getPath();
            }
            return false;
        }
    }

    /**
     * The ssh-agent at SSH_AUTH_SOCK as the settings give it (the environment, then .env), where
     * {@code ~/.ssh/config} names no IdentityAgent of its own.
     */
    private static final class AgentAt implements ConnectorFactory {

        private final ConnectorFactory jgit;
        private final String socket;

        AgentAt(ConnectorFactory jgit, String socket) {
            this.jgit = jgit;
            this.socket = socket;
        }

        @Override
        public Connector create(String identityAgent, File homeDir) throws IOException {
            boolean unset = identityAgent == null || identityAgent.isEmpty() || identityAgent.equals("SSH_AUTH_SOCK");
            return jgit.create(unset ? socket : identityAgent, homeDir);
        }

        @Override
        public boolean isSupported() {
            return jgit.isSupported();
        }

        @Override
        public String getName() {
            return jgit.getName();
        }

        @Override
        public Collection<ConnectorDescriptor> getSupportedConnectors() {
            return jgit.getSupportedConnectors();
        }

        @Override
        public ConnectorDescriptor getDefaultConnector() {
            return jgit.getDefaultConnector();
        }
    }
}
