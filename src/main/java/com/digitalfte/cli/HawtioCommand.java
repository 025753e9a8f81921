package com.digitalfte.cli;

import com.digitalfte.config.Settings;
import com.digitalfte.hawtio.HawtioRuntime;
import com.digitalfte.health.Observe;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Opens Hawtio 4 on this machine's agents, with nothing to install by hand: the first time, Maven
 * fetches Hawtio 4.2.0 and Jetty 11 into a cache folder (about 12 MB); then Hawtio runs in its own
 * JVM until Ctrl-C. Hawtio 4.2 cannot be handed a connection, so the owner adds the agent's Jolokia
 * once in its Connect tab; the browser remembers it.
 */
@Command(name = "hawtio", description = "Open Hawtio 4 (routes, statistics) on the running agent, in a process of its own, until Ctrl-C.")
final class HawtioCommand implements Callable<Integer> {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    @ParentCommand
    private Cli cli;

    @Option(names = "--port", description = "Hawtio's port (default: OBSERVE_PORT + 1, 9877)")
    private Integer port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Hawtio's address (default ${DEFAULT-VALUE})")
    private String bind;

    @Override
    public Integer call() throws Exception {
        Settings settings = cli.settings();
        Observe observe;
        try {
            observe = Observe.of(settings);
        } catch (IllegalArgumentException e) {
            cli.err().println("The settings are wrong: " + e.getMessage());
            return 1;
        }
        int hawtioPort = port != null ? port : observe.port() + 1;
        Map<String, String> environment = cli.environment();
        HawtioRuntime hawtio = new HawtioRuntime(HawtioRuntime.defaultHome(environment));
        if (!hawtio.fetched()) {
            cli.out().println("Fetching Hawtio " + HawtioRuntime.VERSION + " and Jetty 11 with Maven into " + hawtio.home() + " (once)...");
            cli.out().flush();
            try {
                hawtio.fetch(environment);
            } catch (java.io.IOException e) {
                cli.err().println(e.getMessage());
                return 1;
            }
        }
        if (HawtioRuntime.answers(bind, hawtioPort)) {
            cli.err().println(bind + ":" + hawtioPort + " is taken (Hawtio already open?): choose another with --port");
            return 1;
        }
        Path log = hawtio.home().resolve("hawtio.log");
        Process process = hawtio.start(bind, hawtioPort, log);
        Thread stopHawtio = new Thread(process::destroy, "stop-hawtio");
        Runtime.getRuntime().addShutdownHook(stopHawtio);
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!HawtioRuntime.answers(bind, hawtioPort)) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                process.destroy();
                cli.err().println("Hawtio did not start: see " + log);
                return 1;
            }
            process.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        String jolokia = observe.url() + "/jolokia";
        cli.out().println("Hawtio " + HawtioRuntime.VERSION + " runs at http://" + bind + ":" + hawtioPort + "/hawtio (pid " + process.pid()
                + ", its log " + log + "); Ctrl-C stops it.");
        cli.out().println("Once, in Hawtio's Connect tab: Add connection; Name digitalfte, Scheme switched to HTTP, Host " + observe.localHost()
                + ", Port " + observe.port() + ", Path /observe/jolokia (" + jolokia
                + "); Test connection, Add, then Connect. The Camel tab shows the routes.");
        cli.out().flush();
        int exit = process.waitFor();
        Runtime.getRuntime().removeShutdownHook(stopHawtio);
        return exit == 0 || exit == 143 ? 0 : 1;
    }
}
