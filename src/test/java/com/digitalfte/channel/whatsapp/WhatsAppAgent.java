package com.digitalfte.channel.whatsapp;

import com.digitalfte.support.AgentEnv;
import com.digitalfte.support.TwilioWebhookClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

/** The settings of a local agent with WhatsApp on, its webhook on a free port, Twilio's API at a test server. */
final class WhatsAppAgent {

    static final String TOKEN = "twilio-auth-token-0f1e2d3c";
    static final String OWNER = "whatsapp:+14155550100";
    static final String FROM = "whatsapp:+14155238886";
    static final String STRANGER = "whatsapp:+447700900123";
    /** What Twilio calls, through a tunnel: not what the local server sees. */
    static final String PUBLIC_URL = "https://assistant.example.org/webhooks/whatsapp";

    final int port = freePort();

    Map<String, String> env(Path vault, Path dir, String twilioApi) {
        return AgentEnv.of("local", vault, dir).heartbeatEvery(1).dashboardEvery(1).twilio(twilioApi, TOKEN, "+14155238886")
                .with("WEBHOOK_PORT", Integer.toString(port)).with("OWNER_WHATSAPP", "+1 415 555 0100")
                .with("TWILIO_WEBHOOK_URL", PUBLIC_URL).with("NOTIFY_BUNDLE_SECONDS", "1").build();
    }

    TwilioWebhookClient twilio() {
        return new TwilioWebhookClient(localUrl(), PUBLIC_URL, TOKEN);
    }

    String localUrl() {
        return "http://127.0.0.1:" + port + "/webhooks/whatsapp";
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
