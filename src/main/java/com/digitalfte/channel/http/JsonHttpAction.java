package com.digitalfte.channel.http;

import com.digitalfte.execute.Action;
import com.digitalfte.execute.Execution;
import com.digitalfte.execute.Executor;
import com.digitalfte.execute.Ledger;
import com.digitalfte.vault.ProviderUnavailableException;
import com.digitalfte.vault.TaskFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.ConnectTimeoutException;

/**
 * An approved task sent to a JSON API, on the executor contract: the request is filled from the
 * task ({@link RequestTemplate}), authorized ({@link HttpAuth}), made by camel-http in the
 * {@code http-action-sink} kamelet; the provider's id for what it did is read at a JSON pointer of
 * its answer.
 *
 * <p>What an answer means: 2xx done; 429 (and 408) refused before acting, so tried again, after the
 * wait the provider asked for; any other 4xx a refusal in the provider's words; 5xx, and a timeout
 * or a broken connection once the request was sent, maybe done: looked up when a
 * {@link HttpLookup} is configured, else uncertain, for the owner.
 */
public final class JsonHttpAction implements Action {

    private static final ObjectMapper JSON = new ObjectMapper();

    private String name = "";
    private String method = "POST";
    private String url = "";
    private String body = "";
    private String idPointer = "";
    private String lookupUrl = "";
    private String lookupItems = "";
    private String lookupMarker = "";
    private String lookupId = "";
    private int responseTimeout = 30000;
    private String logFile;
    private Duration longestWait = Duration.ofSeconds(60);
    private Executor executor;
    private RequestTemplate template;
    private HttpAuth auth;
    private HttpLookup lookup;

    /**
     * Checks the settings and builds the request's parts, once they are all set. (A kamelet's bean
     * takes free text, a JSON body with commas and quotes, only through setters.)
     */
    public void init() {
        if (executor == null || auth == null) {
            throw new IllegalArgumentException("an action needs the agent's executor and its authorization");
        }
        if (!name.matches("[a-z][a-z0-9_]{0,39}")) {
            throw new IllegalArgumentException("the action's name is lower-case letters, digits and '_', not '" + name + "'");
        }
        template = new RequestTemplate(url, body);
        lookup = new HttpLookup(lookupUrl, lookupItems, lookupMarker, auth, responseTimeout);
    }

    /** The agent's executor, which runs this action's calls on the contract. */
    public void setExecutor(Executor executor) {
        this.executor = executor;
    }

    /**
     * The execution of the claimed task, its intent on disk; null when there is nothing to call
     * (see {@link Executor#begin}).
     */
    public Execution begin(String claimedPath) throws Exception {
        return executor.begin(claimedPath, this);
    }

    /** The ledger's and the audit log's name for the action ({@code ticket_reply}). */
    public void setAction(String action) {
        this.name = action.strip();
    }

    public void setMethod(String method) {
        this.method = method.strip().toUpperCase(Locale.ROOT);
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public void setBody(String body) {
        this.body = body;
    }

    public void setIdPointer(String idPointer) {
        this.idPointer = idPointer.strip();
    }

    /** How its requests are authorized. */
    public void setAuth(HttpAuth auth) {
        this.auth = auth;
    }

    public void setLookupUrl(String lookupUrl) {
        this.lookupUrl = lookupUrl;
    }

    public void setLookupItems(String lookupItems) {
        this.lookupItems = lookupItems;
    }

    public void setLookupMarker(String lookupMarker) {
        this.lookupMarker = lookupMarker;
    }

    /** Where the provider's id is in an item the lookup found; blank: where it is in the call's answer. */
    public void setLookupId(String lookupId) {
        this.lookupId = lookupId.strip();
    }

    /** Milliseconds the lookup waits for an answer (the call's own timeouts are camel-http's). */
    public void setResponseTimeout(int responseTimeout) {
        this.responseTimeout = responseTimeout;
    }

    /** A file under {@code Logs/} for a line per action done, or blank for none. */
    public void setLogFile(String logFile) {
        this.logFile = logFile == null || logFile.isBlank() ? null : logFile.strip();
    }

    /**
     * The longest Retry-After waited for before a retry; a provider that asks for more gets the task
     * in {@code Failed/}, saying when it may be tried.
     */
    public void setLongestWait(int seconds) {
        this.longestWait = Duration.ofSeconds(seconds);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String logFile() {
        return logFile;
    }

    @Override
    public Request request(TaskFile task) throws Exception {
        String address = template.url(task);
        String json = template.body(task);
        Map<String, String> requestHeaders = new LinkedHashMap<>();
        requestHeaders.put("Accept", "application/json");
        if (json != null) {
            requestHeaders.put("Content-Type", "application/json; charset=UTF-8");
        }
        requestHeaders.putAll(auth.headers(method, address));
        return new Request(new HttpCall(method, address, requestHeaders, json), (json == null ? "" : json).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Puts this execution's request into the (emptied) message headers camel-http sends, and returns
     * the body to send (null for none).
     */
    public String prepare(Execution execution, Map<String, Object> messageHeaders) {
        HttpCall call = (HttpCall) execution.payload();
        messageHeaders.putAll(call.camelHeaders());
        return call.body();
    }

    /**
     * The answer of camel-http (called with {@code throwExceptionOnFailure=false}): its body when it
     * is 2xx, else a {@link HttpStatusException} with the status, the wait asked for and the reason.
     */
    public String answered(Execution execution, int status, Map<String, Object> headers, String body) throws HttpStatusException {
        HttpAnswer answer = HttpAnswer.of(status, headers, body, Instant.now());
        if (!answer.ok()) {
            throw new HttpStatusException(provider(execution), answer);
        }
        return answer.body();
    }

    /** How long to wait before the call is tried again: what a 429 asked for, at most {@link #longestWait}; else none. */
    public long waitMillis(Exception error) {
        if (error instanceof HttpStatusException e && e.answer().retryAfter() != null && e.answer().retryAfter().compareTo(longestWait) <= 0) {
            return e.answer().retryAfter().toMillis();
        }
        return 0;
    }

    /** The provider acted: whatever its answer looks like, the task is done; without an id at the pointer it says so. */
    @Override
    public Sent sent(Execution execution, Object response) {
        Map<String, String> result = new LinkedHashMap<>();
        String id = idPointer.isEmpty() ? "" : idIn(response == null ? "" : response.toString());
        if (!idPointer.isEmpty() && id.isEmpty()) {
            result.put("note", provider(execution) + " acted but gave no id at " + idPointer);
        }
        result.put("provider", provider(execution));
        result.put("provider_id", id);
        return new Sent(id, result);
    }

    @Override
    public Failure classify(Exception error) {
        if (error instanceof HttpStatusException e) {
            HttpAnswer answer = e.answer();
            if (answer.status() == 429 || answer.status() == 408) {
                if (answer.retryAfter() != null && answer.retryAfter().compareTo(longestWait) > 0) {
                    return Failure.refused(e.getMessage() + "; it asks to wait " + answer.retryAfter().toSeconds()
                            + " s, so move the task back to Approved/ after " + Instant.now().plus(answer.retryAfter()));
                }
                return Failure.retry(e.getMessage());
            }
            if (answer.status() >= 500) {
                return Failure.maybeDone(e.getMessage());
            }
            return Failure.refused(e.getMessage());
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // the request never left: no connection, no address, no TLS session
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof ConnectTimeoutException
                    || t instanceof SSLHandshakeException) {
                return Failure.retry("the provider cannot be reached (" + t.getMessage() + ")");
            }
            if (t instanceof InterruptedIOException) {
                return Failure.maybeDone("the provider did not answer in time (" + t.getMessage() + ")");
            }
        }
        return Failure.maybeDone("the call failed after it was sent (" + error.getMessage() + ")");
    }

    @Override
    public boolean reconciles() {
        return lookup.configured();
    }

    /** The lookup's word: done (with the provider's id), or not done and safe to call again. */
    @Override
    public Reconciled reconcile(TaskFile task, Ledger.Entry intent) throws Exception {
        if (!lookup.configured()) {
            return Action.super.reconcile(task, intent);
        }
        Optional<JsonNode> found;
        try {
            found = lookup.find(task);
        } catch (Exception e) {
            // the intent stays: the next try asks again before it calls
            throw new ProviderUnavailableException("the lookup of what was done failed (" + e.getMessage() + ")", e);
        }
        if (found.isEmpty()) {
            return Reconciled.callAgain();
        }
        String pointer = lookupId.isEmpty() ? idPointer : lookupId;
        JsonNode id = pointer.isEmpty() ? null : found.get().at(pointer);
        String providerId = id != null && id.isValueNode() ? id.asText() : "";
        return Reconciled.done(new Sent(providerId, Map.of("note", "found done by the lookup", "provider_id", providerId)));
    }

    private String idIn(String answer) {
        try {
            JsonNode found = JSON.readTree(answer);
            found = found == null ? null : found.at(idPointer);
            return found != null && found.isValueNode() ? found.asText() : "";
        } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
            return "";
        }
    }

    private static String provider(Execution execution) {
        return URI.create(((HttpCall) execution.payload()).url()).getHost();
    }
}
