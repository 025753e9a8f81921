package com.digitalfte.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which route files each role loads, listed from a folder or from a jar the way the packaged agent runs. */
class RouteFilesTest {

    @TempDir
    Path dir;

    @Test
    void eachRoleLoadsCommonAndItsOwnFolder() {
        List<String> cloud = AgentConfig.from(Settings.of(Map.of("AGENT_TYPE", "cloud"))).routeFiles();
        assertThat(cloud).contains("classpath:routes/common/sync-vault.camel.yaml", "classpath:routes/cloud/watch-mail.camel.yaml")
                .noneMatch(f -> f.contains("/local/"));

        List<String> local = AgentConfig.from(Settings.of(Map.of("AGENT_TYPE", "local"))).routeFiles();
        assertThat(local).contains("classpath:routes/local/claim-approved.camel.yaml", "classpath:routes/local/exec-email-reply.camel.yaml")
                .noneMatch(f -> f.contains("/cloud/"));

        List<String> all = AgentConfig.from(Settings.of(Map.of())).routeFiles();
        assertThat(all).containsAll(cloud).containsAll(local).allMatch(f -> f.endsWith(".camel.yaml"));
        assertThat(AgentConfig.from(Settings.of(Map.of())).properties().get("camel.main.routesIncludePattern"))
                .isEqualTo(String.join(",", all));
    }

    @Test
    void aBuiltInChannelIsOnWhenWhatItsRouteRequiresIsSet() {
        AgentConfig embedded = AgentConfig.from(Settings.of(Map.of()));
        assertThat(embedded.channels().isOn("watch-mail")).isTrue();
        assertThat(embedded.channels().isOn("exec-email-reply")).isTrue();
        assertThat(embedded.channels().missing("watch-gmail")).hasValueSatisfying(m -> assertThat(m)
                .containsExactly("MAIL_PROVIDER=gmail", "GMAIL_CLIENT_ID", "GMAIL_CLIENT_SECRET", "GMAIL_REFRESH_TOKEN"));

        AgentConfig gmail = AgentConfig.from(Settings.of(Map.of("MAIL_PROVIDER", "gmail", "MAIL_ADDRESS", "me@gmail.example",
                "GMAIL_CLIENT_ID", "id", "GMAIL_CLIENT_SECRET", "s3cret-for-tests", "GMAIL_REFRESH_TOKEN", "r3fresh-for-tests")));
        assertThat(gmail.channels().isOn("watch-gmail")).isTrue();
        assertThat(gmail.channels().missing("watch-mail")).hasValueSatisfying(m -> assertThat(m)
                .containsExactly("MAIL_PROVIDER other than gmail", "IMAP_HOST"));
        assertThat(gmail.summary()).anySatisfy(l -> assertThat(l).startsWith("gmail in on"));

        AgentConfig cloud = AgentConfig.from(Settings.of(Map.of("AGENT_TYPE", "cloud", "MAIL_PROVIDER", "imap", "MAIL_ADDRESS", "me@example.com")));
        assertThat(cloud.summary()).anySatisfy(l -> assertThat(l).isEqualTo("mail in  off  (needs IMAP_HOST)"));
    }

    @Test
    void theFilesOfAFolderInAJarAreListedWithoutItsSubfoldersOrOtherFiles() throws Exception {
        Path jar = dir.resolve("agent.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of("routes/", "routes/local/", "routes/local/b.camel.yaml", "routes/local/a.camel.yaml",
                    "routes/local/notes.md", "routes/local/old/c.camel.yaml", "routes/localish/d.camel.yaml", "other/e.camel.yaml")) {
                out.putNextEntry(new JarEntry(name));
                if (!name.endsWith("/")) {
                    out.write("- route: {}\n".getBytes());
                }
                out.closeEntry();
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertThat(RouteFiles.in(loader, "routes/local"))
                    .containsExactly("classpath:routes/local/a.camel.yaml", "classpath:routes/local/b.camel.yaml");
            assertThat(RouteFiles.in(loader, "routes/cloud")).isEmpty();
        }
    }

    @Test
    void theFilesOfAFolderOnDiskAreListedToo() throws Exception {
        Files.createDirectories(dir.resolve("classes/routes/cloud/sub"));
        Files.writeString(dir.resolve("classes/routes/cloud/watch.camel.yaml"), "- route: {}\n");
        Files.writeString(dir.resolve("classes/routes/cloud/readme.txt"), "not a route\n");
        Files.writeString(dir.resolve("classes/routes/cloud/sub/deeper.camel.yaml"), "- route: {}\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.resolve("classes").toUri().toURL()}, null)) {
            assertThat(RouteFiles.in(loader, "routes/cloud")).containsExactly("classpath:routes/cloud/watch.camel.yaml");
        }
    }
}
