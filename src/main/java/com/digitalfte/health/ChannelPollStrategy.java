package com.digitalfte.health;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;

/**
 * A polling consumer's calls (an IMAP mailbox, any scheduled poll) as seen by {@link ChannelHealth}:
 * a failed poll never reaches the route, so only the consumer's poll strategy sees it. Set as the
 * endpoint's {@code pollStrategy} in front of the strategy it had (the mailbox's quiet logging),
 * which decides as before.
 */
public final class ChannelPollStrategy implements PollingConsumerPollStrategy {

    private final ChannelHealth health;
    private final String channel;
    private final PollingConsumerPollStrategy next;

    public ChannelPollStrategy(ChannelHealth health, String channel, PollingConsumerPollStrategy next) {
        this.health = health;
        this.channel = channel;
        this.next = next;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        health.calling(channel);
        return next.begin(consumer, endpoint);
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        health.succeeded(channel);
        next.commit(consumer, endpoint, polledMessages);
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) throws Exception {
        health.failed(channel, cause);
        return next.rollback(consumer, endpoint, retryCounter, cause);
    }
}
