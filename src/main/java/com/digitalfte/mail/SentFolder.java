package com.digitalfte.mail;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.MessageIDTerm;
import java.util.Arrays;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailbox's Sent folder over IMAP, where a reply is looked up by its fixed {@code Message-ID}
 * when a restart finds it begun and not recorded as sent.
 *
 * <p>Who files the copy decides what "not found" means. {@code server}: the mail server files a copy
 * of everything it accepts (Gmail, Outlook, the built-in mailbox), so a reply not in Sent was not
 * sent and can be sent again. {@code agent}: the agent appends the copy right after the send, so a
 * reply not in Sent may still have gone out in the instant between; its outcome is unknown.
 *
 * <p>Which folder: the one named ({@code MAIL_SENT_FOLDER}), else the one the server marks with the
 * {@code \Sent} attribute (RFC 6154 SPECIAL-USE: Dovecot's "Sent" or "Sent Messages", Outlook's "Sent
 * Items", Gmail's "[Gmail]/Sent Mail"), else {@code Sent}, created when the first copy is filed.
 */
public final class SentFolder {

    private static final Logger LOG = LoggerFactory.getLogger(SentFolder.class);

    static final String DEFAULT = "Sent";

    private String security = "ssl";
    private String caFile = "";
    private String host = "localhost";
    private int port = 993;
    private String username = "";
    private String password = "";
    private String folder = "";
    private String copies = "agent";
    /** The folder the server marks {@code \Sent}, once it was asked ("" when none is). */
    private volatile String found;

    /** {@code ssl}, {@code starttls} or {@code none}, as {@link MailSessions} takes it. */
    public void setSecurity(String security) {
        MailSessions.Security.parse("IMAP security", security);
        this.security = security;
    }

    /** A PEM file of certificates to trust besides the system's; empty for none. */
    public void setCaFile(String caFile) {
        this.caFile = caFile;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    /** The Sent folder's name; empty to find it by its {@code \Sent} attribute. */
    public void setFolder(String folder) {
        this.folder = folder.strip();
    }

    /** {@code server} or {@code agent}: who files a copy of each sent reply in the Sent folder. */
    public void setCopies(String copies) {
        if (!copies.equals("server") && !copies.equals("agent")) {
            throw new IllegalArgumentException("MAIL_SENT_COPY must be 'server' or 'agent', not '" + copies + "'");
        }
        this.copies = copies;
    }

    public boolean serverFilesCopies() {
        return copies.equals("server");
    }

    /** The Sent folder's name, as far as it is known: the one named, found, or the default. */
    public String name() {
        return !folder.isEmpty() ? folder : found != null && !found.isEmpty() ? found : DEFAULT;
    }

    /** Where sent copies go and who files them, for the start-up summary; asks the server when no folder is named. */
    public String describe() throws MessagingException {
        String who = serverFilesCopies() ? "the server files the copies" : "the agent files the copies";
        if (!folder.isEmpty()) {
            return "'" + folder + "' (MAIL_SENT_FOLDER), " + who;
        }
        try (Store store = connect()) {
            String name = resolve(store);
            String how = !found.isEmpty() ? "the folder marked \\Sent"
                    : store.getFolder(DEFAULT).exists() ? "no folder is marked \\Sent" : "no folder is marked \\Sent; made with the first copy";
            return "'" + name + "' (" + how + "), " + who;
        }
    }

    /** Whether a message with this Message-ID is in the Sent folder. */
    public boolean holds(String messageId) throws MessagingException {
        try (Store store = connect()) {
            Folder sent = store.getFolder(resolve(store));
            if (!sent.exists()) {
                return false;
            }
            sent.open(Folder.READ_ONLY);
            try {
                return sent.search(new MessageIDTerm(messageId)).length > 0;
            } finally {
                sent.close(false);
            }
        }
    }

    /**
     * Appends a copy of a sent reply, when the agent is the one that files copies. Never throws: the
     * reply is sent whatever happens here, and a missing copy only makes a later lookup uncertain.
     */
    public void file(MimeMessage message) {
        if (serverFilesCopies()) {
            return;
        }
        try (Store store = connect()) {
            Folder sent = store.getFolder(resolve(store));
            if (!sent.exists()) {
                sent.create(Folder.HOLDS_MESSAGES);
            }
            message.setFlag(Flags.Flag.SEEN, true);
            sent.appendMessages(new Message[] {message});
        } catch (MessagingException e) {
            LOG.warn("The reply {} was sent, but its copy could not be put in the '{}' folder: {}",
                    messageIdOf(message), name(), new MailConnection("IMAP", username, host, port, security).reason(e));
        }
    }

    private static String messageIdOf(MimeMessage message) {
        try {
            return message.getMessageID();
        } catch (MessagingException e) {
            return "(no Message-ID)";
        }
    }

    /** The named folder, or the one marked {@code \Sent} (asked once), or {@link #DEFAULT}. */
    private String resolve(Store store) throws MessagingException {
        if (!folder.isEmpty()) {
            return folder;
        }
        if (found == null) {
            found = Arrays.stream(store.getDefaultFolder().list("*"))
                    .filter(f -> f instanceof IMAPFolder imap && isSent(imap))
                    .map(Folder::getFullName)
                    .findFirst().orElse("");
        }
        return name();
    }

    private static boolean isSent(IMAPFolder folder) {
        try {
            return Arrays.stream(folder.getAttributes()).anyMatch("\\Sent"::equalsIgnoreCase);
        } catch (MessagingException e) {
            return false;
        }
    }

    private Store connect() throws MessagingException {
        Store store = MailSessions.imap(security, caFile).getStore("imap");
        store.connect(host, port, username, password);
        return store;
    }
}
