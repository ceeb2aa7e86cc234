package com.netrunsystems.cache.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void pickClusterPorts_three_returnsDistinctFreePortsAndBusPorts() {
        List<Integer> ports = FreePorts.pickClusterPorts(3);

        Set<Integer> all = new HashSet<>();
        for (int port : ports) {
            assertThat(port).isBetween(1024, FreePorts.UPPER_BOUND - 1).isNotEqualTo(6379);
            assertThat(FreePorts.isFree(port)).isTrue();
            assertThat(FreePorts.isFree(port + FreePorts.CLUSTER_BUS_OFFSET)).isTrue();
            all.add(port);
            all.add(port + FreePorts.CLUSTER_BUS_OFFSET);
        }
        assertThat(all).hasSize(6);
    }

    @Test
    void isFree_portOfRunningServer_isFalse() {
        try (RedisServer redis = RedisServer.start()) {
            assertThat(FreePorts.isFree(redis.port())).isFalse();
        }
    }
}
