package com.digitalfte.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The part of the Gmail REST API an executor uses, with state, as WireMock responses: the OAuth
 * token, {@code drafts.create}, {@code drafts.send} (a sent draft is gone: sending it again is a
 * 404) and {@code messages.list} with {@code q=in:sent rfc822msgid:<id>}. A hook runs after a
 * draft was sent and before the answer goes back.
 */
public final class FakeGmailDrafts implements ResponseDefinitionTransformerV2 {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "/gmail/v1/users/me/";

    private final Map<String, String> drafts = new ConcurrentHashMap<>();
    private final Map<String, String> sentIds = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> sends = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile Runnable afterSend = () -> { };

    public void afterSend(Runnable hook) {
        this.afterSend = hook;
    }

    /** How often a message with this Message-ID was sent. */
    public int sendsOf(String messageId) {
        AtomicInteger n = sends.get(messageId);
        return n == null ? 0 : n.get();
    }

    @Override
    public String getName() {
        return "fake-gmail-drafts";
    }

    @Override
    public boolean applyGlobally() {
        return true;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        Request request = event.getRequest();
        String path = request.getUrl().replaceFirst("\\?.*", "");
        String method = request.getMethod().getName();
        try {
            if (method.equals("POST") && path.equals("/token")) {
                return json(200, "{\"access_token\":\"test-access\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
            }
            if (method.equals("POST") && path.equals(BASE + "drafts")) {
                JsonNode body = JSON.readTree(request.getBodyAsString());
                String raw = body.path("message").path("raw").asText();
                MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                        new ByteArrayInputStream(Base64.getUrlDecoder().decode(raw)));
                String id = "r-" + ids.incrementAndGet();
                drafts.put(id, message.getMessageID());
                return json(200, "{\"id\":\"" + id + "\",\"message\":{\"id\":\"d-" + id + "\",\"threadId\":\"t-" + id + "\"}}");
            }
            if (method.equals("POST") && path.equals(BASE + "drafts/send")) {
                String id = JSON.readTree(request.getBodyAsString()).path("id").asText();
                String messageId = drafts.remove(id);
                if (messageId == null) {
                    return json(404, "{\"error\":{\"code\":404,\"message\":\"Requested entity was not found.\",\"status\":\"NOT_FOUND\"}}");
                }
                String sentId = "s-" + ids.incrementAndGet();
                sentIds.put(messageId, sentId);
                sends.computeIfAbsent(messageId, k -> new AtomicInteger()).incrementAndGet();
                afterSend.run();
                return json(200, "{\"id\":\"" + sentId + "\",\"threadId\":\"t-" + id + "\",\"labelIds\":[\"SENT\"]}");
            }
            if (method.equals("GET") && path.equals(BASE + "messages")) {
                String q = request.queryParameter("q").isPresent() ? request.queryParameter("q").firstValue() : "";
                String messageId = q.replaceFirst("^.*rfc822msgid:", "").strip();
                String sentId = sentIds.get(messageId);
                return sentId == null ? json(200, "{\"resultSizeEstimate\":0}")
                        : json(200, "{\"messages\":[{\"id\":\"" + sentId + "\",\"threadId\":\"t\"}],\"resultSizeEstimate\":1}");
            }
            return json(404, "{\"error\":{\"code\":404,\"message\":\"Not found: " + path + "\",\"status\":\"NOT_FOUND\"}}");
        } catch (Exception e) {
            return json(400, "{\"error\":{\"code\":400,\"message\":\"" + e.getMessage() + "\",\"status\":\"INVALID_ARGUMENT\"}}");
        }
    }

    private static ResponseDefinition json(int status, String body) {
        return new ResponseDefinitionBuilder().withStatus(status).withHeader("Content-Type", "application/json").withBody(body).build();
    }
}
