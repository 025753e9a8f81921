package com.digitalfte.mail;

import jakarta.mail.Session;
import jakarta.mail.URLName;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPSSLStore;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.ListInfo;

/** {@link BulkFetchImapStore} over TLS ({@code imaps}, {@code mail.imaps.class}). */
public class BulkFetchImapsStore extends IMAPSSLStore {

    public BulkFetchImapsStore(Session session, URLName url) {
        super(session, url);
    }

    /** This store for Jakarta Mail's provider registry. */
    public static class Provider extends jakarta.mail.Provider {

        public Provider() {
            super(Type.STORE, "imaps-bulk", BulkFetchImapsStore.class.getName(), "DigitalFTE", null);
        }
    }

    @Override
    protected IMAPFolder newIMAPFolder(String fullName, char separator, Boolean isNamespace) {
        return new BulkFetchImapStore.Folder(fullName, separator, this, isNamespace);
    }

    @Override
    protected IMAPFolder newIMAPFolder(ListInfo li) {
        return new BulkFetchImapStore.Folder(li, this);
    }
}
