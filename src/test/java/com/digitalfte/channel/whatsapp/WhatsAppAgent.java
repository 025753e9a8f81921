package com.digitalfte.channel.whatsapp;

import com.digitalfte.support.TwilioWebhookClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
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
        Map<String, String> env = new HashMap<>();
        env.put("AGENT_TYPE", "local");
        env.put("VAULT_PATH", vault.toString());
        env.put("CHANNELS_DIR", dir.resolve("none").toString());
        env.put("MAIL_PROVIDER", "imap");
        env.put("WEBHOOK_PORT", Integer.toString(port));
        env.put("TWILIO_ACCOUNT_SID", TwilioWebhookClient.ACCOUNT);
        env.put("TWILIO_AUTH_TOKEN", TOKEN);
        env.put("TWILIO_WHATSAPP_FROM", "+14155238886");
        env.put("OWNER_WHATSAPP", "+1 415 555 0100");
        env.put("TWILIO_WEBHOOK_URL", PUBLIC_URL);
        env.put("TWILIO_API_BASE_URL", twilioApi);
        env.put("NOTIFY_BUNDLE_SECONDS", "1");
        env.put("HEARTBEAT_INTERVAL", "1");
        env.put("DASHBOARD_INTERVAL", "1");
        return env;
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
