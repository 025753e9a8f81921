package com.digitalfte.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats travel on a branch of their own per agent, {@code digitalfte/heartbeat/<agent>}, never
 * in the vault's history: an idle vault makes no commits. Each publication is one small commit on
 * top of the previous one, holding the agent's {@code Updates/agents/<agent>.json} without its
 * {@code last_seen}, which is the commit's time instead; while the agent's state stays the same the
 * commit reuses the tree, so a heartbeat costs one object, all of them reachable (packed by any gc,
 * no loose garbage on the server). The other agents' heartbeats are written to
 * {@code Updates/agents/} here after each fetch, with {@code last_seen} from their commit.
 */
final class Heartbeats {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeats.class);
    static final String BRANCH_PREFIX = "digitalfte/heartbeat/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final VaultRepository repo;
    private final String agent;
    private final String remote;
    private final Duration every;
    private byte[] published;
    private Instant publishedAt = Instant.EPOCH;
    private ObjectId pending;
    private byte[] pendingState;

    /** {@code every}: a heartbeat whose state did not change is published again after this long, at the next sync. */
    Heartbeats(VaultRepository repo, String agent, String remote, Duration every) {
        this.repo = repo;
        this.agent = agent;
        this.remote = remote;
        this.every = every;
    }

    private Path ownFile() {
        return repo.vault().heartbeats().resolve(agent + ".json");
    }

    private String remoteRef(String name) {
        return Constants.R_HEADS + BRANCH_PREFIX + name;
    }

    private String trackingPrefix() {
        return Constants.R_REMOTES + remote + "/" + BRANCH_PREFIX;
    }

    /**
     * The refspec that publishes this agent's heartbeat, or null when it was published a moment ago
     * with the same state (or there is none yet).
     */
    RefSpec toPublish(Instant now) throws IOException {
        Path file = ownFile();
        if (!Files.isRegularFile(file)) {
            return null;
        }
        byte[] state = withoutLastSeen(Files.readAllBytes(file));
        if (state == null || (Arrays.equals(state, published) && Duration.between(publishedAt, now).compareTo(every) < 0)) {
            return null;
        }
        try (ObjectInserter inserter = repo.repo().newObjectInserter()) {
            ObjectId blob = inserter.insert(Constants.OBJ_BLOB, state);
            TreeFormatter tree = new TreeFormatter();
            tree.append(agent + ".json", FileMode.REGULAR_FILE, blob);
            ObjectId previous = repo.repo().resolve(trackingPrefix() + agent);
            pending = inserter.insert(repo.commitOf(inserter.insert(tree), "heartbeat", previous));
            inserter.flush();
        }
        pendingState = state;
        return new RefSpec(pending.name() + ":" + remoteRef(agent)).setForceUpdate(true);
    }

    /** The remote took the heartbeat. */
    void published(Instant now) {
        published = pendingState;
        publishedAt = now;
    }

    /** Writes the heartbeats of the other agents, as the last fetch brought them, to {@code Updates/agents/}. */
    int materialize() throws IOException {
        int written = 0;
        for (Ref ref : repo.repo().getRefDatabase().getRefsByPrefix(trackingPrefix())) {
            String name = ref.getName().substring(trackingPrefix().length());
            if (name.equals(agent) || !com.digitalfte.vault.Vault.isAgentName(name) || ref.getObjectId() == null) {
                continue;
            }
            try (RevWalk walk = new RevWalk(repo.repo())) {
                RevCommit commit = walk.parseCommit(ref.getObjectId());
                try (TreeWalk tw = TreeWalk.forPath(repo.repo(), name + ".json", commit.getTree())) {
                    if (tw == null) {
                        continue;
                    }
                    byte[] text = withLastSeen(repo.bytes(tw.getObjectId(0)), commit.getCommitterIdent().getWhenAsInstant());
                    Path target = repo.vault().heartbeats().resolve(name + ".json");
                    if (text != null && !(Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), text))) {
                        repo.vault().writeAtomically(target, text);
                        written++;
                    }
                }
            } catch (IOException | RuntimeException unreadable) {
                LOG.debug("The heartbeat of {} cannot be read: {}", name, unreadable.getMessage());
            }
        }
        return written;
    }

    private static byte[] withoutLastSeen(byte[] json) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(json);
            node.remove("last_seen");
            return (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException | ClassCastException halfWritten) {
            return null;
        }
    }

    private static byte[] withLastSeen(byte[] json, Instant when) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(json);
            ObjectNode result = JSON.createObjectNode();
            node.fields().forEachRemaining(f -> {
                result.set(f.getKey(), f.getValue());
                if (f.getKey().equals("type")) {
                    result.put("last_seen", when.toString());
                }
            });
            if (!result.has("last_seen")) {
                result.put("last_seen", when.toString());
            }
            return (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException | ClassCastException unreadable) {
            return null;
        }
    }
}
