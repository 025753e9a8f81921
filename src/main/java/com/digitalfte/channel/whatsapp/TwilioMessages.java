package com.digitalfte.channel.whatsapp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.core5.http.HttpHost;

/**
 * WhatsApp messages through Twilio's Messages API ({@code POST /2010-04-01/Accounts/{Sid}/Messages.json}),
 * with the SDK's {@link MessageCreator}: free-form text, or an approved template ({@code ContentSid}
 * and {@code ContentVariables}, which camel-twilio's {@code message/creator} cannot send). Each
 * message asks for its status at the webhook, where a refusal that comes later (63016) is heard.
 */
public final class TwilioMessages {

    /** What Twilio takes in one message body. */
    public static final int MAX_BODY = 1600;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TwilioRestClient client;
    private final String from;
    private final URI statusCallback;

    /**
     * {@code apiBaseUrl}: empty for Twilio itself; else every request goes to that server instead
     * (a test's), the SDK's requests otherwise unchanged. {@code statusCallback}: empty for none.
     */
    public TwilioMessages(String accountSid, String authToken, String from, String apiBaseUrl, String statusCallback) {
        this.client = new TwilioRestClient.Builder(accountSid, authToken).httpClient(sendingOnce(apiBaseUrl)).build();
        this.from = from;
        this.statusCallback = statusCallback == null || statusCallback.isBlank() ? null : URI.create(statusCallback.strip());
    }

    /**
     * The SDK's own HTTP client, which sends each request once. Left as they are, the SDK sends a
     * request again after a 5xx (three times) and Apache's client after a 429 or a 503, a POST
     * included: a message Twilio took before answering 503 would go out twice. Here a 5xx is the
     * executor's to judge (maybe sent: uncertain). With a base URL, a route planner sends every
     * request to that server.
     */
    private static NetworkHttpClient sendingOnce(String baseUrl) {
        HttpClientBuilder http = HttpClientBuilder.create().useSystemProperties().disableAutomaticRetries()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(10, TimeUnit.SECONDS)
                                .setSocketTimeout(30, TimeUnit.SECONDS).build())
                        .build());
        if (baseUrl != null && !baseUrl.isBlank()) {
            HttpHost server;
            try {
                server = HttpHost.create(URI.create(baseUrl.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("TWILIO_API_BASE_URL must be a URL like http://127.0.0.1:8089, not '" + baseUrl + "'", e);
            }
            http.setRoutePlanner((target, context) -> new HttpRoute(server));
        }
        return new NetworkHttpClient(http) {
            @Override
            public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
                return super.reliableRequest(request, retryCodes, 1, 0);
            }
        };
    }

    /** A free-form message: only within 24 hours of the recipient's last message. */
    public Message text(String to, String body) {
        return withCallback(Message.creator(new PhoneNumber(to), new PhoneNumber(from), body)).create(client);
    }

    /** An approved template, its placeholders {{1}}, {{2}}... filled from {@code variables}; goes at any time. */
    public Message template(String to, String contentSid, Map<String, String> variables) {
        String json;
        try {
            json = JSON.writeValueAsString(variables);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        MessageCreator creator = new MessageCreator(new PhoneNumber(to), new PhoneNumber(from), (String) null)
                .setContentSid(contentSid).setContentVariables(json);
        return withCallback(creator).create(client);
    }

    private MessageCreator withCallback(MessageCreator creator) {
        return statusCallback == null ? creator : creator.setStatusCallback(statusCallback);
    }
}
