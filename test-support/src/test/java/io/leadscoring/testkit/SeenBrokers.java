package io.leadscoring.testkit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** What each shared-broker test class saw, so whichever class runs last can compare. */
final class SeenBrokers {

    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    private SeenBrokers() {
    }

    static Set<String> record(KafkaBroker broker) throws Exception {
        String clusterId = broker.admin().describeCluster().clusterId().get();
        SEEN.add(broker.bootstrapServers() + " cluster " + clusterId);
        return Set.copyOf(SEEN);
    }
}
