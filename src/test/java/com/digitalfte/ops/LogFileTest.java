package com.digitalfte.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalfte.secrets.Masking;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's log file (log4j2.properties as shipped) in a JVM of its own: it rolls over at
 * LOG_FILE_SIZE, old files are gzipped and deleted past LOG_FILES_TOTAL, and secrets are masked in
 * the file as on the console.
 */
class LogFileTest {

    private static final String SECRET = "sk-logfile-" + "a1b2c3d4e5f6a7b8c9d0";

    @TempDir
    Path dir;

    /** What the child JVM runs: a configured secret, then half a megabyte of lines that do not compress away. */
    public static final class Writer {
        public static void main(String[] args) {
            Masking.add(List.of(SECRET));
            Logger log = LoggerFactory.getLogger("agent");
            for (int i = 0; i < 5000; i++) {
                log.info("line {} {} {} key={}", i, UUID.randomUUID(), UUID.randomUUID(), SECRET);
            }
            log.info("the last line");
        }
    }

    @Test
    void theFileRollsOverIsCappedInAllAndMasksSecrets() throws Exception {
        Path logs = dir.resolve("logs");
        ProcessBuilder child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), Writer.class.getName());
        child.environment().put("LOG_DIR", logs.toString());
        child.environment().put("LOG_FILE_SIZE", "20 KB");
        child.environment().put("LOG_FILES_TOTAL", "60 KB");
        child.redirectOutput(dir.resolve("console.txt").toFile()).redirectErrorStream(true);
        Process process = child.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();

        Path current = logs.resolve("digitalfte.log");
        assertThat(current).isRegularFile();
        assertThat(Files.size(current)).isLessThanOrEqualTo(20 * 1024 + 300);
        assertThat(Files.readString(current)).contains("INFO  [main] agent - the last line");
        List<Path> rolled;
        try (Stream<Path> files = Files.list(logs)) {
            rolled = files.filter(f -> f.getFileName().toString().endsWith(".log.gz")).toList();
        }
        // about 500 KB were written: 25 files of 20 KB, of which only the newest fit in 60 KB gzipped
        assertThat(rolled).hasSizeBetween(2, 12);
        long total = 0;
        for (Path f : rolled) {
            total += Files.size(f);
        }
        assertThat(total).isLessThanOrEqualTo(60 * 1024);
        assertThat(gunzip(rolled.get(0))).contains("INFO  [main] agent - line ", "key=").doesNotContain(SECRET);
        assertThat(Files.readString(current)).doesNotContain(SECRET);
        assertThat(Files.readString(dir.resolve("console.txt"))).contains("the last line").doesNotContain(SECRET);
    }

    private static String gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
