package com.digitalfte.support;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The settings of an agent whose mail goes through a test IMAP/SMTP server (GreenMail). */
public final class LocalAgentEnv {

    private LocalAgentEnv() {
    }

    public static Map<String, String> smtp(Path vault, int smtpPort, Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("AGENT_TYPE", "local");
        env.put("VAULT_PATH", vault.toString());
        env.put("MAIL_PROVIDER", "imap");
        env.put("MAIL_SSL", "false");
        env.put("SMTP_HOST", "127.0.0.1");
        env.put("SMTP_PORT", Integer.toString(smtpPort));
        env.put("MAIL_ADDRESS", "me@example.com");
        env.put("MAIL_PASSWORD", "pw-123456");
        env.put("CHANNELS_DIR", dir.resolve("none").toString());
        return env;
    }

    /** The same, and the IMAP side of that mailbox, where sent replies are looked up after a restart. */
    public static Map<String, String> smtpAndImap(Path vault, int smtpPort, int imapPort, String sentCopy, Path dir) {
        Map<String, String> env = smtp(vault, smtpPort, dir);
        env.put("IMAP_HOST", "127.0.0.1");
        env.put("IMAP_PORT", Integer.toString(imapPort));
        env.put("MAIL_SENT_COPY", sentCopy);
        return env;
    }

    /**
     * An agent of this type on its own clone of the shared remote {@code origin}, syncing, beating
     * and refreshing its Dashboard every second, with no mailbox and no channel files.
     */
    public static Map<String, String> synced(String type, Path vault, Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("AGENT_TYPE", type);
        env.put("VAULT_PATH", vault.toString());
        env.put("GIT_REMOTE", "origin");
        env.put("VAULT_SYNC_INTERVAL", "1");
        env.put("HEARTBEAT_INTERVAL", "1");
        env.put("DASHBOARD_INTERVAL", "1");
        env.put("MAIL_PROVIDER", "imap");
        env.put("CHANNELS_DIR", dir.resolve("no-channels").toString());
        return env;
    }

    /** The same, reading and sending mail as {@code address} through a test IMAP/SMTP server. */
    public static Map<String, String> syncedWithMail(String type, Path vault, Path dir, String address, String password,
                                                     int smtpPort, int imapPort) {
        Map<String, String> env = synced(type, vault, dir);
        env.putAll(mailbox(address, smtpPort, imapPort));
        env.put("MAIL_PASSWORD", password);
        env.put("MAIL_POLL_DELAY", "200");
        return env;
    }

    /** The mail settings of an agent whose mailbox {@code address} (password pw-123456) is on a test IMAP/SMTP server. */
    public static Map<String, String> mailbox(String address, int smtpPort, int imapPort) {
        Map<String, String> env = new HashMap<>();
        env.put("MAIL_PROVIDER", "imap");
        env.put("MAIL_SSL", "false");
        env.put("IMAP_HOST", "127.0.0.1");
        env.put("IMAP_PORT", Integer.toString(imapPort));
        env.put("SMTP_HOST", "127.0.0.1");
        env.put("SMTP_PORT", Integer.toString(smtpPort));
        env.put("MAIL_ADDRESS", address);
        env.put("MAIL_PASSWORD", "pw-123456");
        return env;
    }
}
