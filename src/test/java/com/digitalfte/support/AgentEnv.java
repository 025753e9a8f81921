package com.digitalfte.support;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The settings of an agent under test, built up a channel at a time: its type and vault, no mailbox
 * and no channel files, then the providers the test puts on WireMock.
 */
public final class AgentEnv {

    private final Map<String, String> env = new HashMap<>();

    private AgentEnv() {
    }

    /** An agent of this type ({@code local}, {@code cloud}, {@code all}) on this vault, with {@code dir/none} as its (empty) channels folder. */
    public static AgentEnv of(String type, Path vault, Path dir) {
        return new AgentEnv().with("AGENT_TYPE", type).with("VAULT_PATH", vault.toString()).with("MAIL_PROVIDER", "imap")
                .with("CHANNELS_DIR", dir.resolve("none").toString());
    }

    public AgentEnv with(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** How often it writes its heartbeat. */
    public AgentEnv heartbeatEvery(int seconds) {
        return with("HEARTBEAT_INTERVAL", Integer.toString(seconds));
    }

    /** How often it refreshes its Dashboard. */
    public AgentEnv dashboardEvery(int seconds) {
        return with("DASHBOARD_INTERVAL", Integer.toString(seconds));
    }

    /** X API v2 at this base URL as user 42, posting with these OAuth 1.0a keys. */
    public AgentEnv x(String baseUrl, String apiKey, String apiSecret, String accessToken, String accessTokenSecret) {
        return with("X_API_BASE_URL", baseUrl).with("X_USER_ID", "42").with("X_API_KEY", apiKey).with("X_API_SECRET", apiSecret)
                .with("X_ACCESS_TOKEN", accessToken).with("X_ACCESS_TOKEN_SECRET", accessTokenSecret);
    }

    /** LinkedIn's Posts API at this base URL, posting as this author with this token. */
    public AgentEnv linkedIn(String baseUrl, String accessToken, String authorUrn) {
        return with("LINKEDIN_API_BASE_URL", baseUrl).with("LINKEDIN_ACCESS_TOKEN", accessToken).with("LINKEDIN_AUTHOR_URN", authorUrn);
    }

    /** Twilio's Messages API at this base URL, for the test account, sending WhatsApp messages from this number. */
    public AgentEnv twilio(String baseUrl, String authToken, String whatsAppFrom) {
        return with("TWILIO_ACCOUNT_SID", TwilioWebhookClient.ACCOUNT).with("TWILIO_AUTH_TOKEN", authToken)
                .with("TWILIO_WHATSAPP_FROM", whatsAppFrom).with("TWILIO_API_BASE_URL", baseUrl);
    }

    /** A copy the test may still change. */
    public Map<String, String> build() {
        return new HashMap<>(env);
    }
}
