package com.digitalfte;

import com.digitalfte.config.AgentConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.file.cluster.FileLockClusterService;

/**
 * The cluster service behind {@code master:}: a watcher that must run once (a mailbox's poller, a
 * feed's, a schedule) runs on the one agent that holds its lock file in {@code CLUSTER_DIR}; the
 * others stand by and one of them takes over within seconds of the holder's death (the operating
 * system releases a dead process's lock). A file lock coordinates agents on one host; agents on
 * several hosts need a cluster service of their own (Kubernetes leases: docs/PLATINUM_TIER.md).
 */
final class Standby {

    private Standby() {
    }

    static FileLockClusterService fileLock(AgentConfig config) {
        FileLockClusterService service = new FileLockClusterService();
        service.setId(config.name() + "@" + ManagementFactory.getRuntimeMXBean().getName());
        service.setRoot(config.settings().get("CLUSTER_DIR",
                Path.of(System.getProperty("java.io.tmpdir"), "digitalfte-cluster").toString()));
        service.setAcquireLockDelay(1, TimeUnit.SECONDS);
        service.setAcquireLockInterval(config.settings().getInt("CLUSTER_LOCK_INTERVAL", 5), TimeUnit.SECONDS);
        // a leader whose heartbeat is three intervals old is dead: the standby takes over within about 20 s
        service.setHeartbeatTimeoutMultiplier(3);
        return service;
    }
}
