package com.digitalfte.mail;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.mail.MovingMessage;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The mailbox of the no-configuration default: an in-process IMAP and SMTP server on 127.0.0.1.
 * Logins are full addresses; anybody it delivers to gets an account whose password is the address.
 * Like hosted mail, it files a copy of what its users send in their {@code Sent} folder.
 */
public final class EmbeddedMailbox implements AutoCloseable {

    private final GreenMail greenMail;

    public EmbeddedMailbox(int smtpPort, int imapPort, String address, String password) {
        System.setProperty("greenmail.users.login", "email");
        this.greenMail = new GreenMail(new ServerSetup[] {
            new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)
        }).withConfiguration(GreenMailConfiguration.aConfig().withUser(address, address, password));
        fileSentCopies(greenMail.getUserManager());
    }

    /**
     * Makes a GreenMail server file a copy of every message one of its users sends in that user's
     * {@code Sent} folder, before the SMTP transaction is answered, as Gmail or Outlook do.
     */
    public static void fileSentCopies(UserManager users) {
        MessageDeliveryHandler deliver = users.getMessageDeliveryHandler();
        ImapHostManager folders = users.getImapHostManager();
        Set<MovingMessage> filed = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
        users.setMessageDeliveryHandler((message, recipient) -> {
            GreenMailUser sender = message.getReturnPath() == null ? null : users.getUserByEmail(message.getReturnPath().getEmail());
            if (sender != null && filed.add(message)) {
                try {
                    MailFolder sent = folders.getFolder(sender, "Sent");
                    if (sent == null) {
                        sent = folders.createMailbox(sender, "Sent");
                    }
                    sent.store(message.getMessage());
                } catch (Exception e) {
                    throw new jakarta.mail.MessagingException("cannot file a sent copy for " + sender.getEmail(), e);
                }
            }
            return deliver.handle(message, recipient);
        });
    }

    public void start() {
        greenMail.start();
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
