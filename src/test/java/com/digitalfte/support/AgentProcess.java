package com.digitalfte.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agent as its own JVM ({@code java -Xmx256m ... com.digitalfte.DigitalFte}) on the test's
 * classpath, configured only by its environment, with its output appended to a log file.
 */
public final class AgentProcess implements AutoCloseable {

    private final Process process;

    private AgentProcess(Process process) {
        this.process = process;
    }

    public static AgentProcess start(Map<String, String> environment, Path workDir, Path log) throws IOException {
        return start(environment, workDir, log, List.of("-Xmx256m"));
    }

    /**
     * With these JVM options; from the packaged jar when the system property {@code bench.jar}
     * names one (the benchmarks), else from the test classpath.
     */
    public static AgentProcess start(Map<String, String> environment, Path workDir, Path log, List<String> jvmOptions) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        String jar = System.getProperty("bench.jar", "");
        if (!jar.isEmpty() && Files.isRegularFile(Path.of(jar))) {
            command.addAll(List.of("-jar", jar));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "com.digitalfte.DigitalFte"));
        }
        return start(command, environment, workDir, log);
    }

    /** The packaged jar as an owner runs it: {@code java -jar digitalfte.jar}, with nothing but its environment. */
    public static AgentProcess startJar(Path jar, Map<String, String> environment, Path workDir, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return start(List.of(java, "-Xmx256m", "-jar", jar.toString()), environment, workDir, log);
    }

    private static final Path CLUSTER = clusterFolder();

    private static Path clusterFolder() {
        try {
            return Files.createTempDirectory("digitalfte-cluster");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static AgentProcess start(List<String> command, Map<String, String> environment, Path workDir, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME"));
        builder.environment().putAll(environment);
        // the agents of one test JVM share a cluster folder, as agents on one host do; another test JVM's are not theirs
        builder.environment().putIfAbsent("CLUSTER_DIR", CLUSTER.toString());
        TestPorts.addTo(builder.environment());
        Files.createDirectories(workDir);
        builder.directory(workDir.toFile());
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new AgentProcess(builder.start());
    }

    /** SIGKILL: no shutdown hook, no flush, nothing finished. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public long pid() {
        return process.pid();
    }

    /** Resident memory in kB, from /proc. */
    public long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    /**
     * The heap still in use after a full collection, in kB: {@code jcmd <pid> GC.class_histogram}
     * collects first and then counts what is live (its last line, the total bytes); the histogram is
     * kept in {@code histogram} when it is not null.
     */
    public long liveHeapKb(Path histogram) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(process.pid()),
                "GC.class_histogram").redirectErrorStream(true).start();
        List<String> lines = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        if (histogram != null) {
            Files.write(histogram, lines);
        }
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || lines.isEmpty() || !lines.get(lines.size() - 1).startsWith("Total")) {
            return -1;
        }
        String[] total = lines.get(lines.size() - 1).trim().split("\\s+");
        return Long.parseLong(total[2]) / 1024;
    }

    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
