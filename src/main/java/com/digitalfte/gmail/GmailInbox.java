package com.digitalfte.gmail;

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
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * New mail in the Gmail inbox, incrementally: {@code users.history.list} from the saved
 * {@code historyId} (in {@code .state/}), messages added to INBOX; a full resync of the inbox when
 * Gmail answers 404 (the saved id expired). The owner's own SENT and DRAFT messages never become
 * tasks; whether a message was read (on the phone) does not matter.
 */
public final class GmailInbox {

    private static final Logger LOG = LoggerFactory.getLogger(GmailInbox.class);
    private static final String ME = "me";

    private final Gmail gmail;
    private final Path cursorFile;
    private final String query;
    private volatile BigInteger pending;

    public GmailInbox(Gmail gmail, Path cursorFile, String query) {
        this.gmail = gmail;
        this.cursorFile = cursorFile;
        this.query = query == null ? "" : query;
    }

    /**
     * The messages that arrived since the saved cursor, as task messages (field name to value, the
     * text under "text"). The cursor moves only when {@link #commit()} is called, after the tasks are written.
     */
    public List<Map<String, String>> poll() throws IOException {
        BigInteger start = readCursor();
        if (start == null) {
            BigInteger now = gmail.users().getProfile(ME).execute().getHistoryId();
            writeCursor(now);
            LOG.info("Gmail: watching the inbox from history id {} on; earlier mail is left to the owner", now);
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        BigInteger latest = start;
        try {
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
        } catch (GoogleJsonResponseException e) {
            if (e.getStatusCode() != 404) {
                throw e;
            }
            LOG.warn("Gmail: history id {} has expired; resyncing the inbox", start);
            ListMessagesResponse r = gmail.users().messages().list(ME).setLabelIds(List.of("INBOX"))
                    .setQ(query.isBlank() ? null : query).setMaxResults(100L).execute();
            if (r.getMessages() != null) {
                r.getMessages().forEach(m -> ids.add(m.getId()));
            }
            latest = gmail.users().getProfile(ME).execute().getHistoryId();
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

    /** Saves the cursor the last poll reached, once its messages are tasks. */
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

    private BigInteger readCursor() throws IOException {
        if (!Files.isRegularFile(cursorFile)) {
            return null;
        }
        String s = Files.readString(cursorFile, StandardCharsets.UTF_8).strip();
        return s.isEmpty() ? null : new BigInteger(s);
    }

    private void writeCursor(BigInteger id) throws IOException {
        Files.createDirectories(cursorFile.getParent());
        Path tmp = cursorFile.resolveSibling(cursorFile.getFileName() + ".tmp");
        Files.writeString(tmp, id.toString() + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, cursorFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
