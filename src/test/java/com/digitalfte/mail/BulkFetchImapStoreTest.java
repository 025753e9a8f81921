package com.digitalfte.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.search.FlagTerm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The IMAP store that fetches what a search finds in bulk, against GreenMail, next to the plain store. */
class BulkFetchImapStoreTest {

    private static final String ME = "me@example.com";

    @RegisterExtension
    GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(ME, ME, "pw-123456"));

    @Test
    void aSearchFetchesItsMessagesInTwoCommandsAndTheyReadTheSame() throws Exception {
        for (int i = 0; i < 20; i++) {
            GreenMailUtil.sendTextEmail(ME, "sender" + i + "@example.com", "Question " + i, "Body of message " + i + "\r\n",
                    mail.getSmtp().getServerSetup());
        }
        String large = String.join("", Collections.nCopies(1100 * 1024 / 64, "0123456789abcdef0123456789abcdef0123456789abcdef012345678901234\n"));
        GreenMailUtil.sendTextEmail(ME, "big@example.com", "Large", large, mail.getSmtp().getServerSetup());

        ByteArrayOutputStream plainLog = new ByteArrayOutputStream();
        List<String> plain = readUnseen(new Properties(), plainLog);
        ByteArrayOutputStream bulkLog = new ByteArrayOutputStream();
        Properties bulkStore = new Properties();
        bulkStore.put("mail.imap.class", BulkFetchImapStore.class.getName());
        List<String> bulk = readUnseen(bulkStore, bulkLog);

        assertThat(stores).containsExactly(org.eclipse.angus.mail.imap.IMAPStore.class, BulkFetchImapStore.class);
        assertThat(bulk).hasSize(21).isEqualTo(plain);
        assertThat(bulk.get(0)).contains("Question 0").contains("Body of message 0");
        long plainFetches = fetchCommands(plainLog);
        long bulkFetches = fetchCommands(bulkLog);
        // the outline and the small messages in one command each; the large one read as before
        assertThat(bulkFetches).isLessThanOrEqualTo(5);
        assertThat(plainFetches).isGreaterThan(40);
    }

    /** Subject, sender, Message-ID, flags and text of every unseen message, the way the IMAP consumer reads them. */
    @Test
    void seenFlagsGoToTheServerInOneCommandBeforeTheNextSearchOrAtClose() throws Exception {
        for (int i = 0; i < 10; i++) {
            GreenMailUtil.sendTextEmail(ME, "sender" + i + "@example.com", "Question " + i, "Body " + i + "\r\n", mail.getSmtp().getServerSetup());
        }
        Properties props = new Properties();
        props.put("mail.imap.class", BulkFetchImapStore.class.getName());
        Session session = Session.getInstance(props);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        session.setDebug(true);
        session.setDebugOut(new PrintStream(log, true, StandardCharsets.UTF_8));
        Store store = session.getStore("imap");
        store.connect("127.0.0.1", mail.getImap().getPort(), ME, "pw-123456");
        FlagTerm unseen = new FlagTerm(new Flags(Flags.Flag.SEEN), false);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message[] found = inbox.search(unseen, inbox.getMessages());
            assertThat(found).hasSize(10);
            for (int i = 0; i < 6; i++) {
                found[i].setFlag(Flags.Flag.SEEN, true);
            }
            // one handed back (a failed task): it stays unseen
            found[5].setFlag(Flags.Flag.SEEN, false);
            assertThat(unseenOnServer()).isEqualTo(10);
            assertThat(inbox.search(unseen, inbox.getMessages())).hasSize(5);
            assertThat(unseenOnServer()).isEqualTo(5);

            inbox.search(unseen, inbox.getMessages())[0].setFlag(Flags.Flag.SEEN, true);
            inbox.close(false);
            assertThat(unseenOnServer()).isEqualTo(4);
        } finally {
            store.close();
        }
        assertThat(log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.matches("^[A-Z]+\\d+ (UID )?STORE .*\\+FLAGS.*"))).hasSize(2);
    }

    private int unseenOnServer() throws Exception {
        Store store = Session.getInstance(new Properties()).getStore("imap");
        store.connect("127.0.0.1", mail.getImap().getPort(), ME, "pw-123456");
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            int n = inbox.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false)).length;
            inbox.close(false);
            return n;
        } finally {
            store.close();
        }
    }

    private final List<Class<?>> stores = new ArrayList<>();

    private List<String> readUnseen(Properties extra, ByteArrayOutputStream log) throws Exception {
        Properties props = new Properties();
        props.putAll(extra);
        // the large message in one piece, not in 16 KB parts, so the commands are easy to count
        props.put("mail.imap.partialfetch", "false");
        Session session = Session.getInstance(props);
        session.setDebug(true);
        session.setDebugOut(new PrintStream(log, true, StandardCharsets.UTF_8));
        List<String> read = new ArrayList<>();
        Store store = session.getStore("imap");
        stores.add(store.getClass());
        store.connect("127.0.0.1", mail.getImap().getPort(), ME, "pw-123456");
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            for (Message m : inbox.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false), inbox.getMessages())) {
                read.add(m.getSubject() + "|" + m.getFrom()[0] + "|" + String.join(",", m.getHeader("Message-ID")) + "|"
                        + m.getFlags().contains(Flags.Flag.SEEN) + "|" + m.getContent());
            }
            // unread again for the next reader
            inbox.setFlags(inbox.getMessages(), new Flags(Flags.Flag.SEEN), false);
            inbox.close(false);
        } finally {
            store.close();
        }
        return read;
    }

    /** Commands by their tag: one letter for a JVM's first 26 IMAP connections, then AA, AB... (Angus Mail numbers them). */
    private static long fetchCommands(ByteArrayOutputStream log) {
        return log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.matches("^[A-Z]+\\d+ (UID )?FETCH .*")).count();
    }
}
