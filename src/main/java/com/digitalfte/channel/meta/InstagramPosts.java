package com.digitalfte.channel.meta;

import com.digitalfte.channel.http.HttpAnswer;
import com.digitalfte.vault.ProviderUnavailableException;
import com.digitalfte.vault.TaskFile;
import com.digitalfte.vault.TaskFormatException;
import com.digitalfte.vault.Vault;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;

/**
 * The steps of an Instagram image post before it is published: Meta fetches the image itself, so
 * {@code image_url} must be a public http(s) address, never a file on this machine; the account's
 * publishing limit ({@code content_publishing_limit}, about 50 posts in a rolling 24 h) must have
 * room; the media container ({@code image_url}, {@code caption}) is made, and its id kept in the
 * task as {@code creation_id} for {@code media_publish}, the one call that posts. A container that is
 * never published expires, so making one again after a crash posts nothing.
 */
public final class InstagramPosts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vault vault;

    public InstagramPosts(Vault vault) {
        this.vault = vault;
    }

    /** Why this task's image cannot be posted, in the owner's words, or empty when it can. */
    public static Optional<String> imageProblem(TaskFile task) {
        String url = task.getOrEmpty("image_url").strip();
        String fix = ": Instagram fetches the image itself, so put it at a public https:// address (your website, a public bucket)"
                + " and write that address as image_url, then approve it again";
        if (url.isEmpty()) {
            return Optional.of("an Instagram post needs an image: image_url is missing" + fix);
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || host.isEmpty() || host.equals("localhost")
                    || host.startsWith("127.") || host.startsWith("10.") || host.startsWith("192.168.") || host.endsWith(".local")) {
                return Optional.of("image_url " + url + " is not a public address (a file or a machine of yours)" + fix);
            }
        } catch (URISyntaxException e) {
            return Optional.of("image_url " + url + " is not an address (a file of yours?)" + fix);
        }
        return Optional.empty();
    }

    /**
     * Checks the answer of {@code GET /{ig-user-id}/content_publishing_limit?fields=quota_usage,config}.
     *
     * @throws ProviderUnavailableException while the limit is reached: nothing was posted, it is tried later
     */
    public void checkLimit(int status, String answer) throws IOException, ProviderUnavailableException {
        ok("the publishing limit", status, answer);
        JsonNode limit = JSON.readTree(answer).at("/data/0");
        int used = limit.path("quota_usage").asInt(0);
        int total = limit.at("/config/quota_total").asInt(Integer.MAX_VALUE);
        if (used >= total) {
            long hours = Math.max(1, limit.at("/config/quota_duration").asLong(86_400) / 3600);
            throw new ProviderUnavailableException("Instagram's publishing limit is reached: " + used + " of " + total + " posts in "
                    + hours + " h; nothing was posted", null);
        }
    }

    /**
     * Nothing is posted before media_publish, so a failure here is safe to try again when Meta is
     * busy (429, 5xx, no answer), and otherwise a refusal in Meta's words.
     */
    private static void ok(String what, int status, String answer) throws IOException, ProviderUnavailableException {
        if (status >= 200 && status < 300) {
            return;
        }
        String said = HttpAnswer.of(status, Map.of(), answer, Instant.now()).said();
        if (status == 429 || status >= 500) {
            throw new ProviderUnavailableException("Instagram answered " + status + " for " + what + ": " + said + "; nothing was posted", null);
        }
        throw new IOException("Instagram refused " + what + " (" + status + "): " + said + "; nothing was posted");
    }

    /** The body of {@code POST /{ig-user-id}/media}: the task's image and its draft as the caption. */
    public String container(String taskPath) throws IOException, TaskFormatException {
        TaskFile task = vault.read(Path.of(taskPath));
        Optional<String> problem = imageProblem(task);
        if (problem.isPresent()) {
            throw new TaskFormatException(problem.get());
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("image_url", task.getOrEmpty("image_url").strip());
        body.put("caption", task.section(TaskFile.DRAFT).orElseThrow(() -> new TaskFormatException("the task has no ## Draft")).strip());
        return JSON.writeValueAsString(body);
    }

    /** Keeps the container's id from the answer of {@code POST /media} in the task, for {@code media_publish}. */
    public void remember(String taskPath, int status, String answer) throws IOException, TaskFormatException, ProviderUnavailableException {
        ok("the media container", status, answer);
        String id = JSON.readTree(answer).path("id").asText("");
        if (!id.matches("[0-9A-Za-z_-]{1,64}")) {
            throw new IOException("Instagram made no media container (its answer has no id)");
        }
        Path file = Path.of(taskPath);
        TaskFile task = vault.read(file).with("creation_id", id);
        vault.writeAtomically(file, task.render());
    }
}
