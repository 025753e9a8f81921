package com.digitalfte.sync;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * The remote the vault is shared through: fetch and push with a timeout on every operation
 * ({@code GIT_TIMEOUT}), and every failure told apart as unreachable (work goes on) or refused (the
 * owner must act), in words that say what to do.
 */
final class GitRemote {

    private final Git git;
    private final String name;
    private final String branch;
    private final int timeoutSeconds;
    private final GitTransports transports;

    GitRemote(Git git, String name, String branch, int timeoutSeconds, GitTransports transports) {
        this.git = git;
        this.name = name;
        this.branch = branch;
        this.timeoutSeconds = timeoutSeconds;
        this.transports = transports;
    }

    String name() {
        return name;
    }

    /** The remote's URL as configured in the repository, or "" when there is no such remote. */
    String url() {
        String url = git.getRepository().getConfig().getString("remote", name, "url");
        return url == null ? "" : url;
    }

    /** The ref the remote's branch is tracked in here. */
    String trackingRef() {
        return "refs/remotes/" + name + "/" + branch;
    }

    ObjectId tracking() throws java.io.IOException {
        return git.getRepository().resolve(trackingRef());
    }

    /** Every branch of the remote, the shared one and the agents' heartbeat refs among them. */
    void fetch() throws RemoteException {
        try {
            configure(git.fetch().setRemote(name)
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/" + name + "/*")))
                    .call();
        } catch (GitAPIException | RuntimeException e) {
            throw classify("fetch from", e);
        }
    }

    /** Pushes these refspecs in one connection; the status of each remote ref, by its name on the remote. */
    Map<String, RemoteRefUpdate> push(List<RefSpec> specs) throws RemoteException {
        try {
            Map<String, RemoteRefUpdate> updates = new LinkedHashMap<>();
            for (PushResult r : configure(git.push().setRemote(name).setRefSpecs(specs)).call()) {
                for (RemoteRefUpdate u : r.getRemoteUpdates()) {
                    updates.put(u.getRemoteName(), u);
                }
            }
            return updates;
        } catch (GitAPIException | RuntimeException e) {
            throw classify("push to", e);
        }
    }

    /** The remote's refs with one small request, without fetching anything. */
    Map<String, ObjectId> refs() throws RemoteException {
        try {
            Map<String, ObjectId> refs = new LinkedHashMap<>();
            for (Ref r : configure(git.lsRemote().setRemote(name).setHeads(true)).call()) {
                refs.put(r.getName(), r.getObjectId());
            }
            return refs;
        } catch (GitAPIException | RuntimeException e) {
            throw classify("list the refs of", e);
        }
    }

    private <C extends TransportCommand<C, ?>> C configure(C command) {
        return command.setTimeout(timeoutSeconds).setTransportConfigCallback(transports);
    }

    /** The owner's words for what went wrong, and whether local work can go on meanwhile. */
    RemoteException classify(String action, Exception e) {
        String where = action + " the remote '" + name + "'";
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        StringBuilder text = new StringBuilder();
        chain.forEach(t -> text.append(' ').append(t.getMessage()));
        String all = text.toString().toLowerCase(Locale.ROOT);
        String detail = innermost(chain);
        String url = url();
        if (url.isEmpty()) {
            return new RemoteException.Refused("cannot " + where + ": the vault's repository has no remote called '" + name
                    + "' (GIT_REMOTE); add it with git remote add " + name + " <url>", e);
        }
        String certificate = certificateProblem(chain, all, detail);
        if (certificate != null) {
            return new RemoteException.Refused("cannot " + where + ": " + certificate, e);
        }
        if (chain.stream().anyMatch(GitRemote::isNetwork) || all.contains("timed out") || all.contains("timeout")) {
            return new RemoteException.Unreachable("cannot " + where + ": it cannot be reached (" + detail
                    + "); work goes on here and the next sync catches up", e);
        }
        if (all.contains("host key") || all.contains("hostkey") || all.contains("server key did not validate") || all.contains("known_hosts")) {
            Path knownHosts = transports.sshDir().resolve("known_hosts");
            String reason = transports.hostKeyRefusal().orElse("its host key is not trusted (" + detail + "): check its fingerprint with the"
                    + " server's owner, then add it to " + knownHosts + " (ssh-keyscan -t ed25519 <host> >> " + knownHosts + ")");
            return new RemoteException.Refused("cannot " + where + ": " + reason, e);
        }
        if (all.contains("not authorized") || all.contains("authentication") || all.contains("auth fail") || all.contains("credentialsprovider")
                || all.contains("cannot log in") || all.contains("publickey") || all.contains(" 401")) {
            return new RemoteException.Refused("cannot " + where + ": the remote refused the credentials" + credentialsAdvice(detail), e);
        }
        if (all.contains("not permitted") || all.contains("permission") || all.contains("forbidden") || all.contains("access denied")
                || all.contains(" 403")) {
            return new RemoteException.Refused("cannot " + where + ": the remote refused access (" + detail
                    + "); the account needs read and write access to the repository", e);
        }
        if (chain.stream().anyMatch(t -> t instanceof NoRemoteRepositoryException) || all.contains("not found")) {
            if (isLocalPath(url)) {
                return new RemoteException.Unreachable("cannot " + where + ": there is no repository at " + url
                        + " right now (a disk or a mount away?); work goes on here and the next sync catches up", e);
            }
            return new RemoteException.Refused("cannot " + where + ": there is no repository at " + url
                    + "; check the remote's URL (git remote -v)", e);
        }
        return new RemoteException.Unreachable("cannot " + where + " (" + detail + "); the next sync tries again", e);
    }

    /**
     * What to check, by how this remote is reached. Over https JGit's own words are left out: without
     * credentials it says that no CredentialsProvider has been registered, which tells the owner nothing.
     */
    private String credentialsAdvice(String detail) {
        String url = url();
        if (!isHttp(url)) {
            return transports.sshKeyProblem().map(problem -> ": " + problem)
                    .orElse(" (" + detail + "): none of the ssh keys tried (" + transports.sshKeys() + ") is authorized there; add its public key"
                            + " (.pub) to the server's authorized keys");
        }
        return transports.httpCredentialsSource(url)
                .map(source -> ": check " + source + "; a token may have expired, been revoked, or lack read and write access to the repository")
                .orElse(" (it asks for them and none are set): set GIT_USERNAME and GIT_TOKEN, or put the host in ~/.netrc");
    }

    /** A TLS failure that is about the server's certificate, in the owner's words; null for any other failure. */
    private String certificateProblem(List<Throwable> chain, String all, String detail) {
        boolean aboutCertificate = chain.stream().anyMatch(t -> t instanceof CertificateException || t instanceof CertPathBuilderException
                || t instanceof CertPathValidatorException) || all.contains("pkix") || all.contains("certification path");
        if (!aboutCertificate) {
            return null;
        }
        if (chain.stream().anyMatch(t -> t instanceof CertificateExpiredException)) {
            return "the remote's certificate has expired (" + detail + "); its owner must renew it";
        }
        if (all.contains("no subject alternative") || all.contains("no name matching")) {
            return "the remote's certificate is not made out to the host in its URL (" + detail
                    + "); use the host name the certificate names in the remote's URL";
        }
        if (transports.hasCaFile()) {
            return "the remote's certificate is not trusted, not even by GIT_CA_FILE " + transports.caFile()
                    + ": that file must hold the CA that signed the server's certificate";
        }
        return "the remote's certificate is not trusted: set GIT_CA_FILE to a PEM file of the CA that signed it";
    }

    private static boolean isHttp(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://");
    }

    private static boolean isNetwork(Throwable t) {
        return t instanceof UnknownHostException || t instanceof ConnectException || t instanceof NoRouteToHostException
                || t instanceof PortUnreachableException || t instanceof InterruptedIOException
                || (t instanceof SocketException && !(t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains("permission")));
    }

    private static boolean isLocalPath(String url) {
        return url.startsWith("/") || url.startsWith("file:") || url.startsWith(".") || url.matches("^[A-Za-z]:[\\\\/].*");
    }

    private static String innermost(List<Throwable> chain) {
        for (int i = chain.size() - 1; i >= 0; i--) {
            String m = chain.get(i).getMessage();
            if (m != null && !m.isBlank()) {
                return m.replaceAll("\\s+", " ").strip();
            }
        }
        return chain.get(chain.size() - 1).getClass().getSimpleName();
    }
}
