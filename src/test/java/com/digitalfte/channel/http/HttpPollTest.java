package com.digitalfte.channel.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The poll's own rules, without HTTP: cursors, X's rate-limit window, pages, the request it asks for. */
class HttpPollTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;

    private HttpPoll poll(String cursorItemPointer, String cursorPointer) {
        HttpPoll poll = new HttpPoll(Clock.fixed(NOW, ZoneOffset.UTC));
        poll.setName("mentions");
        poll.setUrl("https://api.x.example/2/users/42/mentions?max_results=100");
        poll.setCursorFile(dir.resolve("cursors/mentions").toString());
        poll.setCursorParam("since_id");
        poll.setCursorItemPointer(cursorItemPointer);
        poll.setCursorPointer(cursorPointer);
        poll.setNextPointer("/meta/next_token");
        poll.setNextParam("pagination_token");
        poll.setItemsPointer("/data");
        poll.setKeyPointer("/id");
        poll.setTextPointer("/text");
        poll.setFields("from=/author_id");
        HttpAuth auth = new HttpAuth();
        auth.setToken("bearer-abc-123456");
        auth.init();
        poll.setAuth(auth);
        poll.init();
        return poll;
    }

    private static Map<String, Object> headers(String... pairs) {
        Map<String, Object> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < pairs.length; i += 2) {
            h.put(pairs[i], pairs[i + 1]);
        }
        return h;
    }

    @Test
    void idsCompareAsNumbersLongerThanALongAndTimestampsAsText() {
        assertThat(HttpPoll.greater("99999999999999999999", "100000000000000000000")).isEqualTo("100000000000000000000");
        assertThat(HttpPoll.greater("1445880548472328192", "999")).isEqualTo("1445880548472328192");
        assertThat(HttpPoll.greater("2026-11-30T12:00:00Z", "2026-11-30T09:00:00Z")).isEqualTo("2026-11-30T12:00:00Z");
        assertThat(HttpPoll.greater(null, "7")).isEqualTo("7");
    }

    @Test
    void theNewestIdBecomesTheSinceIdOfTheNextPollAndPagesCarryBoth() throws Exception {
        HttpPoll poller = poll("/id", "");
        HttpPoll.Poll first = poller.start();
        Map<String, Object> request = new HashMap<>();
        poller.prepare(first, request);
        assertThat(request).containsEntry("CamelHttpUri", "https://api.x.example/2/users/42/mentions?max_results=100")
                .containsEntry("Authorization", "Bearer bearer-abc-123456");
        poller.read(first, 200, headers(), "{\"data\":[{\"id\":\"1445880548472328192\",\"text\":\"hi\",\"author_id\":\"7\"},"
                + "{\"id\":\"1445880548472328100\",\"text\":\"yo\",\"author_id\":\"8\"}],\"meta\":{\"next_token\":\"7140dibdnow9c7btw3w29grvxfcgvpb9n9coehpk7xz5i\"}}");
        request.clear();
        poller.prepare(first, request);
        assertThat(request.get("CamelHttpUri")).isEqualTo("https://api.x.example/2/users/42/mentions?max_results=100"
                + "&pagination_token=7140dibdnow9c7btw3w29grvxfcgvpb9n9coehpk7xz5i");
        poller.read(first, 200, headers(), "{\"meta\":{\"result_count\":0}}");
        assertThat(poller.more(first)).isFalse();
        assertThat(poller.items(first)).hasSize(2);
        poller.commit(first);

        HttpPoll.Poll next = poller.start();
        request.clear();
        poller.prepare(next, request);
        assertThat(request.get("CamelHttpUri")).isEqualTo("https://api.x.example/2/users/42/mentions?max_results=100&since_id=1445880548472328192");
    }

    @Test
    void aSyncTokenFromTheLastPageIsTheNextPollsCursor() throws Exception {
        HttpPoll poller = poll("", "/meta/sync");
        HttpPoll.Poll poll = poller.start();
        poller.read(poll, 200, headers(), "{\"data\":[{\"id\":\"1\"}],\"meta\":{\"sync\":\"s-1\",\"next_token\":\"n2\"}}");
        poller.read(poll, 200, headers(), "{\"data\":[{\"id\":\"2\"}],\"meta\":{\"sync\":\"s-2\"}}");
        poller.commit(poll);
        assertThat(Files.readString(dir.resolve("cursors/mentions"))).isEqualTo("s-2");
    }

    @Test
    void anEmptyWindowIsWaitedOutUntilItsResetEvenByTheNextPoll() throws Exception {
        HttpPoll poller = poll("/id", "");
        HttpPoll.Poll poll = poller.start();
        String reset = Long.toString(NOW.plusSeconds(120).getEpochSecond());
        poller.read(poll, 200, headers("x-rate-limit-remaining", "0", "x-rate-limit-reset", reset), "{\"data\":[]}");
        assertThat(poller.waitMillis(poller.start())).isEqualTo(120_000);
    }

    @Test
    void eachTooManyRequestsInARowWaitsLongerWhenTheProviderSaysNothing() throws Exception {
        HttpPoll poller = poll("/id", "");
        HttpPoll.Poll poll = poller.start();
        poller.read(poll, 429, headers(), "");
        assertThat(poller.waitMillis(poll)).isEqualTo(1000);
        poller.read(poll, 429, headers(), "");
        assertThat(poller.waitMillis(poll)).isEqualTo(2000);
        poller.read(poll, 429, headers("Retry-After", "30"), "");
        assertThat(poller.waitMillis(poll)).isEqualTo(30_000);
        assertThat(poller.more(poll)).isTrue();
    }

    @Test
    void aPointerThatIsNotAListIsAnErrorNotAnEmptyFeed() throws Exception {
        HttpPoll poller = poll("/id", "");
        assertThatThrownBy(() -> poller.read(poller.start(), 200, headers(), "{\"data\":{\"id\":\"1\"}}")).hasMessageContaining("/data");
    }
}
