package com.digitalfte.channel;

import com.digitalfte.config.AgentType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the owner's channel files ({@code CHANNELS_DIR/*.camel.yaml}) into the running agent, one
 * file at a time. A file that does not parse or cannot start is skipped whole, with its name and
 * the reason in the log, and the agent and every other channel run on. Loading a file again (it
 * changed) first removes the routes its previous version made.
 *
 * <p>Role rules hold for these files too: a route with {@code group: cloud} runs only where the agent
 * drafts, {@code group: local} only where it executes, and a cloud agent never runs an executor
 * ({@code direct:exec-*}), whatever a file says.
 */
public final class ChannelLoader implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelLoader.class);

    private final AgentType agentType;
    private final Path dir;
    private final Map<Path, Set<String>> loaded = new HashMap<>();
    private final Map<String, String> problems = new ConcurrentHashMap<>();
    private CamelContext camelContext;

    /** {@code dir}: CHANNELS_DIR, whose files the load-channels route hands to {@link #load}. */
    public ChannelLoader(AgentType agentType, Path dir) {
        this.agentType = agentType;
        this.dir = dir.toAbsolutePath().normalize();
    }

    /**
     * Whether every channel file now in the folder has been loaded or refused. Until then an executor
     * that a file defines may be missing only because the file is not read yet (right after a start).
     */
    public synchronized boolean settled() {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("[^.].*\\.camel\\.yaml"))
                    .allMatch(f -> loaded.containsKey(f.toAbsolutePath().normalize()) || problems.containsKey(f.getFileName().toString()));
        } catch (IOException e) {
            return true;
        }
    }

    /** Loads (or reloads) one channel file; returns the ids of the routes it runs. */
    public synchronized Set<String> load(String file) {
        Path path = Path.of(file).toAbsolutePath().normalize();
        Set<String> previous = loaded.remove(path);
        if (previous != null) {
            remove(previous);
        }
        Set<String> before = routeIds();
        List<String> refused = new ArrayList<>();
        try {
            Resource resource = ResourceHelper.resolveMandatoryResource(camelContext, "file:" + path);
            for (RoutesBuilder builder : PluginHelper.getRoutesLoader(camelContext).findRoutesBuilders(resource)) {
                if (builder instanceof RouteBuilder routeBuilder) {
                    // parse first, and drop what this agent must not run before anything is resolved or started
                    routeBuilder.configureRoutes(camelContext).getRoutes().removeIf(route -> {
                        String why = refusal(route);
                        if (why != null) {
                            refused.add(route.getRouteId() + " (" + why + ")");
                        }
                        return why != null;
                    });
                }
                camelContext.addRoutes(builder);
            }
        } catch (Exception e) {
            remove(added(before));
            problems.put(path.getFileName().toString(), reason(e));
            LOG.error("Channel file {} skipped, the agent runs on without it: {}", path, reason(e));
            return Set.of();
        }
        problems.remove(path.getFileName().toString());
        Set<String> added = added(before);
        loaded.put(path, added);
        refused.forEach(r -> LOG.info("Channel file {}: route {} is not for this agent", path.getFileName(), r));
        LOG.info("Channel file {} loaded: {}", path.getFileName(), added.isEmpty() ? "no route for this agent" : "route(s) " + added);
        return added;
    }

    /** Files that could not be loaded, with the reason, for the Dashboard. */
    public Map<String, String> problems() {
        return Map.copyOf(problems);
    }

    private String refusal(RouteDefinition route) {
        String group = route.getGroup();
        String from = route.getInput() == null ? "" : route.getInput().getEndpointUri();
        if (!agentType.executes() && from != null && (from.startsWith("direct://exec-") || from.startsWith("direct:exec-"))) {
            return "a cloud agent never runs an executor";
        }
        if ("local".equals(group) && !agentType.executes()) {
            return "group local runs on the local agent";
        }
        if ("cloud".equals(group) && !agentType.drafts()) {
            return "group cloud runs on the cloud agent";
        }
        return null;
    }

    private Set<String> routeIds() {
        Set<String> ids = camelContext.getRoutes().stream().map(Route::getRouteId).collect(Collectors.toCollection(LinkedHashSet::new));
        ((ModelCamelContext) camelContext).getRouteDefinitions().forEach(d -> ids.add(d.getRouteId()));
        return ids;
    }

    private Set<String> added(Set<String> before) {
        Set<String> now = routeIds();
        now.removeAll(before);
        return now;
    }

    private void remove(Set<String> ids) {
        ModelCamelContext model = (ModelCamelContext) camelContext;
        for (String id : ids) {
            try {
                camelContext.getRouteController().stopRoute(id);
                camelContext.removeRoute(id);
            } catch (Exception e) {
                LOG.debug("Route {} could not be stopped and removed: {}", id, e.getMessage());
            }
            RouteDefinition definition = model.getRouteDefinition(id);
            if (definition != null) {
                try {
                    model.removeRouteDefinitions(List.of(definition));
                } catch (Exception e) {
                    LOG.debug("Route definition {} could not be removed: {}", id, e.getMessage());
                }
            }
        }
    }

    /** The innermost message, which for a YAML error names the line and column. */
    static String reason(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable t = e.getCause();
        while (t != null && t != t.getCause()) {
            if (t.getMessage() != null && !sb.toString().contains(t.getMessage())) {
                sb.append(" <- ").append(t.getMessage());
            }
            t = t.getCause();
        }
        return sb.toString().replaceAll("\\s+", " ");
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
