package com.digitalfte.sync;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

/**
 * JGit's reading of {@code known_hosts} (OpenSSH's format, hashed entries, markers), with two
 * changes. It never asks anybody whether to trust a key: with OpenSSH's default
 * {@code StrictHostKeyChecking ask} and nobody at a terminal, an unknown key is refused, whatever
 * credentials the transport carries. And it remembers the key it refused, because sshd then only
 * says "Server key did not validate": the owner needs the fingerprint and the line that adds it.
 */
final class HostKeys implements ServerKeyDatabase {

    /** A host key this agent refused, with what the owner can do about it. */
    record Refusal(String host, int port, String type, String fingerprint, String knownHosts, boolean changed) {

        /** In the owner's words: what was refused, and the command that fixes it once the fingerprint is checked. */
        String reason() {
            String key = "the remote's host key (" + type.toUpperCase(Locale.ROOT) + " " + fingerprint + ")";
            String keyscan = "ssh-keyscan " + (port == 22 ? "" : "-p " + port + " ") + "-t " + type + " " + host + " >> " + knownHosts;
            if (changed) {
                String entry = port == 22 ? host : "[" + host + "]:" + port;
                return key + " is not the one " + knownHosts + " has for " + entry
                        + ": if the server was reinstalled, check the new fingerprint with its owner, then run ssh-keygen -R '" + entry
                        + "' -f " + knownHosts + " and " + keyscan + "; if not, someone may be between you and the server";
            }
            return key + " is not in " + knownHosts + ": check the fingerprint with the server's owner, then run " + keyscan;
        }
    }

    private final ServerKeyDatabase openSsh;
    private final Path defaultKnownHosts;
    /** One agent, one remote: the host in the URL may be an alias of ~/.ssh/config, so the last refusal is the one. */
    private volatile Refusal refused;

    HostKeys(ServerKeyDatabase openSsh, Path defaultKnownHosts) {
        this.openSsh = openSsh;
        this.defaultKnownHosts = defaultKnownHosts;
    }

    @Override
    public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
        return openSsh.lookup(connectAddress, remoteAddress, config);
    }

    @Override
    public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey, Configuration config,
            CredentialsProvider provider) {
        if (openSsh.accept(connectAddress, remoteAddress, serverKey, config, null)) {
            refused = null;
            return true;
        }
        List<String> files = config.getUserKnownHostsFiles();
        String knownHosts = files == null || files.isEmpty() ? defaultKnownHosts.toString() : files.get(0);
        boolean changed = !openSsh.lookup(connectAddress, remoteAddress, config).isEmpty();
        Endpoint at = Endpoint.of(connectAddress);
        refused = new Refusal(at.host(), at.port(), keyscanType(KeyUtils.getKeyType(serverKey)),
                KeyUtils.getFingerPrint(BuiltinDigests.sha256, serverKey), knownHosts, changed);
        return false;
    }

    /** The last key refused, until a key is accepted. */
    Optional<Refusal> refusal() {
        return Optional.ofNullable(refused);
    }

    /** OpenSSH's short name of a key type, as ssh-keyscan -t takes it: "ssh-ed25519" is ed25519. */
    private static String keyscanType(String keyType) {
        if (keyType == null) {
            return "ed25519";
        }
        if (keyType.startsWith("ecdsa-")) {
            return "ecdsa";
        }
        return keyType.startsWith("ssh-") ? keyType.substring(4) : keyType;
    }

    /** JGit names the address "host" on port 22 and "[host]:port" elsewhere, as known_hosts does. */
    private record Endpoint(String host, int port) {

        static Endpoint of(String connectAddress) {
            if (connectAddress.startsWith("[")) {
                int close = connectAddress.indexOf("]:");
                if (close > 0) {
                    return new Endpoint(connectAddress.substring(1, close), Integer.parseInt(connectAddress.substring(close + 2)));
                }
            }
            return new Endpoint(connectAddress, 22);
        }
    }
}
