package com.digitalfte.channel.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verifier against Twilio's own documented example (DESIGN.md §10), and what must not pass it. */
class TwilioSignatureTest {

    private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private static final String EXPECTED = "GvWf1cFY/Q7PnoempGyD5oXAezc=";

    private static Map<String, Object> documented() {
        Map<String, Object> params = new HashMap<>();
        params.put("CallSid", "CA1234567890ABCDE");
        params.put("Caller", "+14158675310");
        params.put("Digits", "1234");
        params.put("From", "+14158675310");
        params.put("To", "+18005551212");
        return params;
    }

    @Test
    void twiliosDocumentedExampleIsVerified() {
        assertThat(new TwilioSignature("12345", URL).verified(EXPECTED, documented())).isTrue();
        // as the webhook server hands a parameter: a list of one value
        Map<String, Object> asLists = new HashMap<>();
        documented().forEach((k, v) -> asLists.put(k, List.of(v)));
        assertThat(new TwilioSignature("12345", URL).verified(EXPECTED, asLists)).isTrue();
    }

    @Test
    void aTamperedParameterAWrongTokenAWrongUrlOrNoSignatureIsNot() {
        Map<String, Object> tampered = documented();
        tampered.put("Digits", "1235");
        Map<String, Object> added = documented();
        added.put("Body", "approve EMAIL_1");
        Map<String, Object> twice = documented();
        twice.put("Digits", List.of("1234", "1234"));

        assertThat(new TwilioSignature("12345", URL).verified(EXPECTED, tampered)).isFalse();
        assertThat(new TwilioSignature("12345", URL).verified(EXPECTED, added)).isFalse();
        assertThat(new TwilioSignature("12345", URL).verified(EXPECTED, twice)).isFalse();
        assertThat(new TwilioSignature("54321", URL).verified(EXPECTED, documented())).isFalse();
        assertThat(new TwilioSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=3").verified(EXPECTED, documented())).isFalse();
        assertThat(new TwilioSignature("12345", URL).verified(null, documented())).isFalse();
        assertThat(new TwilioSignature("12345", URL).verified("", documented())).isFalse();
    }

    @Test
    void withoutATokenOrAFullUrlThereIsNoVerifier() {
        assertThatThrownBy(() -> new TwilioSignature("", URL)).hasMessageContaining("TWILIO_AUTH_TOKEN");
        assertThatThrownBy(() -> new TwilioSignature("12345", "/webhooks/whatsapp")).hasMessageContaining("TWILIO_WEBHOOK_URL");
    }
}
