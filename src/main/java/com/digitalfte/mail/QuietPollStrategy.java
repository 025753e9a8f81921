package com.digitalfte.mail;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IMAP source's poll strategy and exception handler: a poll that cannot reach the mailbox (TLS,
 * certificate, login, network) is one line in {@link MailProblems}, logged when the reason appears
 * or changes and when the mailbox works again, instead of Camel's warning with a stack trace at
 * every poll. Camel hands a failed poll to the consumer's exception handler after the strategy's
 * rollback, so the handler leaves out what the rollback already reported and logs anything else.
 * Polling goes on at its pace, so the mailbox is read again as soon as the cause is gone.
 */
public final class QuietPollStrategy implements PollingConsumerPollStrategy, ExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(QuietPollStrategy.class);

    private final MailProblems problems;
    private final MailConnection mailbox;
    private volatile Throwable reported;

    public QuietPollStrategy(MailProblems problems, MailConnection mailbox) {
        this.problems = problems;
        this.mailbox = mailbox;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        problems.working(mailbox.key());
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        reported = cause;
        problems.failing(mailbox.key(), mailbox.reason(cause));
        return false;
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        if (exception != null && exception == reported) {
            return;
        }
        LOG.warn("{}: {}", mailbox.key(), message != null ? message : "failed", exception);
    }
}
