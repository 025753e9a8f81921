package com.digitalfte.support;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Posts to the agent's WhatsApp webhook as Twilio does: a form, signed as Twilio documents it
 * (base64 HMAC-SHA1 of the public URL and each parameter's name and value, sorted by name), written
 * here independently of the SDK the agent checks it with.
 */
public final class TwilioWebhookClient {

    public static final String ACCOUNT = "AC" + "0123456789abcdef".repeat(2);
    private static final AtomicInteger SIDS = new AtomicInteger();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String localUrl;
    private final String publicUrl;
    private final String token;

    /** {@code localUrl}: where the agent listens; {@code publicUrl}: what Twilio calls (TWILIO_WEBHOOK_URL). */
    public TwilioWebhookClient(String localUrl, String publicUrl, String token) {
        this.localUrl = localUrl;
        this.publicUrl = publicUrl;
        this.token = token;
    }

    /** A fresh MessageSid, as Twilio's: SM and 32 hex digits. */
    public static String newSid() {
        return "SM%032x".formatted(0x5a000000L + SIDS.incrementAndGet());
    }

    /** The form of an incoming WhatsApp message. */
    public static Map<String, String> message(String sid, String from, String to, String body) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("SmsMessageSid", sid);
        form.put("NumMedia", "0");
        form.put("ProfileName", "Dana");
        form.put("MessageType", "text");
        form.put("SmsSid", sid);
        form.put("WaId", from.replaceAll("\\D", ""));
        form.put("SmsStatus", "received");
        form.put("Body", body);
        form.put("To", to);
        form.put("NumSegments", "1");
        form.put("MessageSid", sid);
        form.put("AccountSid", ACCOUNT);
        form.put("From", from);
        form.put("ApiVersion", "2010-04-01");
        return form;
    }

    public String sign(Map<String, String> form) {
        return sign(publicUrl, token, form);
    }

    public static String sign(String url, String token, Map<String, String> form) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(form).forEach((k, v) -> data.append(k).append(v));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signed as Twilio would. */
    public HttpResponse<String> post(Map<String, String> form) throws Exception {
        return post(form, sign(form));
    }

    /** With this signature header (null: none). */
    public HttpResponse<String> post(Map<String, String> form, String signature) throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(localUrl))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .header("User-Agent", "TwilioProxy/1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (signature != null) {
            request.header("X-Twilio-Signature", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
