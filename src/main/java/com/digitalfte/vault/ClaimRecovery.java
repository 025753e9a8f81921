package com.digitalfte.vault;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.audit.JsonLines;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the claims of a dead agent back to the queue: a task claimed for drafting more than
 * {@code CLAIM_TIMEOUT} ago, by an agent whose heartbeat is older than {@code staleAfter}, returns to
 * {@code Needs_Action/} through the claim protocol. Claims that carry a draft are approved work;
 * only their own executor reconciles them.
 */
public final class ClaimRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(ClaimRecovery.class);

    private final Vault vault;
    private final ClaimService claims;
    private final AuditLog audit;
    private final String self;
    private final Duration claimTimeout;
    private final Duration staleAfter;
    private final Clock clock;

    public ClaimRecovery(Vault vault, ClaimService claims, AuditLog audit, String self,
                         Duration claimTimeout, Duration staleAfter, Clock clock) {
        this.vault = vault;
        this.claims = claims;
        this.audit = audit;
        this.self = self;
        this.claimTimeout = claimTimeout;
        this.staleAfter = staleAfter;
        this.clock = clock;
    }

    /** The ids given back to {@code Needs_Action/}. */
    public List<String> recover() throws IOException {
        List<String> recovered = new ArrayList<>();
        Path inProgress = vault.folder(Folder.IN_PROGRESS);
        if (!Files.isDirectory(inProgress)) {
            return recovered;
        }
        Instant now = clock.instant();
        try (DirectoryStream<Path> agents = Files.newDirectoryStream(inProgress, Files::isDirectory)) {
            for (Path agentDir : agents) {
                String agent = agentDir.getFileName().toString();
                if (agent.equals(self) || alive(agent, now)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(agentDir, "[!.]*.md")) {
                    for (Path f : files) {
                        if (Duration.between(Files.getLastModifiedTime(f).toInstant(), now).compareTo(claimTimeout) < 0 || drafted(f)) {
                            continue;
                        }
                        if (claims.transfer(f, vault.folder(Folder.NEEDS_ACTION)).isPresent()) {
                            String id = f.getFileName().toString().replaceFirst("\\.md$", "");
                            recovered.add(id);
                            audit.record("claim_recovered", id, Map.of("from_agent", agent), "n/a", null, "back_in_needs_action");
                            LOG.warn("Task {} was claimed by {}, which has not been seen for over {} minute(s); it is back in Needs_Action",
                                    id, agent, staleAfter.toMinutes());
                        }
                    }
                }
            }
        }
        return recovered;
    }

    private boolean drafted(Path f) {
        try {
            return vault.read(f).section(TaskFile.DRAFT).isPresent();
        } catch (IOException | TaskFormatException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private boolean alive(String agent, Instant now) {
        Path hb = vault.heartbeats().resolve(agent + ".json");
        try {
            Map<String, Object> m = JsonLines.JSON.readValue(hb.toFile(), Map.class);
            return Duration.between(Instant.parse(String.valueOf(m.get("last_seen"))), now).compareTo(staleAfter) <= 0;
        } catch (IOException | RuntimeException noHeartbeat) {
            return false;
        }
    }
}
