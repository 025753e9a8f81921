package com.digitalfte.channel.whatsapp;

import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the owner on WhatsApp what waits for approval: who, what, the id, the version, how to
 * approve. What arrives in a burst goes in one message, once no new task came for a moment; in the quiet hours it waits (on disk,
 * a restart included) and goes when they end. Within 24 hours of the owner's last message it is
 * free text; outside, the approved template {@code TWILIO_NOTIFY_TEMPLATE_SID} (a free-form message
 * would be refused, 63016), or, with none set, free text all the same, whose refusal the Dashboard
 * then shows with what to do.
 */
public final class OwnerNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(OwnerNotifier.class);
    private static final int LINES = 15;
    private static final int TEMPLATE_LINES = 3;
    private static final int TEMPLATE_VARIABLE = 500;
    /** Tasks that keep arriving more often than the settling time are told of at least this often. */
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(1);

    private final PendingApprovals pending;
    private final DraftVersions versions;
    private final TwilioMessages messages;
    private final String owner;
    private final SessionWindows windows;
    private final QuietHours quietHours;
    private final String templateSid;
    private final WhatsAppProblems problems;
    private final Clock clock;
    private final Path queueFile;
    private final Duration settle;
    private final Set<String> queue = new LinkedHashSet<>();
    private Instant firstWaiting;
    private Instant lastWaiting;
    private boolean holding;
    private boolean retrying;

    /**
     * {@code clock}: in the zone the quiet hours are read in; {@code templateSid}: empty for none;
     * {@code settle}: how long no new task must arrive before what waits is sent, so a burst is one message.
     */
    public OwnerNotifier(PendingApprovals pending, DraftVersions versions, TwilioMessages messages, String owner, SessionWindows windows,
                         QuietHours quietHours, String templateSid, WhatsAppProblems problems, Clock clock, Path queueFile, Duration settle) {
        this.settle = settle;
        this.pending = pending;
        this.versions = versions;
        this.messages = messages;
        this.owner = owner;
        this.windows = windows;
        this.quietHours = quietHours;
        this.templateSid = templateSid == null ? "" : templateSid.strip();
        this.problems = problems;
        this.clock = clock;
        this.queueFile = queueFile;
        try {
            if (Files.isRegularFile(queueFile)) {
                Files.readAllLines(queueFile, StandardCharsets.UTF_8).stream().map(String::strip).filter(l -> !l.isEmpty()).forEach(queue::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + queueFile, e);
        }
        firstWaiting = lastWaiting = queue.isEmpty() ? null : clock.instant();
    }

    /** A task reached Pending_Approval/: the owner hears of it with the next send. */
    public synchronized void waiting(String id) {
        if (queue.add(id)) {
            save();
            lastWaiting = clock.instant();
            if (firstWaiting == null) {
                firstWaiting = lastWaiting;
            }
        }
    }

    /** Sends what waits to be told, in one message, unless it is the quiet hours; how many tasks it told of. */
    public synchronized int flush() {
        Instant now = clock.instant();
        if (queue.isEmpty() || now.isBefore(lastWaiting.plus(settle)) && now.isBefore(firstWaiting.plus(LONGEST_WAIT))) {
            return 0;
        }
        if (quietHours.quiet(ZonedDateTime.now(clock))) {
            if (!holding) {
                holding = true;
                LOG.info("WhatsApp notifications wait for the end of the quiet hours ({}, NOTIFY_QUIET_HOURS)", quietHours);
            }
            return 0;
        }
        holding = false;
        List<PendingApprovals.Pending> waiting = new ArrayList<>();
        queue.forEach(id -> pending.find(id).ifPresent(waiting::add));
        if (waiting.isEmpty()) {
            clear();
            return 0;
        }
        boolean freeText = windows.open(owner, null) || templateSid.isEmpty();
        List<PendingApprovals.Pending> told = waiting.subList(0, Math.min(freeText ? LINES : TEMPLATE_LINES, waiting.size()));
        // the numbers and versions the message shows are in effect before it can be read; put back if it does not go
        List<String> numberedBefore = pending.numbered();
        Map<String, String> shownBefore = new LinkedHashMap<>();
        told.forEach(p -> shownBefore.put(p.id(), versions.lastShown(p.id()).orElse(DraftVersions.NONE)));
        pending.numbered(told.stream().map(PendingApprovals.Pending::id).toList());
        told.forEach(p -> versions.shown(p.id(), p.version()));
        try {
            if (freeText) {
                sendText(told, waiting.size());
            } else {
                sendTemplate(told, waiting.size());
            }
        } catch (TwilioException notSent) {
            pending.numbered(numberedBefore);
            shownBefore.forEach(versions::shown);
            // a notification told twice is better than none: only a refusal (a 4xx, not a 429) is given up on
            if (notSent instanceof ApiException refused && refused.getStatusCode() != null && refused.getStatusCode() < 500
                    && refused.getStatusCode() != 429) {
                problems.refused(owner, "the notification of " + waiting.size() + " task(s) waiting for approval", refused.getCode(),
                        refused.getMessage());
                clear();
            } else if (!retrying) {
                retrying = true;
                LOG.warn("WhatsApp: the notification of {} task(s) waiting for approval did not go through Twilio ({}); tried again"
                        + " every few seconds, without another line, until it does", waiting.size(), notSent.getMessage());
            }
            return 0;
        }
        if (retrying) {
            retrying = false;
            LOG.info("WhatsApp: notifications go through Twilio again");
        }
        clear();
        LOG.info("WhatsApp: the owner was told of {} task(s) waiting for approval", waiting.size());
        return waiting.size();
    }

    private void sendText(List<PendingApprovals.Pending> told, int waiting) {
        StringBuilder text = new StringBuilder();
        if (waiting == 1) {
            text.append("Waiting for your approval: ").append(told.get(0).line()).append(".\n")
                    .append("Reply approve 1 to send it, show 1 to read it first, or reject 1 [reason].");
        } else {
            text.append(waiting).append(" waiting for your approval:\n");
            for (int i = 0; i < told.size(); i++) {
                text.append(i + 1).append(". ").append(told.get(i).line()).append('\n');
            }
            if (waiting > told.size()) {
                text.append("and ").append(waiting - told.size()).append(" more: send list.\n");
            }
            text.append("Reply approve <number> to send one, show <number> to read it first, or reject <number> [reason].");
        }
        messages.text(owner, PendingApprovals.clip(text.toString(), TwilioMessages.MAX_BODY));
    }

    /** The template's {{1}}: how many wait; {{2}}: the first few, one line (a template variable holds no line break). */
    private void sendTemplate(List<PendingApprovals.Pending> told, int waiting) {
        StringBuilder summary = new StringBuilder();
        for (int i = 0; i < told.size(); i++) {
            summary.append(i == 0 ? "" : "; ").append(i + 1).append(". ").append(told.get(i).line());
        }
        if (waiting > told.size()) {
            summary.append("; and ").append(waiting - told.size()).append(" more");
        }
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("1", waiting == 1 ? "1 draft" : waiting + " drafts");
        variables.put("2", PendingApprovals.clip(PendingApprovals.oneLine(summary.toString()), TEMPLATE_VARIABLE));
        messages.template(owner, templateSid, variables);
    }

    private void clear() {
        queue.clear();
        firstWaiting = lastWaiting = null;
        save();
    }

    private void save() {
        try {
            Files.createDirectories(queueFile.getParent());
            Path temp = queueFile.resolveSibling(queueFile.getFileName() + ".tmp");
            Files.writeString(temp, String.join("\n", queue) + "\n", StandardCharsets.UTF_8);
            Files.move(temp, queueFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + queueFile, e);
        }
    }
}
