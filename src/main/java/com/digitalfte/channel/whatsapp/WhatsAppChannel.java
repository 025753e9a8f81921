package com.digitalfte.channel.whatsapp;

import com.digitalfte.audit.AuditLog;
import com.digitalfte.config.Settings;
import com.digitalfte.vault.SeenIds;
import com.digitalfte.vault.Vault;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The beans of the WhatsApp channel's routes, made from the local agent's settings: the reply
 * executor when Twilio is configured, the webhook and the owner's commands and notifications when
 * the owner's number is too. Their state is in {@code .state/whatsapp/} and never leaves the machine.
 */
public final class WhatsAppChannel {

    private final Map<String, Object> beans = new LinkedHashMap<>();
    private final WhatsAppProblems problems = new WhatsAppProblems();

    /** {@code webhook}, {@code notify}: whether those routes run here (their settings are all given). */
    public WhatsAppChannel(Settings s, Vault vault, AuditLog audit, Clock clock, boolean webhook, boolean notify) {
        Path state = vault.state().resolve("whatsapp");
        String webhookUrl = s.get("TWILIO_WEBHOOK_URL", "");
        TwilioMessages messages = new TwilioMessages(s.get("TWILIO_ACCOUNT_SID", ""), s.get("TWILIO_AUTH_TOKEN", ""),
                WhatsAppAddress.of(s.get("TWILIO_WHATSAPP_FROM", ""), "TWILIO_WHATSAPP_FROM"), s.get("TWILIO_API_BASE_URL", ""),
                webhook ? webhookUrl : "");
        SessionWindows windows = new SessionWindows(state.resolve("last_inbound.txt"), clock);
        beans.put("whatsappReply", new WhatsAppReplyAction(messages, windows));
        if (!webhook && !notify) {
            return;
        }
        String owner = WhatsAppAddress.of(s.get("OWNER_WHATSAPP", ""), "OWNER_WHATSAPP");
        PendingApprovals pending = new PendingApprovals(vault);
        DraftVersions versions = new DraftVersions(state.resolve("shown_versions.txt"));
        if (webhook) {
            beans.put("whatsappWebhook", new WhatsAppWebhook(new TwilioSignature(s.get("TWILIO_AUTH_TOKEN", ""), webhookUrl), owner, windows,
                    problems));
            // the MessageSids seen, never forgotten: a replay, also after a restart, changes nothing
            beans.put("whatsappSeen", new SeenIds(vault.state().resolve("webhooks/whatsapp.txt")));
            beans.put("ownerCommands", new OwnerCommands(vault, audit, pending, versions, owner));
            beans.put("ownerMessages", new OwnerMessages(messages, owner));
        }
        if (notify) {
            beans.put("ownerNotifier", new OwnerNotifier(pending, versions, messages, owner, windows,
                    QuietHours.parse(s.get("NOTIFY_QUIET_HOURS", "")), s.get("TWILIO_NOTIFY_TEMPLATE_SID", ""), problems,
                    clock, state.resolve("notify_queue.txt"), Duration.ofSeconds(s.getInt("NOTIFY_BUNDLE_SECONDS", 5))));
        }
    }

    /** Every bean, by the name the routes call it by. */
    public Map<String, Object> beans() {
        return beans;
    }

    /** The refused messages, for the heartbeat's problems (the Dashboard shows them). */
    public Map<String, String> problems() {
        return problems.current();
    }
}
