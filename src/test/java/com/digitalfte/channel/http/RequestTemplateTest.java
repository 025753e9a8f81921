package com.digitalfte.channel.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskFormatException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A request filled from a task: values, never code; what a provider's refusal says. */
class RequestTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static TaskFile task() {
        return TaskFile.create("X_1445", "x_reply").with("post_id", "1445").with("author", "O'Brien \"Bob\"")
                .withSection(TaskFile.DRAFT, "Line one\n\"quoted\" {\"json\": true} $post_id ${body}");
    }

    @Test
    void onlyWholeDollarValuesAreFilledAndEachStaysOneJsonString() throws Exception {
        RequestTemplate template = new RequestTemplate("https://api.x.example/2/tweets",
                "{\"text\": \"$draft\", \"reply\": {\"in_reply_to_tweet_id\": \"$post_id\"}, \"note\": \"by $author\","
                        + " \"to\": [\"$author\"], \"n\": 3}");
        String body = template.body(task());
        assertThat(JSON.readTree(body)).isEqualTo(JSON.readTree("{\"text\": " + JSON.writeValueAsString(task().section(TaskFile.DRAFT).get())
                + ", \"reply\": {\"in_reply_to_tweet_id\": \"1445\"}, \"note\": \"by $author\", \"to\": [\"O'Brien \\\"Bob\\\"\"], \"n\": 3}"));
    }

    @Test
    void aMissingFieldOrDraftRefusesTheTaskSayingWhich() {
        RequestTemplate needsTicket = new RequestTemplate("https://helpdesk.example/api/tickets/{ticket_id}/replies", "{\"body\": \"$draft\"}");
        assertThatThrownBy(() -> needsTicket.url(task())).isInstanceOf(TaskFormatException.class).hasMessageContaining("'ticket_id'");
        RequestTemplate needsDraft = new RequestTemplate("https://api.x.example/2/tweets", "{\"text\": \"$draft\"}");
        assertThatThrownBy(() -> needsDraft.body(TaskFile.create("X_1", "x_post"))).isInstanceOf(TaskFormatException.class)
                .hasMessageContaining("## Draft");
    }

    @Test
    void aTemplateThatIsNotJsonOrAnAddressThatIsNotHttpIsRefusedAtStart() {
        assertThatThrownBy(() -> new RequestTemplate("https://a.example", "{\"text\": $draft}")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> new RequestTemplate("file:///etc/passwd", "")).hasMessageContaining("http");
    }

    @Test
    void theProvidersOwnWordsAndItsWaitAreReadFromTheAnswer() {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        Map<String, Object> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("retry-after", "Tue, 01 Dec 2026 10:02:00 GMT");
        HttpAnswer limited = HttpAnswer.of(429, headers, "{\"errors\":[{\"message\":\"Too Many Requests\",\"code\":88}]}", now);
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(limited.said()).isEqualTo("Too Many Requests");
        assertThat(HttpAnswer.of(400, Map.of(), "{\"title\":\"Invalid Request\",\"detail\":\"text is too long\"}", now).said())
                .isEqualTo("text is too long");
        assertThat(HttpAnswer.of(502, Map.of(), "<html>\n<body>Bad   gateway</body></html>", now).said()).isEqualTo("<html> <body>Bad gateway</body></html>");
        assertThat(HttpAnswer.of(403, Map.of(), "", now).said()).isEqualTo("no reason given");
    }
}
