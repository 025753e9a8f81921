package com.digitalfte.odoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.digitalfte.support.FakeOdoo;
import com.digitalfte.support.XmlRpcOdoo;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import org.junit.jupiter.api.Test;

/** The XML-RPC client against apache-xmlrpc's own server, playing a hostile Odoo (CVE-2019-17570). */
class XmlRpcApiTest {

    static final AtomicBoolean DESERIALIZED = new AtomicBoolean();

    /** What a hostile server's faultCause runs on a client that deserializes it: here, only a flag. */
    static final class Tripwire extends Exception {
        Tripwire() {
            super("tripwire");
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            DESERIALIZED.set(true);
        }
    }

    @Test
    void aFaultsSerializedCauseFromAHostileServerIsNeverDeserializedAndOdoosMessageIsKept() throws Exception {
        FakeOdoo odoo = new FakeOdoo();
        odoo.failOn("account.move", "create", FakeOdoo.Raised.ACCESS_ERROR, "You are not allowed to create 'Journal Entry' (account.move) records.");
        try (XmlRpcOdoo server = new XmlRpcOdoo(odoo)) {
            server.hostile(new Tripwire());

            // the library as it comes deserializes the cause: the hole
            XmlRpcClientConfigImpl config = new XmlRpcClientConfigImpl();
            config.setServerURL(URI.create(server.url() + "/xmlrpc/2/object").toURL());
            XmlRpcClient stock = new XmlRpcClient();
            assertThatThrownBy(() -> stock.execute(config, "execute_kw", new Object[] {FakeOdoo.DB, FakeOdoo.UID, FakeOdoo.API_KEY,
                    "account.move", "create", new Object[] {new Object[] {Map.of("ref", "x")}}, Map.of()})).isInstanceOf(XmlRpcException.class);
            assertThat(DESERIALIZED).as("the stock parser deserializes faultCause").isTrue();
            DESERIALIZED.set(false);

            XmlRpcApi api = new XmlRpcApi(new OdooSettings(server.url(), FakeOdoo.DB, FakeOdoo.LOGIN, "", FakeOdoo.API_KEY, "xmlrpc",
                    Duration.ofSeconds(5)));
            assertThatThrownBy(() -> api.call("account.move", "create", Map.of("vals_list", List.of(Map.of("ref", "x")))))
                    .isInstanceOfSatisfying(OdooException.class, e -> {
                        assertThat(e.getMessage()).isEqualTo("You are not allowed to create 'Journal Entry' (account.move) records.");
                        assertThat(e.status()).isEqualTo(4);
                        assertThat(e.name()).isEqualTo("odoo.exceptions.AccessError");
                    });
            assertThat(DESERIALIZED).as("this client's parser drops faultCause").isFalse();
        }
    }

    @Test
    void aServerThatIsNotThereIsNotSentAndOneThatHangsUpMayHaveActed() throws Exception {
        XmlRpcApi nobody = new XmlRpcApi(new OdooSettings("http://127.0.0.1:1", FakeOdoo.DB, FakeOdoo.LOGIN, "", FakeOdoo.API_KEY, "xmlrpc",
                Duration.ofSeconds(2)));
        assertThatThrownBy(() -> nobody.call("res.partner", "search_read", Map.of("domain", List.of())))
                .isInstanceOfSatisfying(OdooTransportException.class, e -> assertThat(e.sent()).isFalse());
        FakeOdoo odoo = new FakeOdoo();
        odoo.loseAnswerTo("res.partner", "create");
        try (XmlRpcOdoo server = new XmlRpcOdoo(odoo)) {
            XmlRpcApi api = new XmlRpcApi(new OdooSettings(server.url(), FakeOdoo.DB, FakeOdoo.LOGIN, FakeOdoo.PASSWORD, "", "xmlrpc",
                    Duration.ofSeconds(2)));
            assertThatThrownBy(() -> api.call("res.partner", "create", Map.of("vals_list", List.of(Map.of("name", "Kim")))))
                    .isInstanceOfSatisfying(OdooTransportException.class, e -> assertThat(e.sent()).isTrue());
            assertThat(odoo.calls("common", "authenticate")).singleElement()
                    .satisfies(c -> assertThat(c.params()).containsEntry("password", FakeOdoo.PASSWORD));
        }
    }
}
