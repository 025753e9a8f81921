package com.digitalfte.support;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Twilio's Messages API as WireMock responses, with state: {@code POST
 * /2010-04-01/Accounts/{Sid}/Messages.json} records the message's form (From, To, Body or
 * ContentSid and ContentVariables, StatusCallback) and answers 201 with its SID, as Twilio does; a
 * recipient can be made to be refused with Twilio's error JSON; a hook runs after a message was
 * recorded and before it is answered (where a crash leaves the sender not knowing).
 */
public final class FakeTwilio implements ResponseDefinitionTransformerV2 {

    private static final Pattern MESSAGES = Pattern.compile("/2010-04-01/Accounts/(AC[0-9a-f]{32})/Messages\\.json");

    private final List<Map<String, String>> messages = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> refusals = new ConcurrentHashMap<>();
    private final AtomicInteger sids = new AtomicInteger();
    private final AtomicBoolean armed = new AtomicBoolean();
    private volatile Runnable afterMessage = () -> { };

    /** Every message Twilio was asked to send, as its form, in order. */
    public List<Map<String, String>> messages() {
        return List.copyOf(messages);
    }

    public List<Map<String, String>> messagesTo(String to) {
        return messages.stream().filter(m -> to.equals(m.get("To"))).toList();
    }

    /** Messages to this address are refused with this Twilio error (400). */
    public void refuse(String to, int code) {
        refusals.put(to, code);
    }

    /** Runs the hook once, after the next message is recorded and before it is answered. */
    public void onNextMessage(Runnable hook) {
        afterMessage = hook;
        armed.set(true);
    }

    public void reset() {
        messages.clear();
        refusals.clear();
        armed.set(false);
    }

    @Override
    public String getName() {
        return "fake-twilio";
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        Request request = event.getRequest();
        Matcher m = MESSAGES.matcher(request.getUrl());
        if (!m.matches() || !request.getMethod().getName().equals("POST")) {
            return json(404, "{\"code\":20404,\"message\":\"The requested resource was not found\",\"status\":404}");
        }
        Map<String, String> form = form(request.getBodyAsString());
        Integer refused = refusals.get(form.get("To"));
        if (refused != null) {
            return json(400, "{\"code\":" + refused + ",\"message\":\"Refused by the test\",\"more_info\":\"https://www.twilio.com/docs/errors/"
                    + refused + "\",\"status\":400}");
        }
        String sid = "SM%032x".formatted(sids.incrementAndGet());
        messages.add(form);
        if (armed.compareAndSet(true, false)) {
            afterMessage.run();
        }
        return json(201, "{\"sid\":\"" + sid + "\",\"account_sid\":\"" + m.group(1) + "\",\"status\":\"queued\",\"to\":\""
                + form.getOrDefault("To", "") + "\",\"from\":\"" + form.getOrDefault("From", "") + "\",\"num_segments\":\"1\"}");
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static ResponseDefinition json(int status, String body) {
        return new ResponseDefinitionBuilder().withStatus(status).withHeader("Content-Type", "application/json").withBody(body).build();
    }
}
