package com.digitalfte.mail;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.UIDFolder;
import jakarta.mail.URLName;
import jakarta.mail.search.SearchTerm;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.ListInfo;

/**
 * Angus Mail's IMAP store, with folders that fetch the messages a search finds in bulk: flags,
 * envelope, structure, UID and size for a batch in one command, then the whole of every small
 * message in one more. Camel's mail consumer then reads each message from memory instead of asking
 * the server about ten times per message; a burst is fetched in a few round trips instead of
 * thousands. Large messages (over {@link #WHOLE_MESSAGE_MAX} bytes, or past {@link #BATCH_BYTES} in
 * one batch) are still read as before, part by part when they are used.
 *
 * <p>A message is marked {@code \Seen} only after its task is durable: Camel's mail consumer marks
 * it when the exchange has completed, that is after the vault wrote the task file and fsynced it
 * with its folder, and never when the exchange failed; the fetches here are {@code BODY.PEEK[]},
 * which leave the flag alone. The marks are then sent in one {@code STORE} for all the messages
 * marked since, before the folder's next search or when it closes, so the flag reaches the server
 * later still, never earlier. A crash in between leaves those messages unseen: they are read again
 * after the restart and the intake drops them as duplicates by their Message-ID
 * ({@code WatchMailTest} checks both orders against GreenMail).
 *
 * <p>Registered with Jakarta Mail as a provider ({@code META-INF/services/jakarta.mail.Provider}) under
 * a protocol name of its own, so it replaces nothing; a session picks it with the Java Mail property
 * {@code mail.imap.class}, which {@link MailSessions#imap} sets (implicit TLS is {@code mail.imap.ssl.enable}
 * on the same store).
 */
public class BulkFetchImapStore extends IMAPStore {

    /** A message larger than this is not fetched whole in advance. */
    static final long WHOLE_MESSAGE_MAX = 1024 * 1024;
    /** At most this many bytes of whole messages are fetched in advance per search. */
    static final long BATCH_BYTES = 8 * 1024 * 1024;
    /** At most this many messages per search are fetched in advance (the consumer takes 100 a poll). */
    static final int BATCH_MESSAGES = 100;

    public BulkFetchImapStore(Session session, URLName url) {
        super(session, url);
    }

    @Override
    protected IMAPFolder newIMAPFolder(String fullName, char separator, Boolean isNamespace) {
        return new Folder(fullName, separator, this, isNamespace);
    }

    @Override
    protected IMAPFolder newIMAPFolder(ListInfo li) {
        return new Folder(li, this);
    }

    /** This store for Jakarta Mail's provider registry. */
    public static class Provider extends jakarta.mail.Provider {

        public Provider() {
            super(Type.STORE, "imap-bulk", BulkFetchImapStore.class.getName(), "DigitalFTE", null);
        }
    }

    /** A folder whose searches fetch what they find in bulk. */
    static final class Folder extends IMAPFolder {

        Folder(String fullName, char separator, IMAPStore store, Boolean isNamespace) {
            super(fullName, separator, store, isNamespace);
        }

        Folder(ListInfo li, IMAPStore store) {
            super(li, store);
        }

        private static final Flags SEEN = new Flags(Flags.Flag.SEEN);
        private final Object pendingLock = new Object();
        private final Set<Message> pendingSeen = new LinkedHashSet<>();

        @Override
        public synchronized Message[] search(SearchTerm term) throws MessagingException {
            storeSeen();
            return prefetched(super.search(term));
        }

        @Override
        public synchronized Message[] search(SearchTerm term, Message[] messages) throws MessagingException {
            storeSeen();
            return prefetched(super.search(term, messages));
        }

        @Override
        public synchronized void close(boolean expunge) throws MessagingException {
            if (isOpen()) {
                storeSeen();
            }
            super.close(expunge);
        }

        @Override
        protected IMAPMessage newIMAPMessage(int msgnum) {
            return new SeenLater(this, msgnum);
        }

        /** Whether {@code \Seen} may wait for the next search: only in a folder open for writing. */
        boolean seenLater(Message message) {
            if (getMode() != READ_WRITE) {
                return false;
            }
            synchronized (pendingLock) {
                pendingSeen.add(message);
            }
            return true;
        }

        void notSeen(Message message) {
            synchronized (pendingLock) {
                pendingSeen.remove(message);
            }
        }

        /** One {@code STORE +FLAGS (\Seen)} for every message marked since the last. */
        private void storeSeen() throws MessagingException {
            Message[] marked;
            synchronized (pendingLock) {
                if (pendingSeen.isEmpty()) {
                    return;
                }
                marked = pendingSeen.toArray(new Message[0]);
                pendingSeen.clear();
            }
            super.setFlags(marked, SEEN, true);
        }

        private Message[] prefetched(Message[] found) throws MessagingException {
            if (found == null || found.length == 0) {
                return found;
            }
            Message[] batch = found.length > BATCH_MESSAGES ? Arrays.copyOf(found, BATCH_MESSAGES) : found;
            FetchProfile outline = new FetchProfile();
            outline.add(FetchProfile.Item.FLAGS);
            outline.add(FetchProfile.Item.ENVELOPE);
            outline.add(FetchProfile.Item.CONTENT_INFO);
            outline.add(FetchProfile.Item.SIZE);
            outline.add(UIDFolder.FetchProfileItem.UID);
            fetch(batch, outline);
            FetchProfile whole = new FetchProfile();
            whole.add(IMAPFolder.FetchProfileItem.MESSAGE);
            fetch(small(batch), whole);
            return found;
        }

        private static Message[] small(Message[] batch) throws MessagingException {
            long budget = BATCH_BYTES;
            int n = 0;
            Message[] chosen = new Message[batch.length];
            for (Message m : batch) {
                long size = m.getSize();
                if (size >= 0 && size <= WHOLE_MESSAGE_MAX && size <= budget) {
                    chosen[n++] = m;
                    budget -= size;
                }
            }
            return Arrays.copyOf(chosen, n);
        }
    }

    /** A message whose {@code \Seen} flag goes to the server with the others of its batch. */
    static final class SeenLater extends IMAPMessage {

        SeenLater(Folder folder, int msgnum) {
            super(folder, msgnum);
        }

        @Override
        public synchronized void setFlags(Flags flags, boolean set) throws MessagingException {
            Folder owner = (Folder) folder;
            if (set && flags.equals(Folder.SEEN) && owner.seenLater(this)) {
                return;
            }
            if (!set && flags.contains(Flags.Flag.SEEN)) {
                owner.notSeen(this);
            }
            super.setFlags(flags, set);
        }
    }
}
