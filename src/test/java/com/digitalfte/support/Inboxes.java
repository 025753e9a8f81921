package com.digitalfte.support;

import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.base.GreenMailOperations;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What a test reads back: the mail a recipient got, the approval request a message became. */
public final class Inboxes {

    private Inboxes() {
    }

    /** Every message the mail server delivered to this address (its inbox, not a sender's Sent copy). */
    public static List<MimeMessage> repliesTo(GreenMailOperations mail, String address) {
        GreenMailUser user = mail.getUserManager().getUserByEmail(address);
        if (user == null) {
            return List.of();
        }
        try {
            return mail.getManagers().getImapHostManager().getInbox(user).getMessages().stream()
                    .map(StoredMessage::getMimeMessage).toList();
        } catch (FolderException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The copies of sent mail the server filed in this user's Sent folder. */
    public static List<MimeMessage> sentBy(GreenMailOperations mail, String address) {
        GreenMailUser user = mail.getUserManager().getUserByEmail(address);
        var sent = user == null ? null : mail.getManagers().getImapHostManager().getFolder(user, "Sent");
        return sent == null ? List.of() : sent.getMessages().stream().map(StoredMessage::getMimeMessage).toList();
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
