package com.digitalfte.channel;

import com.digitalfte.execute.Approvals;
import com.digitalfte.vault.TaskFormatException;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;

/**
 * Picks the executor route for an approved task: the one for its type and channel when that runs
 * here (a second mailbox sends from its own address), else, for the built-in channels and tasks
 * without one, the one for its type. The endpoint does
 * not wait for a consumer, so a task nobody here can execute fails at once with a clear reason;
 * only while the owner's channel files are still being read (right after a start, when approvals
 * made while the agent was down are taken) does it wait a while for theirs.
 */
public final class ExecutorDispatch implements CamelContextAware {

    private final Approvals approvals;
    private static final long CHANNEL_FILES_WAIT_MILLIS = 30_000;

    private final Set<String> builtInChannels;
    private final ChannelLoader channels;
    private CamelContext camelContext;

    public ExecutorDispatch(Approvals approvals, Set<String> builtInChannels, ChannelLoader channels) {
        this.approvals = approvals;
        this.builtInChannels = builtInChannels;
        this.channels = channels;
    }

    public String endpointFor(String claimedPath) throws IOException, TaskFormatException {
        List<String> candidates = approvals.executorCandidates(claimedPath, builtInChannels);
        String chosen = candidates.stream().filter(this::isRunning).findFirst().orElse(null);
        if (chosen == null && !channels.settled()) {
            return candidates.get(0) + "?block=true&timeout=" + CHANNEL_FILES_WAIT_MILLIS;
        }
        return (chosen == null ? candidates.get(0) : chosen) + "?block=false";
    }

    private boolean isRunning(String directUri) {
        String name = directUri.substring("direct:".length());
        for (Route route : camelContext.getRoutes()) {
            String uri = route.getEndpoint().getEndpointUri();
            if (uri.equals("direct://" + name) || uri.equals("direct:" + name)) {
                ServiceStatus status = camelContext.getRouteController().getRouteStatus(route.getRouteId());
                return status != null && status.isStarted();
            }
        }
        return false;
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
