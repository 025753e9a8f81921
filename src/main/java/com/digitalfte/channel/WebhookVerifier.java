package com.digitalfte.channel;

import java.util.Map;

/**
 * Tells a webhook request its provider signed from one anybody could send: the provider's own
 * scheme (a shared-secret HMAC over the body, Twilio's over the URL and the form) over the request
 * as it arrived, before anything else reads it.
 */
public interface WebhookVerifier {

    /** {@code headers}: the request's, names in any case; {@code body}: its bytes as received. */
    boolean verified(Map<String, Object> headers, byte[] body);
}
