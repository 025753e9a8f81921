package com.digitalfte.mail;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.MessageIDTerm;
import java.util.Properties;
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
 */
public final class SentFolder {

    private static final Logger LOG = LoggerFactory.getLogger(SentFolder.class);

    private String protocol = "imaps";
    private String host = "localhost";
    private int port = 993;
    private String username = "";
    private String password = "";
    private String folder = "Sent";
    private String copies = "agent";

    public void setProtocol(String protocol) {
        this.protocol = protocol;
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

    public void setFolder(String folder) {
        this.folder = folder;
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

    public String name() {
        return folder;
    }

    /** Whether a message with this Message-ID is in the Sent folder. */
    public boolean holds(String messageId) throws MessagingException {
        try (Store store = connect()) {
            Folder sent = store.getFolder(folder);
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
            Folder sent = store.getFolder(folder);
            if (!sent.exists()) {
                sent.create(Folder.HOLDS_MESSAGES);
            }
            message.setFlag(Flags.Flag.SEEN, true);
            sent.appendMessages(new Message[] {message});
        } catch (MessagingException e) {
            LOG.warn("The reply {} was sent, but its copy could not be put in the '{}' folder: {}",
                    messageIdOf(message), folder, e.getMessage());
        }
    }

    private static String messageIdOf(MimeMessage message) {
        try {
            return message.getMessageID();
        } catch (MessagingException e) {
            return "(no Message-ID)";
        }
    }

    private Store connect() throws MessagingException {
        Properties props = new Properties();
        props.put("mail." + protocol + ".connectiontimeout", "20000");
        props.put("mail." + protocol + ".timeout", "30000");
        Store store = Session.getInstance(props).getStore(protocol);
        store.connect(host, port, username, password);
        return store;
    }
}
