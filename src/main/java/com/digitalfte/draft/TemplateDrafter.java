package com.digitalfte.draft;

import com.digitalfte.vault.TaskFile;
import java.util.Locale;

/**
 * The drafter that needs no model: the handbook's holding reply, addressed to the sender, about
 * the subject, signed as the handbook says. Sender and subject are only ever pasted in as text.
 */
public final class TemplateDrafter implements Drafter {

    @Override
    public String name() {
        return "template";
    }

    @Override
    public String draft(TaskFile task, Handbook handbook) {
        if (task.type().equals("x_reply")) {
            // X puts the reply under the mention and names its author; it must fit 280
            return "Thanks for reaching out! We have seen your message and will get back to you shortly.";
        }
        // a WhatsApp message gets the same holding reply as an email: its sender's name, its first line as the subject
        if (!task.type().equals("email_reply") && !task.type().equals("whatsapp_reply")) {
            return "Proposed " + task.type().replace('_', ' ') + " for " + task.getOrEmpty("from").strip()
                    + ", about \"" + oneLine(task.getOrEmpty("subject")) + "\".\n\n"
                    + "The template drafter cannot fill this in: write the details here before you approve it.";
        }
        String reply = handbook.holdingReply()
                .replace("{name}", greetingName(task.getOrEmpty("from")))
                .replace("{subject}", oneLine(task.getOrEmpty("subject")));
        String signature = handbook.signature();
        return signature.isEmpty() ? reply : reply + "\n\n" + signature;
    }

    /** "Alice Smith &lt;alice@corp.example.com&gt;" gives "Alice"; a bare address gives its local part. */
    static String greetingName(String from) {
        String f = from.strip();
        int lt = f.indexOf('<');
        String display = lt > 0 ? f.substring(0, lt).strip().replace("\"", "") : "";
        if (!display.isEmpty()) {
            return display.split("\\s+")[0];
        }
        String address = lt >= 0 ? f.substring(lt + 1).replace(">", "") : f;
        int at = address.indexOf('@');
        String local = at > 0 ? address.substring(0, at) : address;
        if (local.isEmpty()) {
            return "there";
        }
        String first = local.split("[._+-]")[0];
        return first.isEmpty() ? "there" : first.substring(0, 1).toUpperCase(Locale.ROOT) + first.substring(1);
    }

    private static String oneLine(String s) {
        String line = s.replaceAll("[\\r\\n]+", " ").strip();
        return line.isEmpty() ? "your message" : line;
    }
}
