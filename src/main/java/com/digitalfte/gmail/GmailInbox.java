package com.digitalfte.gmail;

import com.digitalfte.health.ChannelHealth;
import com.digitalfte.vault.DurableFiles;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.services.gmail.Gmail;
import com.google.api.services.gmail.model.History;
import com.google.api.services.gmail.model.HistoryMessageAdded;
import com.google.api.services.gmail.model.ListHistoryResponse;
import com.google.api.services.gmail.model.ListMessagesResponse;
import com.google.api.services.gmail.model.Message;
import com.google.api.services.gmail.model.MessagePart;
import com.google.api.services.gmail.model.MessagePartHeader;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * New mail in the Gmail inbox, incrementally: {@code users.history.list} from the saved
 * {@code historyId} (in {@code .state/}, written atomically and fsynced), messages added to INBOX;
 * a full resync of the inbox when Gmail answers 404 (the saved id expired) or the saved cursor is
 * empty or unreadable. Only a first start, with no cursor file at all, watches from now on. The
 * owner's own SENT and DRAFT messages never become tasks; whether a message was read (on the
 * phone) does not matter.
 */
public final class GmailInbox {

    private static final Logger LOG = LoggerFactory.getLogger(GmailInbox.class);
    private static final String ME = "me";
    private static final String CHANNEL = "gmail-in";
    private static final Pattern HISTORY_ID = Pattern.compile("\\d{1,20}");
    /** How many of the newest inbox messages a resync looks at. */
    private static final long RESYNC_MESSAGES = 100;

    private final Gmail gmail;
    private final Path cursorFile;
    private final String query;
    private final ChannelHealth health;
    private volatile BigInteger pending;

    public GmailInbox(Gmail gmail, Path cursorFile, String query) {
        this(gmail, cursorFile, query, new ChannelHealth(java.time.Clock.systemUTC()));
    }

    /** {@code health}: where each poll's outcome is told, as channel {@code gmail-in}. */
    public GmailInbox(Gmail gmail, Path cursorFile, String query, ChannelHealth health) {
        this.gmail = gmail;
        this.cursorFile = cursorFile;
        this.query = query == null ? "" : query;
        this.health = health;
    }

    /**
     * The messages that arrived since the saved cursor, as task messages (field name to value, the
     * text under "text"). The cursor moves only when {@link #commit()} is called, after the tasks are written.
     */
    public List<Map<String, String>> poll() throws IOException {
        health.calling(CHANNEL);
        try {
            List<Map<String, String>> messages = fetch();
            health.succeeded(CHANNEL);
            return messages;
        } catch (IOException | RuntimeException e) {
            health.failed(CHANNEL, e);
            throw e;
        }
    }

    private List<Map<String, String>> fetch() throws IOException {
        if (!Files.exists(cursorFile)) {
            BigInteger now = gmail.users().getProfile(ME).execute().getHistoryId();
            writeCursor(now);
            LOG.info("Gmail: watching the inbox from history id {} on; earlier mail is left to the owner", now);
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        BigInteger start = savedCursor();
        BigInteger latest;
        if (start == null) {
            latest = resync(ids);
        } else {
            try {
                latest = history(start, ids);
            } catch (GoogleJsonResponseException e) {
                if (e.getStatusCode() != 404) {
                    throw e;
                }
                LOG.warn("Gmail: history id {} has expired; resyncing the inbox (messages that are already tasks are skipped)", start);
                latest = resync(ids);
            }
        }
        List<Map<String, String>> result = new ArrayList<>();
        for (String id : ids) {
            Message m = gmail.users().messages().get(ME, id).setFormat("full").execute();
            List<String> labels = m.getLabelIds() == null ? List.of() : m.getLabelIds();
            if (labels.contains("SENT") || labels.contains("DRAFT") || !labels.contains("INBOX")) {
                continue;
            }
            result.add(toTaskMessage(m));
        }
        pending = latest;
        return result;
    }

    /** Saves the cursor the last poll reached, once its messages are tasks; durable when this returns. */
    public void commit() throws IOException {
        if (pending != null) {
            writeCursor(pending);
            pending = null;
        }
    }

    static Map<String, String> toTaskMessage(Message m) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (m.getPayload() != null && m.getPayload().getHeaders() != null) {
            for (MessagePartHeader h : m.getPayload().getHeaders()) {
                headers.putIfAbsent(h.getName().toLowerCase(java.util.Locale.ROOT), h.getValue());
            }
        }
        Map<String, String> t = new LinkedHashMap<>();
        t.put("key", m.getId());
        t.put("thread_id", m.getThreadId());
        t.put("from", headers.getOrDefault("from", ""));
        t.put("reply_to", headers.getOrDefault("reply-to", ""));
        t.put("subject", headers.getOrDefault("subject", ""));
        t.put("message_id", headers.getOrDefault("message-id", ""));
        t.put("references", headers.getOrDefault("references", ""));
        String text = plainText(m.getPayload());
        t.put("text", text != null ? text : m.getSnippet() == null ? "" : m.getSnippet());
        return t;
    }

    private static String plainText(MessagePart part) {
        if (part == null) {
            return null;
        }
        if ("text/plain".equalsIgnoreCase(part.getMimeType()) && part.getBody() != null && part.getBody().getData() != null) {
            return new String(part.getBody().decodeData(), StandardCharsets.UTF_8);
        }
        if (part.getParts() != null) {
            for (MessagePart p : part.getParts()) {
                String s = plainText(p);
                if (s != null) {
                    return s;
                }
            }
        }
        return null;
    }

    /** The messages added to the inbox since {@code start} into {@code ids}; returns the history id they reach. */
    private BigInteger history(BigInteger start, Set<String> ids) throws IOException {
        BigInteger latest = start;
        String page = null;
        do {
            ListHistoryResponse r = gmail.users().history().list(ME).setStartHistoryId(start)
                    .setHistoryTypes(List.of("messageAdded")).setLabelId("INBOX").setPageToken(page).execute();
            if (r.getHistory() != null) {
                for (History h : r.getHistory()) {
                    if (h.getMessagesAdded() != null) {
                        for (HistoryMessageAdded added : h.getMessagesAdded()) {
                            ids.add(added.getMessage().getId());
                        }
                    }
                }
            }
            if (r.getHistoryId() != null) {
                latest = r.getHistoryId();
            }
            page = r.getNextPageToken();
        } while (page != null);
        return latest;
    }

    /**
     * The saved history id, or null when the file is empty, torn or unreadable (a crash while it was
     * written, a disk fault): the inbox is then resynced, never watched "from now on", which would
     * drop whatever arrived since the last good cursor.
     */
    private BigInteger savedCursor() {
        String problem;
        try {
            String text = Files.readString(cursorFile, StandardCharsets.UTF_8).strip();
            if (HISTORY_ID.matcher(text).matches()) {
                return new BigInteger(text);
            }
            problem = text.isEmpty() ? "is empty" : "holds no history id";
        } catch (IOException e) {
            problem = "cannot be read (" + e.getMessage() + ")";
        }
        LOG.warn("Gmail: the saved cursor {} {}; resyncing the inbox (messages that are already tasks are skipped)", cursorFile, problem);
        return null;
    }

    /**
     * The newest inbox messages into {@code ids}; returns the history id to go on from, taken before
     * the listing so that mail arriving meanwhile is in the next history too (the task id dedups it).
     */
    private BigInteger resync(Set<String> ids) throws IOException {
        BigInteger now = gmail.users().getProfile(ME).execute().getHistoryId();
        ListMessagesResponse r = gmail.users().messages().list(ME).setLabelIds(List.of("INBOX"))
                .setQ(query.isBlank() ? null : query).setMaxResults(RESYNC_MESSAGES).execute();
        if (r.getMessages() != null) {
            r.getMessages().forEach(m -> ids.add(m.getId()));
        }
        return now;
    }

    private void writeCursor(BigInteger id) throws IOException {
        DurableFiles.writeAtomically(cursorFile, (id + "\n").getBytes(StandardCharsets.UTF_8), cursorFile.getParent());
    }
}
