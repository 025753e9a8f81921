package com.digitalfte.vault;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TaskIdsTest {

    @Test
    void theSameMessageAlwaysMakesTheSameId() {
        String id = TaskIds.email("<CAF1x@mail.gmail.com>");
        assertThat(id).isEqualTo(TaskIds.email("  <CAF1x@mail.gmail.com>\n"));
        assertThat(id).matches("EMAIL_[0-9a-f]{16}");
        assertThat(id).isNotEqualTo(TaskIds.email("<CAF1y@mail.gmail.com>"));
        assertThat(TaskIds.isValid(id)).isTrue();
    }

    @Test
    void anIdIsAFileNameAndNothingElse() {
        assertThat(TaskIds.isValid("WHATSAPP_SM123abc")).isTrue();
        assertThat(TaskIds.isValid("LINKEDIN_2026-01-18_1")).isTrue();
        assertThat(TaskIds.isValid("../Done/X")).isFalse();
        assertThat(TaskIds.isValid("a/b")).isFalse();
        assertThat(TaskIds.isValid("..")).isFalse();
        assertThat(TaskIds.isValid(".hidden")).isFalse();
        assertThat(TaskIds.isValid("")).isFalse();
        assertThat(TaskIds.isValid(null)).isFalse();
        assertThat(TaskIds.isValid("X".repeat(129))).isFalse();
        assertThat(TaskIds.isValid("with space")).isFalse();
    }
}
