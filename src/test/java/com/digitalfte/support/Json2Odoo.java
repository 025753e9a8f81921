package com.digitalfte.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link FakeOdoo} over Odoo 19's JSON-2 API, as WireMock responses: {@code POST /json/2/<model>/<method>}
 * with {@code Authorization: bearer <API key>} and the named arguments as a JSON object; errors as
 * {@code {name, message, arguments, context, debug}} with Odoo's status (401 "Invalid apikey", 403,
 * 404, 422, 500); {@code GET /web/version}. WireMock's journal keeps each request for the tests to read.
 */
public final class Json2Odoo implements ResponseDefinitionTransformerV2 {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile("/json/2/([a-z0-9_.]+)/([a-z0-9_]+)");

    private volatile FakeOdoo odoo = new FakeOdoo();

    /** The Odoo behind it (a fresh one per test). */
    public void use(FakeOdoo odoo) {
        this.odoo = odoo;
    }

    @Override
    public String getName() {
        return "json2-odoo";
    }

    @Override
    public boolean applyGlobally() {
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public ResponseDefinition transform(ServeEvent event) {
        Request request = event.getRequest();
        String path = request.getUrl().replaceFirst("\\?.*", "");
        if (request.getMethod().getName().equals("GET") && path.equals("/web/version")) {
            return json(200, Map.of("version_info", List.of(odoo.major(), 0, 0, "final", 0, ""), "version", odoo.major() + ".0"));
        }
        Matcher m = PATH.matcher(path);
        if (!request.getMethod().getName().equals("POST") || !m.matches()) {
            return error(404, "werkzeug.exceptions.NotFound", "Did you mean POST /json/2/<model>/<method>?");
        }
        if (!("bearer " + FakeOdoo.API_KEY).equals(request.getHeader("Authorization"))) {
            return error(401, "werkzeug.exceptions.Unauthorized", "Invalid apikey");
        }
        try {
            Map<String, Object> params = request.getBodyAsString().isBlank() ? new LinkedHashMap<>() : JSON.readValue(request.getBodyAsString(), Map.class);
            return json(200, odoo.execute("json2", m.group(1), m.group(2), params));
        } catch (FakeOdoo.AnswerLost e) {
            return new ResponseDefinitionBuilder().withStatus(502).withHeader("Content-Type", "text/html").withBody("<html>502 Bad Gateway</html>").build();
        } catch (FakeOdoo.OdooError e) {
            return error(e.kind.httpStatus, e.kind.odooName, e.getMessage(), e.traceback());
        } catch (Exception e) {
            return error(400, "werkzeug.exceptions.BadRequest", String.valueOf(e.getMessage()));
        }
    }

    private static ResponseDefinition error(int status, String name, String message) {
        return error(status, name, message, "Traceback (most recent call last):\n  File \"odoo/http.py\", line 2138\n" + name + ": " + message);
    }

    private static ResponseDefinition error(int status, String name, String message, String debug) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("message", message);
        body.put("arguments", List.of(message));
        body.put("context", Map.of());
        body.put("debug", debug);
        return json(status, body);
    }

    private static ResponseDefinition json(int status, Object body) {
        try {
            return new ResponseDefinitionBuilder().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8")
                    .withBody(JSON.writeValueAsString(body)).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
