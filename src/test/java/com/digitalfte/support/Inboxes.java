package com.digitalfte.support;

import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.base.GreenMailOperations;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** What a test reads back: the mail a recipient got, the approval request a message became. */
public final class Inboxes {

    private Inboxes() {
    }

    /** Every message the mail server delivered to this address. */
    public static List<MimeMessage> repliesTo(GreenMailOperations mail, String address) {
        return Arrays.stream(mail.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().contains(address));
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    /** Waits for the approval request of the message with this subject, and returns its file. */
    public static Path awaitPending(Path vault, String subject) {
        Path[] found = new Path[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (var files = Files.list(vault.resolve("Pending_Approval"))) {
                for (Path p : files.toList()) {
                    if (Files.readString(p).contains("subject: " + subject + "\n")) {
                        found[0] = p;
                        return true;
                    }
                }
            }
            return false;
        });
        return found[0];
    }
}
