package com.digitalfte.mail;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * The mailbox of the no-configuration default: an in-process IMAP and SMTP server on 127.0.0.1.
 * Logins are full addresses; anybody it delivers to gets an account whose password is the address.
 */
public final class EmbeddedMailbox implements AutoCloseable {

    private final GreenMail greenMail;

    public EmbeddedMailbox(int smtpPort, int imapPort, String address, String password) {
        System.setProperty("greenmail.users.login", "email");
        this.greenMail = new GreenMail(new ServerSetup[] {
            new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)
        }).withConfiguration(GreenMailConfiguration.aConfig().withUser(address, address, password));
    }

    public void start() {
        greenMail.start();
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
