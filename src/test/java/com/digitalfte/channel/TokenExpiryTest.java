package com.digitalfte.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TokenExpiryTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);

    private static TokenExpiry expiring(String when) {
        return new TokenExpiry("LinkedIn token", "LINKEDIN_TOKEN_EXPIRES", when, "renew it", NOW);
    }

    @Test
    void saysNothingUntilTwoWeeksBeforeThenWhenAndWhatToDo() {
        assertThat(expiring("2026-12-16")).extracting(TokenExpiry::problem).isEqualTo(java.util.Optional.empty());
        assertThat(expiring("2026-12-15").problem()).hasValue("the LinkedIn token expires on 2026-12-15 (in 13 days): renew it");
        assertThat(expiring("2026-12-02T00:00:00Z").problem()).hasValue("the LinkedIn token expires on 2026-12-02T00:00:00Z (in less than a day): renew it");
        assertThat(expiring("2026-11-30").problem()).hasValue("the LinkedIn token expired on 2026-11-30: renew it");
        assertThat(expiring("").problem()).isEmpty();
        assertThat(expiring("soon").problem()).hasValueSatisfying(why -> assertThat(why).startsWith("LINKEDIN_TOKEN_EXPIRES is not a date"));
    }
}
