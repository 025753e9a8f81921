package com.digitalfte.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The replies side of a helpdesk's REST API, with state, as WireMock responses: {@code POST
 * /api/tickets/{id}/replies} records a reply (its {@code external_id} included) and answers its id;
 * {@code GET} of the same lists the ticket's replies. A hook runs after a reply was recorded and
 * before the answer goes back: where a crash leaves the poster not knowing.
 */
public final class FakeHelpdesk implements ResponseDefinitionTransformerV2 {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REPLIES = Pattern.compile("/api/tickets/([^/?]+)/replies");

    private final Map<String, List<JsonNode>> replies = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicBoolean armed = new AtomicBoolean();
    private volatile Runnable afterReply = () -> { };

    /** Runs the hook once, after the next reply is recorded and before it is answered. */
    public void onNextReply(Runnable hook) {
        afterReply = hook;
        armed.set(true);
    }

    /** The replies posted to a ticket, as posted. */
    public List<JsonNode> repliesTo(String ticket) {
        return List.copyOf(replies.getOrDefault(ticket, List.of()));
    }

    @Override
    public String getName() {
        return "fake-helpdesk";
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        Request request = event.getRequest();
        Matcher m = REPLIES.matcher(request.getUrl());
        if (!m.lookingAt()) {
            return event.getResponseDefinition();
        }
        String ticket = m.group(1);
        try {
            if (request.getMethod().getName().equals("POST")) {
                ObjectNode reply = (ObjectNode) JSON.readTree(request.getBodyAsString());
                reply.put("id", "RP-" + ids.incrementAndGet());
                replies.computeIfAbsent(ticket, k -> new CopyOnWriteArrayList<>()).add(reply);
                if (armed.compareAndSet(true, false)) {
                    afterReply.run();
                }
                return json(201, "{\"reply\":{\"id\":\"" + reply.get("id").asText() + "\"}}");
            }
            ArrayNode list = JSON.createArrayNode();
            repliesTo(ticket).forEach(list::add);
            return json(200, JSON.createObjectNode().set("replies", list).toString());
        } catch (Exception e) {
            return json(400, "{\"message\":\"" + e.getMessage() + "\"}");
        }
    }

    private static ResponseDefinition json(int status, String body) {
        return new ResponseDefinitionBuilder().withStatus(status).withHeader("Content-Type", "application/json").withBody(body).build();
    }
}
