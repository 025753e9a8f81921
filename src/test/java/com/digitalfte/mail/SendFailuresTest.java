package com.digitalfte.mail;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import java.net.ConnectException;
import java.net.SocketException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;

/** How a failed SMTP send is read: taken or not, and whether trying again in a moment may help. */
class SendFailuresTest {

    @Test
    void noConnectionIsNotSentAndPassing() {
        Exception e = new MessagingException("Couldn't connect to host", new ConnectException("Connection refused"));
        assertThat(MailReplyAction.certainlyNotSent(e)).isTrue();
        assertThat(MailReplyAction.passing(e)).isTrue();
    }

    @Test
    void aTemporaryRefusalIsPassingAndAPermanentOneIsNot() throws Exception {
        InternetAddress to = new InternetAddress("someone@example.com");
        Exception busy = new SMTPAddressFailedException(to, "RCPT TO", 450, "4.2.1 mailbox busy");
        Exception greylisted = new SMTPSendFailedException("DATA", 451, "4.7.1 try again later", null, null, null, null);
        Exception unknown = new SMTPAddressFailedException(to, "RCPT TO", 550, "5.1.1 no such user");
        for (Exception e : new Exception[] {busy, greylisted, unknown}) {
            assertThat(MailReplyAction.certainlyNotSent(new MessagingException("send failed", e))).isTrue();
        }
        assertThat(MailReplyAction.passing(new MessagingException("send failed", busy))).isTrue();
        assertThat(MailReplyAction.passing(greylisted)).isTrue();
        assertThat(MailReplyAction.passing(new MessagingException("send failed", unknown))).isFalse();
    }

    @Test
    void aRefusedLoginIsNotSentButNotPassing() {
        Exception e = new AuthenticationFailedException("535 5.7.8 Authentication credentials invalid");
        assertThat(MailReplyAction.certainlyNotSent(e)).isTrue();
        assertThat(MailReplyAction.passing(e)).isFalse();
    }

    @Test
    void aConnectionLostMidSendIsNeitherSinceTheMessageMayHaveGoneOut() {
        Exception e = new MessagingException("Exception reading response", new SocketException("Connection reset"));
        assertThat(MailReplyAction.certainlyNotSent(e)).isFalse();
        assertThat(MailReplyAction.passing(e)).isFalse();
    }
}
