package com.digitalfte.support;

import com.digitalfte.DigitalFte;
import com.digitalfte.config.AgentConfig;
import com.digitalfte.config.Settings;
import java.util.Map;

/** A real agent (Camel Main, YAML routes) in this JVM, configured as the environment would configure it. */
public final class TestAgent implements AutoCloseable {

    private final DigitalFte agent;

    private TestAgent(DigitalFte agent) {
        this.agent = agent;
    }

    public static TestAgent start(Map<String, String> environment) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(environment);
        // each test is a host of its own: its watchers do not stand by for those of an earlier test in this JVM
        env.putIfAbsent("CLUSTER_DIR", java.nio.file.Files.createTempDirectory("cluster").toString());
        env.putIfAbsent("CLUSTER_LOCK_INTERVAL", "1");
        TestPorts.addTo(env);
        DigitalFte agent = new DigitalFte(AgentConfig.from(Settings.of(env)));
        agent.start();
        return new TestAgent(agent);
    }

    public DigitalFte agent() {
        return agent;
    }

    @Override
    public void close() throws Exception {
        agent.stop();
    }
}
