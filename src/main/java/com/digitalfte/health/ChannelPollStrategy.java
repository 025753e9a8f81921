package com.digitalfte.health;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;

/**
 * A polling consumer's calls (an IMAP mailbox, any scheduled poll) as seen by {@link ChannelHealth}:
 * a failed poll never reaches the route, so only the consumer's poll strategy sees it. Set as the
 * endpoint's {@code pollStrategy}; the consumer still logs and retries at the next poll as before.
 */
public final class ChannelPollStrategy implements PollingConsumerPollStrategy {

    private final ChannelHealth health;
    private final String channel;

    public ChannelPollStrategy(ChannelHealth health, String channel) {
        this.health = health;
        this.channel = channel;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        health.calling(channel);
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        health.succeeded(channel);
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        health.failed(channel, cause);
        return false;
    }
}
