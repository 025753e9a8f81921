package com.digitalfte.vault;

/**
 * The provider certainly did not act and may take the same request a little later: no connection,
 * a temporary refusal (an SMTP 4xx reply, an HTTP 429 or 5xx to a request it did not carry out).
 * The route retries the task with exponential backoff ({@code EXECUTE_RETRIES},
 * {@code EXECUTE_RETRY_DELAY_MS}); after the last try it goes to {@code Failed/} with the reason.
 * Throw it only where a retry cannot repeat the action.
 */
public class ProviderUnavailableException extends Exception {

    public ProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
