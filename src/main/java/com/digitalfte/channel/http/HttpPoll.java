package com.digitalfte.channel.http;

import com.digitalfte.channel.FieldMapping;
import com.digitalfte.vault.DurableFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 *
 * <p>For an API that lists what is related to the items apart from them (X's {@code includes.users}
 * for {@code expansions=author_id}), {@code joins} puts the related object into each item
 * ({@code author=/author_id in /includes/users by /id}), so the fields can map it like the item's own.
 * For a pay-per-use API, {@code reads} counts what each page returned and {@code monthlyReads} stops
 * the polls for the rest of the month once they read that much ({@link ReadBudget}). An API that
 * lists the newest first ({@code newestFirst}) loses nothing when a poll stops before its last page
 * (at {@code maxPages}, or the budget): the cursor then stays, and the next poll reads from the
 * newest again; the very first poll, with no cursor yet, reads {@code firstPages} and starts from there.
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
    private List<Join> joins = List.of();
    private int firstPages;
    private boolean newestFirst;
    private String reads = "";
    private long monthlyReads;
    private ReadBudget budget;
    private Duration longestWait = Duration.ofMinutes(15);
    private HttpAuth auth;
    /** Not before then: what the last answer said of the rate-limit window, for the next request of any poll. */
    private Instant notBefore = Instant.EPOCH;
    /** The month a spent budget was last told about, so a spent month is one log line, not one a poll. */
    private String saidSpentUntil = "";

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
        try {
            budget = new ReadBudget(name, reads, monthlyReads, cursorFile.getParent().getParent(), clock);
        } catch (IOException e) {
            throw new IllegalStateException("the reads of poll " + name + " cannot be counted: " + e.getMessage(), e);
        }
    }

    /** One poll: its first page, from the saved cursor; none at all while the month's read budget is spent. */
    public Poll start() throws IOException {
        Poll poll = new Poll(readCursor());
        if (budget.spent()) {
            poll.nextPage = null;
            if (!budget.resumes().equals(saidSpentUntil)) {
                saidSpentUntil = budget.resumes();
                LOG.warn("Poll {}: its budget of {} reads a month is used up; it reads nothing more until {} (UTC)", name, monthlyReads,
                        saidSpentUntil);
            }
        }
        return poll;
    }

    public boolean more(Poll poll) throws IOException {
        if (poll.nextPage != null && poll.pages > 0 && budget.spent()) {
            poll.cut = true;
            poll.nextPage = null;
            LOG.warn("Poll {}: its budget of {} reads a month is used up after {} page(s); it reads nothing more until {} (UTC)", name,
                    monthlyReads, poll.pages, budget.resumes());
            saidSpentUntil = budget.resumes();
        }
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
            // and no other poll asks before then either
            notBefore = poll.retryAt.isAfter(notBefore) ? poll.retryAt : notBefore;
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
        budget.count(page);
        // an empty page may leave the list out (X does), anything else than a list is a wrong pointer
        JsonNode items = page.at(itemsPointer);
        if (!items.isMissingNode() && !items.isArray()) {
            throw new IOException("the answer has no list at '" + itemsPointer + "' (itemsPointer)");
        }
        joins.forEach(join -> join.into(items, page));
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
        int most = poll.cursor == null && firstPages > 0 ? firstPages : maxPages;
        if (next.isEmpty() || items.isEmpty()) {
            poll.nextPage = null;
        } else if (poll.pages >= most) {
            LOG.info("Poll {}: {} pages read, the rest waits for the next poll", name, poll.pages);
            poll.cut = true;
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

    /**
     * Every task of the poll is on disk: the cursor moves, durably; for a newest-first API only when
     * the poll read down to the cursor (or it is the first one), so no item between them is skipped.
     */
    public void commit(Poll poll) throws IOException {
        if (poll.cut && newestFirst && poll.cursor != null) {
            LOG.warn("Poll {}: not every new item was read in {} page(s); the cursor stays and the next poll reads again from the newest",
                    name, poll.pages);
            return;
        }
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
        /** Stopped before the last page: at the most pages a poll reads, or at the read budget. */
        private boolean cut;
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

    /** {@code name=/item's key in /list by /list item's key}, by commas or lines: {@code author=/author_id in /includes/users by /id}. */
    public void setJoins(String joins) {
        this.joins = Join.parse(joins);
    }

    /** Pages the first poll reads, with no cursor yet (0: as many as any poll); older items are not read. */
    public void setFirstPages(int firstPages) {
        this.firstPages = firstPages;
    }

    /** The API lists the newest items first (X): a poll that stops before its last page keeps the cursor. */
    public void setNewestFirst(boolean newestFirst) {
        this.newestFirst = newestFirst;
    }

    /** {@code kind=/pointer} pairs, by commas: what each page returned, counted by kind ({@code posts=/data, users=/includes/users}). */
    public void setReads(String reads) {
        this.reads = reads;
    }

    /** The most reads a month (UTC), 0 for no budget; counted as {@link #setReads}. */
    public void setMonthlyReads(long monthlyReads) {
        this.monthlyReads = monthlyReads;
    }

    /** An object the answer lists apart from the items, put into each item it belongs to. */
    record Join(String name, String itemKey, String list, String listKey) {

        private static final Pattern SYNTAX = Pattern.compile(
                "([a-z][a-z0-9_]{0,39})\\s*=\\s*(/\\S*)\\s+in\\s+(/\\S*)\\s+by\\s+(/\\S*)");

        static List<Join> parse(String joins) {
            List<Join> parsed = new ArrayList<>();
            for (String one : joins.split("[,\\n]")) {
                if (one.isBlank()) {
                    continue;
                }
                Matcher m = SYNTAX.matcher(one.strip());
                if (!m.matches()) {
                    throw new IllegalArgumentException("a join is name=/key in /list by /key, e.g. author=/author_id in /includes/users by /id;"
                            + " not '" + one.strip() + "'");
                }
                parsed.add(new Join(m.group(1), m.group(2), m.group(3), m.group(4)));
            }
            return List.copyOf(parsed);
        }

        void into(JsonNode items, JsonNode page) {
            Map<String, JsonNode> byKey = new HashMap<>();
            for (JsonNode related : page.at(list)) {
                byKey.putIfAbsent(text(related.at(listKey)), related);
            }
            for (JsonNode item : items) {
                JsonNode related = byKey.get(text(item.at(itemKey)));
                if (item instanceof ObjectNode object && related != null) {
                    object.set(name, related);
                }
            }
        }
    }

    /** How its requests are authorized. */
    public void setAuth(HttpAuth auth) {
        this.auth = auth;
    }
}
