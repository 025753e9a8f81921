package com.digitalfte;

import com.digitalfte.cli.Cli;
import com.digitalfte.config.AgentConfig;
import com.digitalfte.config.Settings;
import com.digitalfte.draft.Drafter;
import com.digitalfte.health.Observe;
import com.digitalfte.mail.EmbeddedMailbox;
import com.digitalfte.secrets.Masking;
import com.digitalfte.sync.SyncResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.InflightRepository;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent: Camel Main with the YAML routes of its role ({@code AGENT_TYPE}), configured from the
 * environment and {@code .env}. With no configuration at all it runs both roles on {@code ./vault}
 * with an embedded mailbox and the template drafter.
 */
public final class DigitalFte {

    private static final Logger LOG = LoggerFactory.getLogger(DigitalFte.class);
    private static final int SHORT_SECRET = 8;
    /** How long a stop waits for the work in flight before Camel's own graceful shutdown takes over. */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    private final AgentConfig config;
    private final Observe observe;
    private final Drafter drafter;
    private final Main main = new Main();
    private AgentBeans beans;
    private EmbeddedMailbox mailbox;
    private AgentConfig.MailCheck mailCheck = AgentConfig.MailCheck.NOT_DONE;
    private final AtomicBoolean startedOnce = new AtomicBoolean();

    public DigitalFte(AgentConfig config) {
        this(config, null);
    }

    /** An agent with its own drafter (the template drafter when null). */
    public DigitalFte(AgentConfig config, Drafter drafter) {
        this.config = config;
        this.observe = Observe.of(config.settings());
        this.drafter = drafter;
    }

    /** {@code java -jar digitalfte.jar [command]}: the agent with no command or {@code run}, else one of the tools (cli.Cli). */
    public static void main(String[] args) {
        boolean agent = Cli.runsAgent(args);
        if (!agent) {
            // a tool prints what it found; the parts it opens log only what goes wrong
            Configurator.setRootLevel(Level.WARN);
        }
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int exit = Cli.execute(args, System.getenv(), Path.of(""), out, err);
        out.flush();
        err.flush();
        if (exit != 0 || !agent) {
            System.exit(exit);
        }
    }

    /**
     * Starts and blocks until the process is stopped (Ctrl-C, SIGTERM). Camel's shutdown hook stops
     * the routes, letting a running execution finish (camel.main.shutdownTimeout); then this thread
     * makes the last sync and logs that the agent stopped, while a hook of ours holds the JVM open
     * for it (a JVM ends when its hooks have run, not when this thread has).
     */
    public void run() throws Exception {
        prepare();
        CountDownLatch released = new CountDownLatch(1);
        Thread holdOpen = new Thread(() -> {
            if (released.getCount() > 0) {
                LOG.info("DigitalFTE {} is stopping: the current work finishes, then a last sync", config.name());
                try {
                    released.await(stoppingAtMost().toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "digitalfte-stopping");
        Runtime.getRuntime().addShutdownHook(holdOpen);
        try {
            main.run();
        } finally {
            try {
                release();
            } finally {
                released.countDown();
            }
        }
    }

    /** Starts without blocking; {@link #stop()} ends it. */
    public void start() throws Exception {
        prepare();
        main.start();
        started();
    }

    public void stop() throws Exception {
        try {
            settle(SETTLE);
            main.stop();
        } finally {
            release();
        }
    }

    /**
     * Waits, a little, for the exchanges in flight when the stop came (a sync, a send) to finish:
     * Camel's graceful shutdown looks at them only once a second, so a stop that finds one waits a
     * whole second or two for work that takes milliseconds. Exchanges that start meanwhile (a
     * timer's next sync) are left to Camel's shutdown, which stops their consumers first: an agent
     * that is always busy would otherwise keep the stop waiting for the whole of {@code atMost}.
     * They are found by browsing ({@code camel.main.inflightRepositoryBrowseEnabled}); with browsing
     * off there is nothing to wait for here, and Camel's shutdown waits.
     */
    private void settle(Duration atMost) {
        CamelContext camel = main.getCamelContext();
        if (camel == null) {
            return;
        }
        InflightRepository inflight = camel.getInflightRepository();
        long end = System.nanoTime() + atMost.toNanos();
        Set<String> atStop = inFlight(inflight);
        while (!atStop.isEmpty() && System.nanoTime() < end) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            atStop.retainAll(inFlight(inflight));
        }
    }

    private static Set<String> inFlight(InflightRepository inflight) {
        return inflight.browse().stream().map(e -> e.getExchange().getExchangeId()).collect(Collectors.toCollection(HashSet::new));
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    public AgentConfig config() {
        return config;
    }

    private void prepare() {
        Masking.add(config.settings().secretValues());
        config.settings().secretsShorterThan(SHORT_SECRET).forEach((name, length) -> LOG.warn(
                "{} is only {} characters long: any vault file holding those {} characters is kept out of git (and they are masked"
                        + " in the log); a secret of {} or more avoids such false alarms", name, length, length, SHORT_SECRET));
        if (config.mailProvider() == AgentConfig.MailProvider.EMBEDDED) {
            Settings s = config.settings();
            mailbox = new EmbeddedMailbox(config.smtpPort(), config.imapPort(), config.mailAddress(), s.get("MAIL_PASSWORD", ""));
            mailbox.start();
        }
        beans = new AgentBeans(config, drafter);
        mailCheck = new MailStartupCheck(config, beans.mailProblems()).run();
        beans.all().forEach(main::bind);
        config.properties().forEach(main::addOverrideProperty);
        observe.configure(main::addOverrideProperty);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport m) {
                // {{env:NAME}} reads the agent's settings: the environment, then .env
                var properties = m.getCamelContext().getPropertiesComponent();
                properties.addPropertiesFunction(new SettingsFunction(config.settings()));
                // {{channel:name}} and {{has:NAME,...}}: a route's precondition, so a channel without its settings is not added
                properties.addPropertiesFunction(ChannelFunctions.channel(config.channels()));
                properties.addPropertiesFunction(ChannelFunctions.has(config.settings()));
                beans.all().values().forEach(bean -> CamelContextAware.trySetCamelContext(bean, m.getCamelContext()));
                try {
                    // the cluster service the watchers that must run once (master:) elect their leader with
                    m.getCamelContext().addService(Standby.fileLock(config), true, true);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot start the cluster service: " + e.getMessage(), e);
                }
            }

            @Override
            public void afterStart(BaseMainSupport m) {
                started();
            }
        });
    }

    /** Once every built-in route runs: the summary, then the owner's channel files. */
    private void started() {
        if (!startedOnce.compareAndSet(false, true)) {
            return;
        }
        logSummary();
        try {
            main.getCamelContext().getRouteController().startRoute("load-channels");
        } catch (Exception e) {
            LOG.error("The owner's channel files cannot be loaded: {}", e.getMessage());
        }
    }

    private void logSummary() {
        LOG.info("DigitalFTE started");
        config.summary(beans.remoteAccess(), mailCheck).forEach(line -> LOG.info("  {}", line));
        LOG.info("  {}", observe.summary());
        if (config.mailProvider() == AgentConfig.MailProvider.EMBEDDED && config.type().drafts()) {
            LOG.info("  Try it: send the embedded mailbox an email, e.g.");
            LOG.info("    printf 'Subject: Hello\\nMessage-ID: <hello-1@example.com>\\n\\nCan we meet on Friday?\\n' | curl -s smtp://127.0.0.1:{} --mail-from you@example.com --mail-rcpt {} -T -",
                    config.smtpPort(), config.mailAddress());
            LOG.info("  then approve the draft by moving it from {}/Pending_Approval/ to Approved/, and read the reply with", config.vaultPath());
            LOG.info("    curl -s 'imap://127.0.0.1:{}/INBOX;UID=1' -u you@example.com:you@example.com", config.imapPort());
        }
    }

    /** How long a stopping agent may take after its routes stopped: a sync is a fetch and a push, each within GIT_TIMEOUT. */
    private Duration stoppingAtMost() {
        return Duration.ofSeconds(Math.max(60, 3L * config.gitTimeoutSeconds()));
    }

    /** After the routes stopped: the last sync, what is open closed, and the line that says the agent stopped. */
    private void release() {
        if (beans != null) {
            try {
                SyncResult last = beans.lastSync();
                LOG.info("Last sync: {}{}", last.result(), last.ok() ? "" : " (" + last.error() + "); the next start carries the rest");
            } catch (RuntimeException e) {
                LOG.warn("The last sync failed: {}; the next start carries the rest", e.getMessage());
            }
            beans.close();
            beans = null;
        }
        if (mailbox != null) {
            mailbox.close();
            mailbox = null;
        }
        LOG.info("DigitalFTE {} stopped", config.name());
    }
}
