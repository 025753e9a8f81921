package com.digitalfte.channel.linkedin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** LinkedIn's "little" text: reserved characters escaped, links and hashtags left working. */
class LittleTextTest {

    @Test
    void reservedCharactersAreEscapedSoThePostIsNotCutAtTheFirstOne() {
        assertThat(new LittleText().apply("Q4 (draft) * 2 <fast> [done] @team_a ~ok | {x} \\"))
                .isEqualTo("Q4 \\(draft\\) \\* 2 \\<fast\\> \\[done\\] \\@team\\_a \\~ok \\| \\{x\\} \\\\");
    }

    @Test
    void linksStayWholeAndAHashtagStaysAHashtag() {
        assertThat(new LittleText().apply("Read https://example.com/a_b_(c) #hiring # alone"))
                .isEqualTo("Read https://example.com/a_b_(c) #hiring \\# alone");
    }
}
