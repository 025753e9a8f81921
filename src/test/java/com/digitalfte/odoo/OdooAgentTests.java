package com.digitalfte.odoo;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.digitalfte.support.FakeOdoo;
import com.digitalfte.support.Json2Odoo;
import com.digitalfte.support.OdooTasks;
import com.digitalfte.support.XmlRpcOdoo;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What the tests of a local agent against Odoo share: a fresh {@link FakeOdoo} per test, over JSON-2 (WireMock) and XML-RPC. */
abstract class OdooAgentTests {

    static final Json2Odoo JSON2 = new Json2Odoo();

    @RegisterExtension
    static WireMockExtension json2 = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(JSON2)).build();

    @TempDir
    Path dir;

    FakeOdoo odoo;
    XmlRpcOdoo xmlrpc;
    Path vault;

    @BeforeEach
    void startOdoo() throws Exception {
        odoo = new FakeOdoo();
        JSON2.use(odoo);
        json2.stubFor(any(anyUrl()).willReturn(ok()));
        xmlrpc = new XmlRpcOdoo(odoo);
        vault = dir.resolve("vault");
    }

    @AfterEach
    void stopOdoo() {
        xmlrpc.close();
    }

    String url(String api) {
        return api.equals("json2") ? json2.baseUrl() : xmlrpc.url();
    }

    Map<String, String> env(String api) {
        return OdooTasks.env(vault, dir, url(api), api);
    }

    /** The calls on Odoo's models, without the login and the Dashboard's look at the API keys. */
    List<FakeOdoo.Call> modelCalls() {
        return odoo.calls().stream().filter(c -> !c.model().equals("res.users.apikeys") && !c.model().equals("common")).toList();
    }
}
