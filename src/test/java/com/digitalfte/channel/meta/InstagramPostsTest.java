package com.digitalfte.channel.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.digitalfte.vault.ProviderUnavailableException;
import com.digitalfte.vault.TaskFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What Instagram can be given: an image Meta can fetch, and only while the account's limit has room. */
class InstagramPostsTest {

    private static TaskFile withImage(String url) {
        return TaskFile.create("IG_1", "instagram_post").with("image_url", url);
    }

    @Test
    void onlyAPublicWebAddressIsAnImageMetaCanFetch() {
        assertThat(InstagramPosts.imageProblem(withImage("https://cdn.example.com/a.jpg"))).isEmpty();
        for (String local : new String[] {"/home/me/a.jpg", "file:///home/me/a.jpg", "C:\\Users\\me\\a.jpg", "a.jpg",
                "http://localhost:8080/a.jpg", "http://192.168.1.10/a.jpg", "https://nas.local/a.jpg", "ftp://example.com/a.jpg"}) {
            assertThat(InstagramPosts.imageProblem(withImage(local))).as(local).hasValueSatisfying(why -> assertThat(why)
                    .contains("Instagram fetches the image itself", "public https:// address"));
        }
        assertThat(InstagramPosts.imageProblem(TaskFile.create("IG_2", "instagram_post"))).hasValueSatisfying(why -> assertThat(why)
                .contains("image_url is missing"));
    }

    @Test
    void theLimitStopsAPostOnlyWhenItIsReached() throws Exception {
        InstagramPosts posts = new InstagramPosts(null);
        posts.checkLimit(200, "{\"data\":[{\"quota_usage\":49,\"config\":{\"quota_total\":50,\"quota_duration\":86400}}]}");
        assertThatThrownBy(() -> posts.checkLimit(200, "{\"data\":[{\"quota_usage\":50,\"config\":{\"quota_total\":50,\"quota_duration\":86400}}]}"))
                .isInstanceOf(ProviderUnavailableException.class).hasMessageContaining("50 of 50 posts in 24 h");
        assertThatThrownBy(() -> posts.checkLimit(503, "{\"error\":{\"message\":\"busy\"}}")).isInstanceOf(ProviderUnavailableException.class);
        assertThatThrownBy(() -> posts.remember(Path.of("unused").toString(), 200, "{}")).hasMessageContaining("no media container");
    }
}
