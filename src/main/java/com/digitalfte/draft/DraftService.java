package com.digitalfte.draft;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.odoo.Invoice;
import com.digitalfte.odoo.InvoiceTable;
import com.digitalfte.odoo.Payment;
import com.digitalfte.odoo.Rates;
import com.digitalfte.vault.ClaimService;
import com.digitalfte.vault.Folder;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskFormatException;
import com.digitalfte.vault.TaskIds;
import com.digitalfte.vault.Vault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.nio.file.DirectoryStream;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The cloud's work on a new task: claim it, draft it, hand the draft over in {@code Updates/}. */
public final class DraftService {

    private static final Logger LOG = LoggerFactory.getLogger(DraftService.class);
    private static final Drafter TEMPLATE = new TemplateDrafter();
    /** A step is drafted without triage: it was triaged as part of its message. */
    private static final Triage.Decision NOT_TRIAGED = new Triage.Decision("", "", "", List.of());
    /** The id prefixes of DESIGN.md §3; another type's prefix is its name in capitals, without '_'. */
    private static final Map<String, String> ID_PREFIXES = Map.of("email_reply", "EMAIL", "x_reply", "X", "x_post", "XPOST",
            "linkedin_post", "LINKEDIN", "facebook_post", "FB", "instagram_post", "IG", "whatsapp_reply", "WHATSAPP",
            "odoo_invoice", "INVOICE", "odoo_payment", "PAYMENT");

    private final Vault vault;
    private final ClaimService claims;
    private final Drafter drafter;
    private final AuditLog audit;
    private final String agentName;
    private final HandbookFile handbookFile;
    private final List<Path> claimedBeforeStart;

    public DraftService(Vault vault, ClaimService claims, Drafter drafter, AuditLog audit, String agentName) {
        this(vault, claims, drafter, audit, agentName, new HandbookFile(vault.root().resolve("Company_Handbook.md")));
    }

    public DraftService(Vault vault, ClaimService claims, Drafter drafter, AuditLog audit, String agentName, HandbookFile handbookFile) {
        this.handbookFile = handbookFile;
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

    /**
     * Claims, in one go, what of this poll's files the share lets this agent take now; the claimed
     * paths (none when another agent was first, or the remote moved on: the next poll tries again).
     */
    public List<String> claimBatch(List<String> fileNames, ClaimShare share) throws IOException {
        List<Path> chosen = share.choose(fileNames);
        if (chosen.isEmpty()) {
            return List.of();
        }
        List<String> claimed = claims.claimAll(chosen).stream().map(Path::toString).toList();
        if (claimed.isEmpty()) {
            LOG.debug("{} task(s) not claimed now; they stay in Needs_Action while they are there", chosen.size());
        }
        return claimed;
    }

    /** The claimed file's path, or {@code null} when another agent took it first. */
    public String claim(String fileName) throws IOException {
        Path file = vault.folder(Folder.NEEDS_ACTION).resolve(fileName);
        return claims.claim(file)
                .map(Path::toString)
                .orElseGet(() -> {
                    if (Files.exists(file)) {
                        // not now (a remote that refuses us, a race lost again and again): the next poll tries again
                        LOG.debug("Task {} is not claimed now; it stays in Needs_Action", fileName);
                    } else {
                        LOG.info("Task {} was claimed by another agent", fileName);
                    }
                    return null;
                });
    }

    /**
     * Drafts the claimed task and moves it to {@code Updates/}; returns its id. The handbook's triage
     * comes first: an ignored message goes to {@code Rejected/} undrafted, an urgent one is marked,
     * one that needs more than a reply also gets a plan in {@code Plans/} and a task for each step.
     * A step (a task with {@code plan_of}) is drafted as it is: it is not triaged again, so it never
     * makes a plan or steps of its own, and it keeps the priority its message had.
     */
    public String draft(String claimedPath) throws IOException, TaskFormatException, ModelFailedException {
        return draft(claimedPath, drafter, null);
    }

    /**
     * Drafts with the template drafter after the model failed its last try (the route's redelivery
     * made those): the task is never lost or stuck, and {@code drafted_by} says why.
     */
    public String draftWithFallback(String claimedPath, Exception failure) throws IOException, TaskFormatException, ModelFailedException {
        String reason = ModelFailedException.reason(failure);
        LOG.warn("Task {} is drafted by the template drafter instead: {} failed its last try ({})",
                Path.of(claimedPath).getFileName(), drafter.name(), reason);
        return draft(claimedPath, TEMPLATE, "template (fallback: " + drafter.name() + " failed: " + reason + ")");
    }

    private String draft(String claimedPath, Drafter with, String draftedBy) throws IOException, TaskFormatException, ModelFailedException {
        Path claimed = Path.of(claimedPath);
        TaskFile task = vault.read(claimed);
        Handbook handbook = handbookFile.current();
        Triage.Decision triage = isStep(task) ? NOT_TRIAGED : handbook.triage().decide(task);
        if (triage.ignored()) {
            task.with("triage", "ignored (" + triage.ignoredBy() + ")");
            vault.rewriteAndMove(claimed, task, vault.folder(Folder.REJECTED));
            audit.record("task_ignored", task.id(), Map.of("rule", triage.ignoredBy()), "not_required", "handbook", "ignored");
            LOG.info("Task {} is ignored by the handbook rule '{}'; it is in Rejected", task.id(), triage.ignoredBy());
            return task.id();
        }
        if (triage.urgent()) {
            task.with("priority", "urgent").with("triage", "urgent (" + triage.urgentBy() + ")");
        }
        String text;
        try {
            text = draftText(task, with, handbook);
        } catch (RuntimeException e) {
            throw new ModelFailedException(with.name(), e);
        }
        String by = draftedBy != null ? draftedBy : with.name();
        task.with("drafted_by", by)
                .with("drafted_on", agentName)
                .with("drafted", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                .withSection(TaskFile.DRAFT, text);
        // the owner sees it before approving; the approval refuses it until it is shortened
        com.digitalfte.channel.PostLengths.tooLong(task.type(), text).ifPresent(why -> task.with("draft_warning", why));
        if (triage.needsPlan()) {
            task.with("plan", plan(task, triage)).with("triage", (triage.urgent() ? "urgent, " : "") + "needs a plan (" + triage.plannedBy() + ")");
        }
        vault.rewriteAndMove(claimed, task, vault.folder(Folder.UPDATES));
        audit.record("draft_created", task.id(), Map.of("type", task.type(), "drafter", by), "pending", null, "drafted");
        LOG.info("Drafted task {} with the {} drafter; in Updates", task.id(), with.name());
        return task.id();
    }

    /**
     * The {@code ## Draft}. An invoice's is its front matter (what will be posted: customer, lines
     * priced from {@code Accounting/Rates.md}, unknowns as "?") shown as a table; a payment's says
     * what will be registered. Anything else is the drafter's text.
     */
    private String draftText(TaskFile task, Drafter with, Handbook handbook) throws IOException {
        if (Invoice.TYPE.equals(task.type())) {
            Rates rates = rates();
            Invoice invoice = with.invoice(task, rates, LocalDate.now());
            invoice.writeTo(task);
            return InvoiceTable.draft(invoice, rates.problems());
        }
        if (Payment.TYPE.equals(task.type())) {
            return Payment.draftInto(task, task.getOrEmpty("subject") + "\n" + task.section(TaskFile.ORIGINAL).orElse(""), LocalDate.now());
        }
        return with.draft(task, handbook);
    }

    /** The owner's rates, read at each invoice draft (a short note); none when there is no such note. */
    private Rates rates() throws IOException {
        Path file = vault.root().resolve("Accounting").resolve("Rates.md");
        if (!Files.isRegularFile(file)) {
            return Rates.none();
        }
        try {
            return Rates.parse(Vault.readText(file));
        } catch (TaskFormatException notText) {
            LOG.warn("Accounting/Rates.md cannot be read ({}); invoices are drafted without rates", notText.getMessage());
            return Rates.none();
        }
    }

    private static boolean isStep(TaskFile task) {
        return !task.getOrEmpty("plan_of").isBlank();
    }

    /**
     * The message's plan, {@code Plans/PLAN_<id>.md}, and a task for each of its steps. The plan is
     * written once: a redraft of the same message (a claim returned after a crash, a task moved back
     * by the owner) finds it and makes no step again, and the boxes the owner ticked stay ticked.
     * The steps are written before the plan, so a crash between them loses no step.
     */
    private String plan(TaskFile task, Triage.Decision triage) throws IOException {
        String name = "PLAN_" + task.id() + ".md";
        Path plan = vault.root().resolve("Plans").resolve(name);
        if (Files.exists(plan)) {
            LOG.info("Task {} already has its plan {}; no step is made again", task.id(), name);
        } else {
            writePlan(plan, task, triage.plannedBy(), createSteps(task, triage.stepTypes()));
        }
        return "Plans/" + name;
    }

    /**
     * Each step the plan's rules name becomes its own task in {@code Needs_Action/}, with the
     * message as its original: {@code odoo_invoice} for {@code EMAIL_x} is {@code INVOICE_EMAIL_x}.
     * A step of the message's own type is the message's own work, and an id that would nest its own
     * prefix ({@code INVOICE_INVOICE_...}) is never made. Returns the steps' ids, those that already
     * exist (made before a crash) included.
     */
    private List<String> createSteps(TaskFile task, List<String> types) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String type : types) {
            String prefix = ID_PREFIXES.getOrDefault(type, type.replace("_", "").toUpperCase(Locale.ROOT));
            String id = prefix + "_" + task.id();
            if (type.equals(task.type()) || task.id().startsWith(prefix + "_")) {
                LOG.info("Task {} is not given a {} step: that is the task itself", task.id(), type);
                continue;
            }
            if (!TaskIds.isValid(id)) {
                LOG.warn("Task {} is not given a {} step: its id {} would be too long", task.id(), type, id);
                continue;
            }
            ids.add(id);
            if (vault.contains(id)) {
                continue;
            }
            // no channel: a step is not a reply on the message's channel, and its type's own executor takes it
            TaskFile step = TaskFile.create(id, type)
                    .with("from", task.getOrEmpty("from")).with("subject", task.getOrEmpty("subject"))
                    .with("plan_of", task.id())
                    .with("priority", task.get("priority").orElse(null))
                    .with("redacted", task.get("redacted").orElse(null))
                    .with("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                    .withSection(TaskFile.ORIGINAL, task.section(TaskFile.ORIGINAL).orElse(""));
            vault.write(vault.folder(Folder.NEEDS_ACTION), step);
            audit.record("task_created", id, Map.of("type", type, "plan_of", task.id()), "not_required", null, "created");
        }
        return ids;
    }

    /** The steps the owner should see through, the reply being the first. */
    private void writePlan(Path plan, TaskFile task, String rule, List<String> steps) throws IOException {
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
        vault.writeAtomically(plan, text.toString());
    }
}
