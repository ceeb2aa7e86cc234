package com.netrunsystems.cache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.redis.RedisCache;
import com.netrunsystems.cache.testsupport.RedisClusterExtension;
import com.netrunsystems.cache.testsupport.RedisServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator commands on a real three-master Redis Cluster: every master scanned, slot coverage checked. */
class ClusterCommandsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final RedisClusterExtension cluster = RedisClusterExtension.create();

    private final CliRunner cli = CliRunner.create();

    @BeforeEach
    void writeKeys() {
        cluster.cluster().flushAll();
        write("app", 60);
        write("app2", 5);
    }

    private void write(String namespace, int count) {
        CacheConfig config = CacheConfig.builder().namespace(namespace)
                .redisClusterNodes(cluster.cluster().nodes()).build();
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < count; i++) {
            values.put("item:" + i, Map.of("n", i));
        }
        try (RedisCache<Object> cache = RedisCache.create(config)) {
            assertThat(cache.setMany(values)).isEqualTo(count);
        }
    }

    private CliRunner.Result run(String... args) {
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--cluster-nodes";
        full[args.length + 1] = String.join(",", cluster.cluster().nodes());
        return cli.run(full);
    }

    private long keysOnMasters(String pattern) {
        long total = 0;
        for (RedisServer master : cluster.cluster().masters()) {
            total += ((java.util.List<?>) master.execute("KEYS", pattern)).size();
        }
        return total;
    }

    @Test
    void keysAndStats_scanEveryMaster() throws Exception {
        assertThat(keysOnMasters("app:*")).isEqualTo(60);
        cluster.cluster().masters().forEach(master ->
                assertThat((java.util.List<?>) master.execute("KEYS", "app:*")).as("keys on %s", master).isNotEmpty());

        CliRunner.Result keys = run("keys", "-n", "app", "--limit", "1000");
        CliRunner.Result stats = run("stats", "-n", "app", "--json");

        assertThat(keys.exitCode()).as(keys.err()).isZero();
        assertThat(keys.out().lines()).hasSize(60).allMatch(key -> key.startsWith("item:"));
        JsonNode root = JSON.readTree(stats.out());
        assertThat(root.path("keys").asLong()).isEqualTo(60);
        assertThat(root.path("kinds").path("json-object").asLong()).isEqualTo(60);
        assertThat(root.path("ttl").path("underOneHour").asLong()).isEqualTo(60);
        assertThat(run("get", "-n", "app", "item:7", "--json").out()).contains("\"n\" : 7");
    }

    @Test
    void clear_deletesOnEveryMasterAndLeavesApp2() {
        CliRunner.Result result = run("clear", "-n", "app", "--yes");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("deleted 60 keys of namespace 'app'");
        assertThat(keysOnMasters("app:*")).isZero();
        assertThat(keysOnMasters("app2:*")).isEqualTo(5);
    }

    @Test
    void doctor_reportsFullSlotCoverage() {
        CliRunner.Result result = run("doctor", "-n", "app");

        assertThat(result.exitCode()).as(result.out()).isZero();
        assertThat(result.out()).contains("✔ server       Redis 7")
                .contains("cluster, cluster_state ok, 16,384 of 16,384 slots served")
                .contains("✔ permissions");
    }
}
