package com.digitalfte.hawtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalfte.support.Http;
import com.digitalfte.support.TestAgent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code digitalfte hawtio} as the owner uses it: the command fetches and starts Hawtio 4.2 in a JVM
 * of its own (nothing of the agent on its class path), and headless Chromium adds the running
 * agent's Jolokia as the docs say, connects, and opens the Camel tab's routes, whose screenshot is
 * {@code target/hawtio-camel-routes.png} (the one in docs/ comes from here). Needs Debian's chromium
 * and {@code npm ci} in src/test/hawtio, which .ci/run installs: {@code mvn -Phawtio test}.
 */
class HawtioScreenshotTest {

    @TempDir
    Path dir;

    @Test
    void hawtioShowsTheRunningAgentsRoutes() throws Exception {
        int observe = Http.freePort();
        int hawtioPort = Http.freePort();
        Map<String, String> env = new java.util.HashMap<>(Map.of("VAULT_PATH", dir.resolve("vault").toString(),
                "CHANNELS_DIR", dir.resolve("channels").toString(), "IMAP_PORT", Integer.toString(Http.freePort()),
                "SMTP_PORT", Integer.toString(Http.freePort()), "OBSERVE_PORT", Integer.toString(observe)));
        Path target = Path.of("target").toAbsolutePath();
        Path png = target.resolve("hawtio-camel-routes.png");
        Files.deleteIfExists(png);
        try (TestAgent agent = TestAgent.start(env)) {
            Path log = dir.resolve("hawtio-command.log");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "com.digitalfte.DigitalFte", "hawtio", "--port", Integer.toString(hawtioPort)));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("OBSERVE_PORT", Integer.toString(observe));
            // kept between runs: Maven fetches Hawtio and Jetty once
            builder.environment().put("XDG_CACHE_HOME", target.resolve("hawtio-cache").toString());
            Process hawtio = builder.start();
            try {
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                        .until(() -> Files.readString(log).contains("runs at") || !hawtio.isAlive());
                String said = Files.readString(log);
                assertThat(said).contains("Hawtio 4.2.0 runs at http://127.0.0.1:" + hawtioPort + "/hawtio",
                        "Port " + observe + ", Path /observe/jolokia");
                Matcher pid = Pattern.compile("\\(pid (\\d+),").matcher(said);
                assertThat(pid.find()).isTrue();
                String classPath = String.join(" ", Files.readString(Path.of("/proc/" + pid.group(1) + "/cmdline")).split("\0"));
                assertThat(classPath).as("Hawtio's JVM holds Jetty and its launcher, nothing of the agent's")
                        .contains("lib/*", "hawtio-default-4.2.0.war")
                        .doesNotContain("digitalfte.jar", "target/classes", "camel");

                Process browser = new ProcessBuilder("node", "screenshot.mjs", "http://127.0.0.1:" + hawtioPort + "/hawtio", "127.0.0.1",
                        Integer.toString(observe), png.toString()).directory(Path.of("src/test/hawtio").toFile()).redirectErrorStream(true).start();
                String out = new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(browser.waitFor(3, TimeUnit.MINUTES)).isTrue();
                assertThat(browser.exitValue()).as(out).isZero();
                assertThat(out).as("the Camel tab's routes table").contains("ROUTES", "sync-vault Started", "watch-mail Started",
                        "exec-email-reply Started", "claim-approved Started");
            } finally {
                hawtio.destroy();
                assertThat(hawtio.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            await("its own JVM stops with the command").atMost(Duration.ofSeconds(30))
                    .until(() -> !HawtioRuntime.answers("127.0.0.1", hawtioPort));
        }
        byte[] image = Files.readAllBytes(png);
        assertThat(image).hasSizeGreaterThan(20_000).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }
}
