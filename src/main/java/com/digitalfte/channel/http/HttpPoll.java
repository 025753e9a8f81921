package com.digitalfte.channel.http;

import com.digitalfte.channel.FieldMapping;
import com.digitalfte.vault.DurableFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logic of the {@code http-poll-source} kamelet: one poll of a JSON API from a saved cursor,
 * page by page, within the provider's rate limits, into task messages; the cursor is saved (durably,
 * in {@code .state/cursors/<name>}) only once every task of the poll is on disk.
 *
 * <p>The cursor is the greatest value of a field of the items ({@code cursorItemPointer}: an id for
 * {@code since_id}, a timestamp), or a value the last page's answer hands back for the next poll
 * ({@code cursorPointer}: a sync token). Pages follow a token at {@code nextPointer}, sent as
 * {@code nextParam}. A 429, or a window with nothing left ({@code x-rate-limit-remaining: 0}), is
 * waited out until the provider's {@code Retry-After} or {@code x-rate-limit-reset}, at least a
 * second and twice as long at each 429 in a row, with one log line per poll.
 */
public final class HttpPoll {

    private static final Logger LOG = LoggerFactory.getLogger(HttpPoll.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private final Clock clock;
    private String name = "";
    private String url = "";
    private Path cursorFile;
    private String cursorParam = "";
    private String cursorItemPointer = "";
    private String cursorPointer = "";
    private String nextPointer = "";
    private String nextParam = "";
    private int maxPages = 10;
    private String itemsPointer = "";
    private String keyPointer = "";
    private String textPointer = "";
    private Map<String, String> fields = Map.of();
    private Duration longestWait = Duration.ofMinutes(15);
    private HttpAuth auth;
    /** Not before then: what the last answer said of the rate-limit window, for the next request of any poll. */
    private Instant notBefore = Instant.EPOCH;

    public HttpPoll() {
        this(Clock.systemUTC());
    }

    HttpPoll(Clock clock) {
        this.clock = clock;
    }

    /** Checks the settings, once they are all set (a kamelet's bean takes free text only through setters). */
    public void init() {
        if (!name.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw new IllegalArgumentException("a poll's name is lower-case letters, digits and '-', not '" + name + "'");
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("the URL must start with http:// or https://, not '" + url + "'");
        }
        if (!cursorItemPointer.isEmpty() && !cursorPointer.isEmpty()) {
            throw new IllegalArgumentException("give cursorItemPointer (a field of the items) or cursorPointer (in the answer), not both");
        }
        if (nextPointer.isEmpty() != nextParam.isEmpty()) {
            throw new IllegalArgumentException("paging needs both nextPointer (where the token is) and nextParam (where it goes)");
        }
        if (auth == null) {
            throw new IllegalArgumentException("a poll needs its authorization (HttpAuth, perhaps with nothing set)");
        }
    }

    /** One poll: its first page, from the saved cursor. */
    public Poll start() throws IOException {
        return new Poll(readCursor());
    }

    public boolean more(Poll poll) {
        return poll.nextPage != null;
    }

    /** How long to wait before the poll's next request: what the provider asked for, else nothing. */
    public long waitMillis(Poll poll) {
        Instant now = clock.instant();
        Instant until = poll.retryAt.isAfter(notBefore) ? poll.retryAt : notBefore;
        return until.isAfter(now) ? Duration.between(now, until).toMillis() : 0;
    }

    /** Puts the next page's request into the (emptied) message headers camel-http sends. */
    public void prepare(Poll poll, Map<String, Object> messageHeaders) {
        String address = pageUrl(poll);
        messageHeaders.put("CamelHttpMethod", "GET");
        messageHeaders.put("CamelHttpUri", address);
        messageHeaders.put("Accept", "application/json");
        messageHeaders.putAll(auth.headers("GET", address));
    }

    /**
     * The page's answer: its items join the poll and the next page is set (or none is left); a 429
     * sets the wait and leaves the page to be asked again.
     *
     * @throws HttpStatusException for any other answer than 2xx: the poll ends, the cursor stays
     */
    public void read(Poll poll, int status, Map<String, Object> answerHeaders, String body) throws HttpStatusException, IOException {
        Instant now = clock.instant();
        HttpAnswer answer = HttpAnswer.of(status, answerHeaders, body, now);
        if (status == 429) {
            Duration wait = answer.retryAfter() == null ? Duration.ZERO : answer.retryAfter();
            wait = wait.compareTo(poll.backoff) < 0 ? poll.backoff : wait;
            wait = wait.compareTo(longestWait) > 0 ? longestWait : wait;
            poll.retryAt = now.plus(wait);
            poll.backoff = poll.backoff.multipliedBy(2);
            if (!poll.saidLimited) {
                poll.saidLimited = true;
                LOG.warn("Poll {}: the provider limits the rate (429); waiting until {} before asking again", name,
                        poll.retryAt.truncatedTo(ChronoUnit.SECONDS));
            }
            return;
        }
        if (!answer.ok()) {
            throw new HttpStatusException("Poll " + name + ": the provider", answer);
        }
        poll.backoff = FIRST_BACKOFF;
        if (answer.retryAfter() != null) {
            // nothing left of the window: the next request, of this poll or the next, waits for its reset
            notBefore = now.plus(answer.retryAfter().compareTo(longestWait) > 0 ? longestWait : answer.retryAfter());
        }
        JsonNode page = parse(body);
        // an empty page may leave the list out (X does), anything else than a list is a wrong pointer
        JsonNode items = page.at(itemsPointer);
        if (!items.isMissingNode() && !items.isArray()) {
            throw new IOException("the answer has no list at '" + itemsPointer + "' (itemsPointer)");
        }
        for (JsonNode item : items) {
            poll.items.add(item);
            if (!cursorItemPointer.isEmpty()) {
                poll.newCursor = greater(poll.newCursor, text(item.at(cursorItemPointer)));
            }
        }
        if (!cursorPointer.isEmpty() && !text(page.at(cursorPointer)).isEmpty()) {
            poll.newCursor = text(page.at(cursorPointer));
        }
        String next = nextPointer.isEmpty() ? "" : text(page.at(nextPointer));
        poll.pages++;
        if (next.isEmpty() || items.isEmpty()) {
            poll.nextPage = null;
        } else if (poll.pages >= maxPages) {
            LOG.info("Poll {}: {} pages read, the rest waits for the next poll", name, poll.pages);
            poll.nextPage = null;
        } else {
            poll.nextPage = next;
        }
    }

    /** The poll's items, as read: each becomes one task. */
    public List<JsonNode> items(Poll poll) {
        return List.copyOf(poll.items);
    }

    /**
     * Makes an item a task message: {@code task.key} and the mapped {@code task.<field>} headers put
     * into the (emptied) message headers; returns the text, the task's {@code ## Original}.
     */
    public String task(JsonNode item, Map<String, Object> messageHeaders) {
        if (!keyPointer.isEmpty()) {
            messageHeaders.put("task.key", text(item.at(keyPointer)));
        }
        fields.forEach((field, pointer) -> messageHeaders.put("task." + field, text(item.at(pointer))));
        return textPointer.isEmpty() ? "" : text(item.at(textPointer));
    }

    /** Every task of the poll is on disk: the cursor moves, durably. */
    public void commit(Poll poll) throws IOException {
        if (poll.newCursor != null && !poll.newCursor.equals(poll.cursor)) {
            DurableFiles.writeAtomically(cursorFile, poll.newCursor.getBytes(StandardCharsets.UTF_8), cursorFile.getParent());
            LOG.debug("Poll {}: cursor {}", name, poll.newCursor);
        }
    }

    /** A poll that failed: one line, the cursor unchanged, and the next poll tries again. */
    public void failed(Exception error) {
        LOG.warn("Poll {} failed, tried again at the next poll: {}", name, error.getMessage());
    }

    private String readCursor() throws IOException {
        if (!Files.isRegularFile(cursorFile)) {
            return null;
        }
        String saved = Files.readString(cursorFile, StandardCharsets.UTF_8).strip();
        return saved.isEmpty() ? null : saved;
    }

    private String pageUrl(Poll poll) {
        StringBuilder address = new StringBuilder(url);
        if (poll.cursor != null && !cursorParam.isEmpty()) {
            address.append(address.indexOf("?") < 0 ? '?' : '&').append(Percent.encode(cursorParam)).append('=').append(Percent.encode(poll.cursor));
        }
        if (!poll.nextPage.isEmpty()) {
            address.append(address.indexOf("?") < 0 ? '?' : '&').append(Percent.encode(nextParam)).append('=').append(Percent.encode(poll.nextPage));
        }
        return address.toString();
    }

    private static JsonNode parse(String body) throws IOException {
        try {
            JsonNode page = JSON.readTree(body == null ? "" : body);
            if (page == null) {
                throw new IOException("the provider's answer is empty, not JSON");
            }
            return page;
        } catch (JsonProcessingException e) {
            throw new IOException("the provider's answer is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return "";
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    /** Ids compare as numbers (X's are longer than a long), anything else as text (ISO timestamps sort so). */
    static String greater(String a, String b) {
        if (b == null || b.isEmpty()) {
            return a;
        }
        if (a == null) {
            return b;
        }
        if (a.matches("\\d+") && b.matches("\\d+")) {
            return new BigInteger(a).compareTo(new BigInteger(b)) >= 0 ? a : b;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** One poll in progress: the cursor it started from, its items, and where it goes next. */
    public static final class Poll {
        private final String cursor;
        private final List<JsonNode> items = new ArrayList<>();
        private String newCursor;
        /** "" for the first page, then the provider's token for the next; null when none is left. */
        private String nextPage = "";
        private int pages;
        private Instant retryAt = Instant.EPOCH;
        private Duration backoff = FIRST_BACKOFF;
        private boolean saidLimited;

        private Poll(String cursor) {
            this.cursor = cursor;
        }
    }

    public void setName(String name) {
        this.name = name.strip();
    }

    public void setUrl(String url) {
        this.url = url.strip();
    }

    /** Where the cursor is kept: {@code <vault>/.state/cursors/<name>}. */
    public void setCursorFile(String cursorFile) {
        this.cursorFile = Path.of(cursorFile);
    }

    public void setCursorParam(String cursorParam) {
        this.cursorParam = cursorParam.strip();
    }

    public void setCursorItemPointer(String cursorItemPointer) {
        this.cursorItemPointer = cursorItemPointer.strip();
    }

    public void setCursorPointer(String cursorPointer) {
        this.cursorPointer = cursorPointer.strip();
    }

    public void setNextPointer(String nextPointer) {
        this.nextPointer = nextPointer.strip();
    }

    public void setNextParam(String nextParam) {
        this.nextParam = nextParam.strip();
    }

    public void setMaxPages(int maxPages) {
        this.maxPages = maxPages;
    }

    public void setItemsPointer(String itemsPointer) {
        this.itemsPointer = itemsPointer.strip();
    }

    public void setKeyPointer(String keyPointer) {
        this.keyPointer = keyPointer.strip();
    }

    public void setTextPointer(String textPointer) {
        this.textPointer = textPointer.strip();
    }

    /** {@code field=/pointer} pairs, by commas or lines: {@code from=/requester/email, subject=/subject}. */
    public void setFields(String mapping) {
        this.fields = FieldMapping.parse(mapping);
    }

    public void setLongestWait(int seconds) {
        this.longestWait = Duration.ofSeconds(seconds);
    }

    /** How its requests are authorized. */
    public void setAuth(HttpAuth auth) {
        this.auth = auth;
    }
}
