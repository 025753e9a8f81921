package com.digitalfte.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.support.LogCapture;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** No log line, exception or stack trace shows a configured secret or a URL's credential. */
class MaskingTest {

    private static final String MAIL_PASSWORD = "hunter2-" + "mail";
    private static final String OPENAI_KEY = "sk-" + SecretRules.mix(48);

    @Test
    void credentialsInUrlsAreMaskedAndTheRestOfTheUrlKept() {
        assertThat(Masking.urls("push to https://bob:pa55@git.example.com/vault.git failed"))
                .isEqualTo("push to https://bob:***@git.example.com/vault.git failed");
        assertThat(Masking.urls("remote https://ghp_" + SecretRules.mix(36) + "@github.com/me/vault.git"))
                .isEqualTo("remote https://***@github.com/me/vault.git");
        assertThat(Masking.urls("imaps://me@example.com:p@ss@imap.example.com:993"))
                .isEqualTo("imaps://me@example.com:***@imap.example.com:993");
        // a port, a query and an address in a query are no credentials
        String plain = "smtp://127.0.0.1:25?username=me@example.com and https://example.com:8443/x?to=a@b";
        assertThat(Masking.urls(plain)).isEqualTo(plain);
    }

    @Test
    void aLogLineItsExceptionAndItsCausesAreMaskedAsWritten() {
        Masking.add(List.of(MAIL_PASSWORD));
        Exception error = new IllegalStateException("login as bob with " + MAIL_PASSWORD + " refused by imaps://bob:pa55@mail.example.com",
                new IOException("server said: key " + OPENAI_KEY + " is not " + MAIL_PASSWORD));
        List<String> lines;
        try (LogCapture log = LogCapture.asWritten(MaskingTest.class)) {
            LoggerFactory.getLogger(MaskingTest.class).error("Mail to https://bob:pa55@mail.example.com/x failed ({})", MAIL_PASSWORD, error);
            lines = log.lines();
        }
        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line).doesNotContain(MAIL_PASSWORD, "pa55", OPENAI_KEY.substring(3));
            assertThat(line).contains("ERROR", "MaskingTest - Mail to https://bob:***@mail.example.com/x failed ([redacted: configured-secret])",
                    "java.lang.IllegalStateException: login as bob with [redacted: configured-secret] refused by imaps://bob:***@mail.example.com",
                    "Caused by: java.io.IOException: server said: key sk-[redacted: openai-api-key] is not [redacted: configured-secret]",
                    "\tat com.digitalfte.secrets.MaskingTest.aLogLineItsExceptionAndItsCausesAreMaskedAsWritten");
            // the stack trace is written once, inside the mask, not again after it
            assertThat(line.split("java.lang.IllegalStateException", -1)).hasSize(2);
        });
    }
}
