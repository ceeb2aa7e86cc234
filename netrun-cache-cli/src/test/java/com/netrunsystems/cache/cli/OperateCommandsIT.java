package com.netrunsystems.cache.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code stats} and {@code clear} against a real redis-server holding {@link TestKeyspace}. */
class OperateCommandsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    private final CliRunner cli = CliRunner.create();

    @BeforeEach
    void writeKeyspace() {
        redis.server().flushAll();
        TestKeyspace.write(redis.server());
    }

    private CliRunner.Result run(CliRunner runner, String... args) {
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--redis-url";
        full[args.length + 1] = redis.server().uri();
        return runner.run(full);
    }

    private CliRunner.Result run(String... args) {
        return run(cli, args);
    }

    private long dbsize() {
        return (Long) redis.server().execute("DBSIZE");
    }

    @Test
    void stats_json_countsTtlHistogramKindsMemoryAndSharedCounters() throws Exception {
        CliRunner.Result result = run("stats", "-n", "app", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode root = JSON.readTree(result.out());
        assertThat(root.path("namespace").asText()).isEqualTo("app");
        assertThat(root.path("keys").asLong()).isEqualTo(7);
        assertThat(root.path("statsKeys").asLong()).isEqualTo(2);
        assertThat(root.path("ttl")).isEqualTo(JSON.readTree(
                "{\"noTtl\":3,\"underOneMinute\":1,\"underOneHour\":1,\"underOneDay\":1,\"longer\":1}"));
        assertThat(root.path("sampled").asInt()).isEqualTo(7);
        assertThat(root.path("kinds")).isEqualTo(JSON.readTree("{\"binary\":1,\"counter\":1,\"json-array\":1,"
                + "\"json-number\":1,\"json-object\":2,\"raw-string\":1}"));
        assertThat(root.path("memory").path("estimatedBytes").asLong()).isPositive();
        assertThat(root.path("memory").path("sampledKeys").asInt()).isEqualTo(7);
        assertThat(root.path("sharedStats")).isEqualTo(JSON.readTree(
                "{\"hits\":30,\"misses\":10,\"hitRatePercent\":75.0}"));
        assertThat(result.err()).isEmpty();
    }

    @Test
    void stats_text_showsEachSection() {
        CliRunner.Result result = run("stats", "-n", "app");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("Namespace 'app' on " + redis.server().uri())
                .contains("keys      7 (and 2 shared statistics counters)")
                .containsPattern("memory    ~[0-9.]+ (B|KiB) \\(estimate: MEMORY USAGE of 7 sampled keys\\)")
                .containsPattern("no TTL +3  #{30}\n")
                .containsPattern("< 1 min +1  #{10}\n")
                .contains("Kinds (7 sampled)")
                .containsPattern("json-object +2\n")
                .contains("hits 30   misses 10   hit rate 75.00 %");
    }

    @Test
    void stats_namespaceWithoutSharedCounters_saysNone() throws Exception {
        assertThat(JSON.readTree(run("stats", "-n", "app2", "--json").out()).path("sharedStats").isNull()).isTrue();
        assertThat(run("stats", "-n", "app2").out()).contains("keys      2\n").contains("none (only processes");
    }

    @Test
    void stats_onATerminal_drawsAProgressBarOnStandardError() {
        CliRunner.Result result = run(cli.interactive(), "stats", "-n", "app");

        assertThat(result.err()).contains("\rscanning [").contains("] 100%  9 keys\n");
        assertThat(result.out()).doesNotContain("scanning");
    }

    @Test
    void clear_dryRun_countsListsAndDeletesNothing() {
        long before = dbsize();

        CliRunner.Result result = run("clear", "-n", "app", "--dry-run");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("dry run: would delete 9 keys of namespace 'app' on ");
        assertThat(dbsize()).isEqualTo(before);
    }

    @Test
    void clear_yes_deletesTheNamespaceAndNeverApp2() throws Exception {
        redis.server().resetStats();

        CliRunner.Result result = run("clear", "-n", "app", "--yes", "--json");

        assertThat(redis.server().commandStats()).containsKey("unlink").doesNotContainKeys("keys", "flushdb", "del");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode root = JSON.readTree(result.out());
        assertThat(root.path("matched").asLong()).isEqualTo(9);
        assertThat(root.path("deleted").asLong()).isEqualTo(9);
        assertThat(root.path("dryRun").asBoolean()).isFalse();
        assertThat(redis.server().execute("KEYS", "*")).asList()
                .containsExactlyInAnyOrder("app2:user:1", "app2:greeting");
    }

    @Test
    void clear_confirmation_deletesOnlyWhenTheNamespaceIsTyped() {
        CliRunner.Result refused = run(cli.stdin("y\n"), "clear", "-n", "app");
        assertThat(refused.exitCode()).isEqualTo(NetrunCacheCli.EXIT_FAILED);
        assertThat(refused.err()).contains("Delete 9 keys of namespace 'app' on ")
                .contains("Type the namespace name to confirm: ").contains("aborted; nothing deleted");
        assertThat(dbsize()).isEqualTo(11);

        CliRunner.Result confirmed = run(cli.stdin("app\n"), "clear", "-n", "app");
        assertThat(confirmed.exitCode()).as(confirmed.err()).isZero();
        assertThat(confirmed.out()).contains("deleted 9 keys of namespace 'app'")
                .contains("published the invalidation on netrun-cache:invalidate:app");
        assertThat(dbsize()).isEqualTo(2);
    }

    @Test
    void clear_blankMissingOrGlobNamespace_isRefusedAsBadUsage() {
        redis.server().execute("SET", "a*:k", "1");
        redis.server().execute("SET", "ab:k", "2");

        assertThat(run("clear", "--yes").exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
        assertThat(run("clear", "-n", " ", "--yes").err()).contains("refusing to clear a blank namespace");
        CliRunner.Result glob = run("clear", "-n", "a*", "--yes");
        assertThat(glob.exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
        assertThat(glob.err()).contains("holds glob characters").contains("--literal");
        assertThat(dbsize()).isEqualTo(13);

        CliRunner.Result literal = run("clear", "-n", "a*", "--yes", "--literal");
        assertThat(literal.exitCode()).as(literal.err()).isZero();
        assertThat(literal.out()).contains("deleted 1 keys");
        assertThat(redis.server().execute("EXISTS", "ab:k")).isEqualTo(1L);
    }

    @Test
    void clear_namespaceWithANestedOneShownByItsStatsCounters_isRefusedUnlessIncludeNested() throws Exception {
        redis.server().execute("SET", "app:v2:user:1", "{\"name\": \"Nested\"}");
        redis.server().execute("SET", "app:v2:stats:hits", "3");
        long before = dbsize();

        CliRunner.Result refused = run("clear", "-n", "app", "--yes");
        CliRunner.Result dryRun = run("clear", "-n", "app", "--dry-run", "--json");

        assertThat(refused.exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
        assertThat(refused.err()).contains("refusing to clear namespace 'app'")
                .contains("app:v2 (shared statistics counters app:v2:stats:hits|misses)")
                .contains("--include-nested");
        assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
        assertThat(JSON.readTree(dryRun.out()).path("nestedNamespaces").toString()).isEqualTo("[\"app:v2\"]");
        assertThat(dbsize()).isEqualTo(before);

        CliRunner.Result included = run("clear", "-n", "app", "--yes", "--include-nested");

        assertThat(included.exitCode()).as(included.err()).isZero();
        assertThat(included.out()).contains("deleted 11 keys of namespace 'app'")
                .contains("published the invalidation on netrun-cache:invalidate:app:v2 (nested; 0 subscribers)");
        assertThat(redis.server().execute("KEYS", "*")).asList()
                .containsExactlyInAnyOrder("app2:user:1", "app2:greeting");
    }

    @Test
    void clear_namespaceWithANestedOneWhoseCacheManagerListens_isRefusedAndItsL1DroppedWhenIncluded() {
        String namespace = "outer-" + UUID.randomUUID().toString().substring(0, 8);
        String inner = namespace + ":v2";
        try (CacheManager<Object> manager = CacheManager.create(CacheConfig.builder().namespace(inner)
                .redisUrl(redis.server().uri()).l1Ttl(Duration.ofMinutes(5)).build())) {
            manager.initialize();
            await("the nested manager's invalidation subscription").atMost(Duration.ofSeconds(20))
                    .until(() -> numsub(inner) == 1);
            manager.set("user:1", "Ada");
            redis.server().execute("SET", namespace + ":own", "1");

            CliRunner.Result refused = run("clear", "-n", namespace, "--yes");

            assertThat(refused.exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
            assertThat(refused.err()).contains(inner + " (a CacheManager listening on netrun-cache:invalidate:"
                    + inner + ")");
            assertThat(manager.get("user:1")).isEqualTo("Ada");

            CliRunner.Result included = run("clear", "-n", namespace, "--yes", "--include-nested");

            assertThat(included.exitCode()).as(included.err()).isZero();
            assertThat(included.out()).containsPattern("deleted [0-9]+ keys of namespace")
                    .contains("published the invalidation on netrun-cache:invalidate:" + inner + " (nested; 1 subscriber)");
            await("the nested manager to drop user:1 from its L1").atMost(Duration.ofSeconds(20))
                    .until(() -> manager.get("user:1") == null);
        }
    }

    @Test
    void clear_channelOfANestedNamespaceWithoutKeys_doesNotBlockTheClear() {
        String namespace = "quiet-" + UUID.randomUUID().toString().substring(0, 8);
        String inner = namespace + ":v2";
        try (CacheManager<Object> manager = CacheManager.create(CacheConfig.builder().namespace(inner)
                .redisUrl(redis.server().uri()).build())) {
            manager.initialize();
            await("the nested manager's invalidation subscription").atMost(Duration.ofSeconds(20))
                    .until(() -> numsub(inner) == 1);
            redis.server().execute("SET", namespace + ":own", "1");

            CliRunner.Result result = run("clear", "-n", namespace, "--yes");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).contains("deleted 1 keys").doesNotContain("nested");
        }
    }

    @Test
    void clear_publishesTheInvalidation_soARunningCacheManagerDropsItsL1() {
        String namespace = "coherent-" + UUID.randomUUID().toString().substring(0, 8);
        try (CacheManager<Object> manager = CacheManager.create(CacheConfig.builder().namespace(namespace)
                .redisUrl(redis.server().uri()).l1Ttl(Duration.ofMinutes(5)).build())) {
            manager.initialize();
            manager.set("probe", "p");
            await("the manager's invalidation subscription").atMost(Duration.ofSeconds(20))
                    .until(() -> numsub(namespace) == 1);
            manager.set("user:1", "Ada");
            assertThat(manager.get("user:1")).isEqualTo("Ada");

            CliRunner.Result result = run("clear", "-n", namespace, "--yes");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).contains("(1 subscriber)");
            await("the manager to drop user:1 from its L1").atMost(Duration.ofSeconds(20))
                    .until(() -> manager.get("user:1") == null);
        }
    }

    private long numsub(String namespace) {
        Object reply = redis.server().execute("PUBSUB", "NUMSUB", ClearCommand.invalidationChannel(namespace));
        return (Long) ((java.util.List<?>) reply).get(1);
    }
}
