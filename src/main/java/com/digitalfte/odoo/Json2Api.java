package com.digitalfte.odoo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Odoo 19's JSON-2 API: {@code POST /json/2/<model>/<method>} with the named arguments as a JSON
 * object, {@code Authorization: bearer <API key>} and {@code X-Odoo-Database}; each call is its own
 * transaction. An error is {@code {name, message, arguments, context, debug}}: the message is kept,
 * the debug traceback never leaves this class.
 */
final class Json2Api implements OdooApi {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String base;
    private final String apiKey;
    private final String database;
    private final Duration timeout;

    Json2Api(HttpClient http, OdooSettings settings) {
        this.http = http;
        this.base = settings.url();
        this.apiKey = settings.apiKey();
        this.database = settings.database();
        this.timeout = settings.timeout();
    }

    @Override
    public String name() {
        return "json2";
    }

    @Override
    public Object call(String model, String method, Map<String, Object> params) throws OdooException, OdooTransportException {
        String where = model + "/" + method;
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(base + "/json/2/" + where)).timeout(timeout)
                    .header("Authorization", "bearer " + apiKey)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("User-Agent", "DigitalFTE")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(params), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the arguments of " + where, e);
        }
        if (!database.isEmpty()) {
            request.header("X-Odoo-Database", database);
        }
        HttpResponse<String> response = send(http, request.build(), where);
        return answer(response, where);
    }

    /** Sends, telling a call that never left (no connection) from one that may have reached Odoo. */
    static HttpResponse<String> send(HttpClient http, HttpRequest request, String where) throws OdooTransportException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException | ConnectException | UnknownHostException | NoRouteToHostException e) {
            throw new OdooTransportException("Odoo cannot be reached (" + describe(e) + ")", false, e);
        } catch (HttpTimeoutException e) {
            throw new OdooTransportException("Odoo did not answer " + where + " in time", true, e);
        } catch (IOException e) {
            throw new OdooTransportException("the connection to Odoo broke during " + where + " (" + describe(e) + ")", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OdooTransportException("interrupted while waiting for Odoo's answer to " + where, true, e);
        }
    }

    private static Object answer(HttpResponse<String> response, String where) throws OdooException, OdooTransportException {
        int status = response.statusCode();
        JsonNode body = parse(response.body());
        if (status == 200) {
            if (body == null && !response.body().isBlank()) {
                throw new OdooTransportException("Odoo's answer to " + where + " is not JSON", true, null);
            }
            return body == null ? null : JSON.convertValue(body, Object.class);
        }
        if (status == 429) {
            throw new OdooTransportException("Odoo asks to slow down (HTTP 429)", false, null);
        }
        if (body != null && body.isObject() && body.hasNonNull("message")) {
            // Odoo answered and rolled back: its own words, without the traceback in "debug"; an error that is not one of
            // Odoo's own refusals says what was raised, as the last line of its traceback would
            String name = body.path("name").asText("HTTP " + status);
            String message = body.get("message").asText();
            throw new OdooException(name, status >= 500 ? name.substring(name.lastIndexOf('.') + 1) + ": " + message : message, status);
        }
        if (status >= 500) {
            throw new OdooTransportException("HTTP " + status + " without an answer from Odoo to " + where + " (a proxy or a restart?)", true, null);
        }
        throw new OdooException("HTTP " + status, "HTTP " + status + " for " + where + ", which is not an answer from Odoo: is ODOO_URL right,"
                + " and is this Odoo 19 or later (else set ODOO_API=xmlrpc)?", status);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
