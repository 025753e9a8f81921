package com.digitalfte.channel.http;

import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Asks the provider, after a call that may have gone through, whether it did it: a GET of its
 * recent items (filled from the task like the call's URL), searched for the one whose marker field
 * holds the task's id (the body template put it there, e.g. {@code "external_id": "$id"}). Without
 * a URL there is no lookup, and such an outcome stays unknown.
 */
public final class HttpLookup {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RequestTemplate url;
    private final String itemsPointer;
    private final String markerPointer;
    private final HttpAuth auth;
    private final Duration timeout;
    private final HttpClient client;

    /** {@code url} blank: no lookup. {@code itemsPointer}: where the list is in the answer ("" when the answer is the list). */
    public HttpLookup(String url, String itemsPointer, String markerPointer, HttpAuth auth, int timeoutMillis) {
        this.url = url == null || url.isBlank() ? null : new RequestTemplate(url, null);
        this.itemsPointer = itemsPointer == null ? "" : itemsPointer.strip();
        this.markerPointer = markerPointer == null ? "" : markerPointer.strip();
        if (this.url != null && this.markerPointer.isEmpty()) {
            throw new IllegalArgumentException("a lookup needs the JSON pointer of the field that holds the task's id in each item");
        }
        this.auth = auth;
        this.timeout = Duration.ofMillis(timeoutMillis);
        this.client = this.url == null ? null : HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public boolean configured() {
        return url != null;
    }

    /**
     * The item the provider holds for this task, or empty when it holds none.
     *
     * @throws HttpStatusException when the provider does not answer the lookup with 2xx
     */
    public Optional<JsonNode> find(TaskFile task) throws IOException, InterruptedException, HttpStatusException, TaskFormatException {
        String address = url.url(task);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address)).timeout(timeout).GET()
                .header("Accept", "application/json");
        auth.headers("GET", address).forEach(request::header);
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() < 200 || response.statusCode() >= 300) {
            Map<String, Object> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(response.headers().map());
            throw new HttpStatusException("The lookup at " + URI.create(address).getHost(),
                    HttpAnswer.of(response.statusCode(), headers, response.body(), Instant.now()));
        }
        JsonNode items = JSON.readTree(response.body()).at(itemsPointer);
        for (JsonNode item : items) {
            if (item.at(markerPointer).asText().equals(task.id())) {
                return Optional.of(item);
            }
        }
        return Optional.empty();
    }
}
