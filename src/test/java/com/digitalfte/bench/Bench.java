package com.digitalfte.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Figures: printed, and appended to {@code target/bench/results.md} with the machine and the date. */
final class Bench {

    static final Path RESULTS = Path.of("target/bench/results.md");

    private Bench() {
    }

    static String machine() {
        return "%d cores, %d MB RAM, %s %s, Java %s, %s".formatted(Runtime.getRuntime().availableProcessors(),
                ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize() >> 20,
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"), LocalDate.now());
    }

    static void report(String title, List<String> lines) {
        StringBuilder out = new StringBuilder("\n## " + title + "\n\n" + machine() + "\n\n");
        lines.forEach(l -> out.append(l).append('\n'));
        System.out.println(out);
        try {
            Files.createDirectories(RESULTS.getParent());
            Files.writeString(RESULTS, out, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** p50, p99 and max of durations in nanoseconds, in milliseconds. */
    static String percentiles(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return "n=%d p50=%.0f ms p99=%.0f ms max=%.0f ms".formatted(sorted.size(), at(sorted, 0.50) / 1e6, at(sorted, 0.99) / 1e6,
                sorted.get(sorted.size() - 1) / 1e6);
    }

    static long at(List<Long> sorted, double q) {
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static double median(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return at(sorted, 0.5) / 1e6;
    }
}
