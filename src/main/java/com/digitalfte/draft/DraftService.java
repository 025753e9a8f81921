package com.digitalfte.draft;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.vault.ClaimService;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskFormatException;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.nio.file.DirectoryStream;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The cloud's work on a new task: claim it, draft it, hand the draft over in {@code Updates/}. */
public final class DraftService {

    private static final Logger LOG = LoggerFactory.getLogger(DraftService.class);

    private final Vault vault;
    private final ClaimService claims;
    private final Drafter drafter;
    private final AuditLog audit;
    private final String agentName;
    private final List<Path> claimedBeforeStart;

    public DraftService(Vault vault, ClaimService claims, Drafter drafter, AuditLog audit, String agentName) {
        this.vault = vault;
        this.claims = claims;
        this.drafter = drafter;
        this.audit = audit;
        this.agentName = agentName;
        this.claimedBeforeStart = listClaims(vault.inProgress(agentName));
    }

    /**
     * What this agent had claimed but not drafted when it stopped: the paths to draft now. Only
     * claims that were there before this start count; newer ones are being drafted already.
     * Claims that carry a draft are approved work for an executor, not for the drafter.
     */
    public synchronized List<String> unfinishedClaims() throws IOException {
        List<String> result = new ArrayList<>();
        for (Path f : claimedBeforeStart) {
            if (!Files.exists(f)) {
                continue;
            }
            try {
                if (vault.read(f).section(TaskFile.DRAFT).isEmpty()) {
                    result.add(f.toString());
                }
            } catch (TaskFormatException bad) {
                result.add(f.toString());
            }
        }
        claimedBeforeStart.clear();
        if (!result.isEmpty()) {
            LOG.info("Resuming {} task(s) claimed before a restart", result.size());
        }
        return result;
    }

    private static List<Path> listClaims(Path dir) {
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[!.]*.md")) {
                files.forEach(found::add);
            } catch (IOException e) {
                LOG.warn("Cannot list {}: {}", dir, e.getMessage());
            }
        }
        return found;
    }

    /** The claimed file's path, or {@code null} when another agent took it first. */
    public String claim(String fileName) throws IOException {
        return claims.claim(vault.folder(Folder.NEEDS_ACTION).resolve(fileName))
                .map(Path::toString)
                .orElseGet(() -> {
                    LOG.info("Task {} was claimed by another agent", fileName);
                    return null;
                });
    }

    /**
     * Drafts the claimed task and moves it to {@code Updates/}; returns its id. The handbook's triage
     * comes first: an ignored message goes to {@code Rejected/} undrafted, an urgent one is marked,
     * one that needs more than a reply also gets a plan in {@code Plans/}.
     */
    public String draft(String claimedPath) throws IOException, TaskFormatException {
        Path claimed = Path.of(claimedPath);
        TaskFile task = vault.read(claimed);
        Handbook handbook = Handbook.load(vault.root().resolve("Company_Handbook.md"));
        Triage.Decision triage = new Triage(handbook).decide(task);
        if (triage.verdict() == Triage.Verdict.IGNORE) {
            task.with("triage", "ignored (" + triage.rule() + ")");
            vault.rewriteAndMove(claimed, task, vault.folder(Folder.REJECTED));
            audit.record("task_ignored", task.id(), Map.of("rule", triage.rule()), "not_required", "handbook", "ignored");
            LOG.info("Task {} is ignored by the handbook rule '{}'; it is in Rejected", task.id(), triage.rule());
            return task.id();
        }
        if (triage.verdict() == Triage.Verdict.URGENT) {
            task.with("priority", "urgent").with("triage", "urgent (" + triage.rule() + ")");
        }
        String text = drafter.draft(task, handbook);
        task.with("drafted_by", drafter.name())
                .with("drafted_on", agentName)
                .with("drafted", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                .withSection(TaskFile.DRAFT, text);
        if (triage.verdict() == Triage.Verdict.PLAN) {
            List<String> steps = createSteps(task, triage.stepTypes());
            String plan = writePlan(task, triage.rule(), steps);
            task.with("plan", plan).with("triage", "needs a plan (" + triage.rule() + ")");
        }
        vault.rewriteAndMove(claimed, task, vault.folder(Folder.UPDATES));
        audit.record("draft_created", task.id(), Map.of("type", task.type(), "drafter", drafter.name()),
                "pending", null, "drafted");
        LOG.info("Drafted task {} with the {} drafter; in Updates", task.id(), drafter.name());
        return task.id();
    }

    /**
     * Each step the plan's rules name becomes its own task in {@code Needs_Action/}, with the
     * message as its original: {@code odoo_invoice} for an invoice is {@code INVOICE_<id>}.
     */
    private List<String> createSteps(TaskFile task, List<String> types) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String type : types) {
            String prefix = type.equals("odoo_invoice") ? "INVOICE" : type.replaceFirst("_.*", "").toUpperCase(java.util.Locale.ROOT);
            String id = prefix + "_" + task.id();
            if (!com.digitalfte.vault.TaskIds.isValid(id) || vault.contains(id)) {
                continue;
            }
            TaskFile step = TaskFile.create(id, type).with("channel", task.getOrEmpty("channel"))
                    .with("from", task.getOrEmpty("from")).with("subject", task.getOrEmpty("subject"))
                    .with("plan_of", task.id())
                    .with("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                    .withSection(TaskFile.ORIGINAL, task.section(TaskFile.ORIGINAL).orElse(""));
            vault.write(vault.folder(Folder.NEEDS_ACTION), step);
            audit.record("task_created", id, Map.of("type", type, "plan_of", task.id()), "not_required", null, "created");
            ids.add(id);
        }
        return ids;
    }

    /** {@code Plans/PLAN_<id>.md}: the steps the owner should see through, the reply being the first. */
    private String writePlan(TaskFile task, String rule, List<String> steps) throws IOException {
        String name = "PLAN_" + task.id() + ".md";
        StringBuilder text = new StringBuilder("# Plan for " + task.id() + "\n\n"
                + "The message from " + task.getOrEmpty("from") + " about \"" + task.getOrEmpty("subject").replace("\"", "'")
                + "\" asks for more than a reply (handbook: " + rule + ").\n\n"
                + "- [ ] Approve the reply: task `" + task.id() + "`\n");
        for (String step : steps) {
            text.append("- [ ] Approve task `").append(step).append("` once it is drafted\n");
        }
        if (steps.isEmpty()) {
            text.append("- [ ] Do what it asks, then tick this box\n");
        }
        text.append("- [ ] Follow up with ").append(task.getOrEmpty("from")).append(" once it is done\n");
        vault.writeAtomically(vault.root().resolve("Plans").resolve(name), text.toString());
        return "Plans/" + name;
    }
}
