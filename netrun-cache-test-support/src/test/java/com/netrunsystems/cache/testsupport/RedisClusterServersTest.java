package com.netrunsystems.cache.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisClusterServersTest {

    @RegisterExtension
    static final RedisClusterExtension redis = RedisClusterExtension.create();

    @Test
    void start_threeMasters_everyNodeReportsClusterStateOk() {
        for (RedisServer node : redis.cluster().masters()) {
            String info = (String) node.execute("CLUSTER", "INFO");
            assertThat(info).contains("cluster_state:ok", "cluster_slots_assigned:16384", "cluster_known_nodes:3",
                    "cluster_size:3");
        }
    }

    @Test
    void nodes_startedCluster_listsThreeLoopbackMastersWithFreeBusPorts() {
        RedisClusterServers cluster = redis.cluster();

        assertThat(cluster.masters()).hasSize(3);
        assertThat(cluster.nodes()).hasSize(3).allMatch(node -> node.matches("127\\.0\\.0\\.1:\\d+"));
        assertThat(cluster.seedNodes()).hasSize(3).allMatch(uri -> uri.matches("redis://127\\.0\\.0\\.1:\\d+"));
        assertThat(cluster.masters()).allMatch(node -> node.port() < FreePorts.UPPER_BOUND);
        String nodes = (String) cluster.masters().get(0).execute("CLUSTER", "NODES");
        assertThat(nodes.lines().filter(line -> line.contains("master"))).hasSize(3);
    }

    @Test
    void commandStats_commandsOnEachNode_areSummedOverNodes() {
        RedisClusterServers cluster = redis.cluster();
        cluster.resetStats();

        for (RedisServer node : cluster.masters()) {
            node.execute("DBSIZE");
        }

        assertThat(cluster.commandStats()).containsEntry("dbsize", 3L);
    }

    @Test
    void flushAll_keysOnEveryNode_emptiesEveryNode() {
        RedisClusterServers cluster = redis.cluster();
        for (RedisServer node : cluster.masters()) {
            List<?> slots = (List<?>) node.execute("CLUSTER", "SLOTS");
            assertThat(slots).isNotEmpty();
        }
        // One key per node: pick keys until every node owns one.
        int stored = 0;
        for (int i = 0; stored < 3 && i < 1000; i++) {
            String key = "key-" + i;
            long slot = (Long) cluster.masters().get(0).execute("CLUSTER", "KEYSLOT", key);
            RedisServer owner = cluster.masters().get(stored);
            if (ownsSlot(owner, slot)) {
                owner.execute("SET", key, "v");
                stored++;
            }
        }
        assertThat(stored).isEqualTo(3);

        cluster.flushAll();

        assertThat(cluster.masters()).allMatch(node -> Long.valueOf(0).equals(node.execute("DBSIZE")));
    }

    @Test
    void restart_killedNode_rejoinsClusterOnSamePort() {
        RedisClusterServers cluster = redis.cluster();
        RedisServer node = cluster.masters().get(2);

        node.kill();
        node.restart();

        Polling.await(Duration.ofSeconds(20), "cluster_state:ok after restart", () ->
                cluster.masters().stream().allMatch(master ->
                        ((String) master.execute("CLUSTER", "INFO")).contains("cluster_state:ok")));
        assertThat((String) node.execute("CLUSTER", "INFO")).contains("cluster_known_nodes:3");
    }

    private static boolean ownsSlot(RedisServer node, long slot) {
        String myself = ((String) node.execute("CLUSTER", "NODES")).lines()
                .filter(line -> line.contains("myself")).findFirst().orElseThrow();
        String[] fields = myself.split(" ");
        for (int i = 8; i < fields.length; i++) {
            String[] range = fields[i].split("-");
            long start = Long.parseLong(range[0]);
            long end = range.length == 2 ? Long.parseLong(range[1]) : start;
            if (slot >= start && slot <= end) {
                return true;
            }
        }
        return false;
    }
}
