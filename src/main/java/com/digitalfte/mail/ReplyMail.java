package com.digitalfte.mail;

import com.digitalfte.vault.TaskFile;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;

/**
 * The reply to an {@code email_reply} task: to the sender (or Reply-To), {@code Re:} subject,
 * threaded with {@code In-Reply-To} and {@code References}, and a {@code Message-ID} fixed by the
 * task id, so a resend after a crash can be recognised in the Sent folder.
 */
public final class ReplyMail {

    private static final Session SESSION = Session.getInstance(new Properties());

    private ReplyMail() {
    }

    public static String messageIdFor(TaskFile task, String fromAddress) {
        int at = fromAddress.lastIndexOf('@');
        String domain = at >= 0 ? fromAddress.substring(at + 1) : "digitalfte.local";
        return "<" + task.id() + ".reply@" + domain + ">";
    }

    public static MimeMessage build(TaskFile task, String fromAddress) throws MessagingException {
        String draft = task.section(TaskFile.DRAFT).orElseThrow(() -> new IllegalArgumentException("task " + task.id() + " has no '## Draft' section"));
        String to = task.get("reply_to").orElse(task.getOrEmpty("from"));
        if (to.isBlank()) {
            throw new IllegalArgumentException("task " + task.id() + " has no 'from' to reply to");
        }
        MimeMessage message = new FixedIdMimeMessage(messageIdFor(task, fromAddress));
        message.setFrom(new InternetAddress(fromAddress));
        try {
            message.setRecipients(MimeMessage.RecipientType.TO, InternetAddress.parse(to, false));
        } catch (AddressException e) {
            throw new IllegalArgumentException("task " + task.id() + ": cannot reply to '" + to + "': " + e.getMessage());
        }
        message.setSubject(replySubject(task.getOrEmpty("subject")), "UTF-8");
        String original = task.getOrEmpty("message_id");
        if (!original.isBlank()) {
            message.setHeader("In-Reply-To", original);
            String refs = task.getOrEmpty("references");
            message.setHeader("References", refs.isBlank() ? original : refs + " " + original);
        }
        message.setText(body(task), "UTF-8");
        message.saveChanges();
        return message;
    }

    /** The reply's text: the task's {@code ## Draft} as the owner left it, ending with a line break. */
    public static String body(TaskFile task) {
        String draft = task.section(TaskFile.DRAFT).orElseThrow(() -> new IllegalArgumentException("task " + task.id() + " has no '## Draft' section"));
        return draft.endsWith("\n") ? draft : draft + "\n";
    }

    static String replySubject(String subject) {
        String s = subject == null ? "" : subject.strip();
        return s.regionMatches(true, 0, "Re:", 0, 3) ? s : "Re: " + s;
    }

    /** JavaMail replaces the Message-ID on every save; this one keeps the one it was given. */
    private static final class FixedIdMimeMessage extends MimeMessage {
        private final String messageId;

        FixedIdMimeMessage(String messageId) {
            super(SESSION);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
