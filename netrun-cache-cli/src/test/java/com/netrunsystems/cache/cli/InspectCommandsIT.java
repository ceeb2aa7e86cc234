package com.netrunsystems.cache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.redis.RedisCache;
import com.netrunsystems.cache.testsupport.RedisServer;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import com.netrunsystems.cache.testsupport.RedisServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code keys}, {@code get} and {@code ttl} against a real redis-server holding {@link TestKeyspace}. */
class InspectCommandsIT {

    private static final String PASSWORD = "Sup3r-s3cret-pw";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    @RegisterExtension
    static final RedisServerExtension secured = RedisServerExtension.standalone(RedisServerOptions.builder()
            .requirePass(PASSWORD).build());

    private final CliRunner cli = CliRunner.create();

    @BeforeEach
    void writeKeyspace() {
        redis.server().flushAll();
        TestKeyspace.write(redis.server());
    }

    private CliRunner.Result run(String... args) {
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--redis-url";
        full[args.length + 1] = redis.server().uri();
        return cli.run(full);
    }

    @Test
    void keys_namespace_listsItsKeysOnlyNeverApp2() {
        CliRunner.Result result = run("keys", "-n", "app");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().lines().sorted()).containsExactly(TestKeyspace.APP_KEYS);
        assertThat(result.out()).doesNotContain("not yours").doesNotContain("app2");
        assertThat(result.err()).contains("9 keys in namespace 'app' matching '*'");
        assertThat(redis.server().commandStats()).doesNotContainKey("keys");
    }

    @Test
    void keys_pattern_isAppliedWithinTheNamespace() {
        CliRunner.Result result = run("keys", "-n", "app", "user:*");

        assertThat(result.out().lines().sorted()).containsExactly("user:1", "user:2");
    }

    @Test
    void keys_namespaceWithGlobCharacters_matchesOnlyItself() {
        redis.server().execute("SET", "a*:k", "1");
        redis.server().execute("SET", "ab:k", "2");
        redis.server().execute("SET", "a?[x]:k", "3");

        assertThat(run("keys", "-n", "a*").out().lines()).containsExactly("k");
        assertThat(run("keys", "-n", "a?[x]").out().lines()).containsExactly("k");
        assertThat(run("keys", "-n", "ab").out().lines()).containsExactly("k");
    }

    @Test
    void keys_jsonWithLimit_parsesBackAndSaysTruncated() throws Exception {
        CliRunner.Result result = run("keys", "-n", "app", "--limit", "3", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode root = JSON.readTree(result.out());
        assertThat(root.path("namespace").asText()).isEqualTo("app");
        assertThat(root.path("pattern").asText()).isEqualTo("*");
        assertThat(root.path("keys")).hasSize(3);
        assertThat(root.path("count").asInt()).isEqualTo(3);
        assertThat(root.path("truncated").asBoolean()).isTrue();
        assertThat(JSON.readTree(run("keys", "-n", "app", "--json").out()).path("truncated").asBoolean()).isFalse();
    }

    @Test
    void get_pythonJsonObject_isPrettyPrintedWithKindSizeAndTtl() {
        CliRunner.Result result = run("get", "-n", "app", "user:1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("key    app:user:1")
                .contains("kind   json-object")
                .contains("size   42 bytes")
                .containsPattern("ttl    1,?[0-9]{3}\\.[0-9]{3} s \\(expires at ")
                .contains("{\n  \"name\" : \"Ada\",\n  \"roles\" : [ \"admin\", \"dev\" ]\n}");
    }

    @Test
    void get_rawStringCounterAndJsonNumber_areShownAsThey() {
        assertThat(run("get", "-n", "app", "greeting").out()).contains("kind   raw-string").endsWith("\nhello world\n")
                .contains("no TTL (persistent)");
        assertThat(run("get", "-n", "app", "page_views").out()).contains("kind   counter").endsWith("\n42\n");
        assertThat(run("get", "-n", "app", "price").out()).contains("kind   json-number").endsWith("\n19.99\n");
        assertThat(run("get", "-n", "app", "tags").out()).contains("kind   json-array");
    }

    @Test
    void get_binaryValue_isHexWithItsLength() {
        CliRunner.Result result = run("get", "-n", "app", "blob");

        assertThat(result.out()).contains("kind   binary").contains("size   5 bytes").endsWith("\n00ff010280\n");
    }

    @Test
    void get_jsonOfValueWrittenByRedisCache_parsesBackToTheSameTree() throws Exception {
        CacheConfig config = CacheConfig.builder().namespace("java").redisUrl(redis.server().uri()).build();
        try (RedisCache<Object> cache = RedisCache.create(config)) {
            cache.set("order:7", Map.of("id", 7, "items", List.of("pen", "ink")));
        }

        CliRunner.Result result = run("get", "-n", "java", "order:7", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode root = JSON.readTree(result.out());
        assertThat(root.path("storedKey").asText()).isEqualTo("java:order:7");
        assertThat(root.path("type").asText()).isEqualTo("string");
        assertThat(root.path("kind").asText()).isEqualTo("json-object");
        assertThat(root.path("ttlMillis").asLong()).isPositive();
        assertThat(root.path("value")).isEqualTo(JSON.readTree("{\"id\":7,\"items\":[\"pen\",\"ink\"]}"));
    }

    @Test
    void getAndTtl_missingKey_exitOneNamingTheStoredKey() {
        CliRunner.Result get = run("get", "-n", "app", "nope");
        CliRunner.Result ttl = run("ttl", "-n", "app", "nope");

        assertThat(get.exitCode()).isEqualTo(NetrunCacheCli.EXIT_FAILED);
        assertThat(get.err()).contains("netrun-cache get: no key 'app:nope'");
        assertThat(ttl.exitCode()).isEqualTo(NetrunCacheCli.EXIT_FAILED);
        assertThat(ttl.err()).contains("no key 'app:nope'");
    }

    @Test
    void ttl_textAndJson_reportTheRemainingTime() throws Exception {
        assertThat(run("ttl", "-n", "app", "user:2").out()).containsPattern("^app:user:2  [0-9]{2}\\.[0-9]{3} s ");
        assertThat(run("ttl", "-n", "app", "greeting").out()).isEqualTo("app:greeting  no TTL (persistent)\n");

        JsonNode root = JSON.readTree(run("ttl", "-n", "app", "user:2", "--json").out());
        assertThat(root.path("exists").asBoolean()).isTrue();
        assertThat(root.path("ttlMillis").asLong()).isBetween(1L, 45_000L);
        JsonNode missing = JSON.readTree(run("ttl", "-n", "app", "nope", "--json").out());
        assertThat(missing.path("exists").asBoolean()).isFalse();
        assertThat(missing.path("ttlMillis").isNull()).isTrue();
    }

    @Test
    void redisUnreachable_exitsOneNamingTheEndpoint() {
        int port = RedisServer.freePort();

        CliRunner.Result result = cli.run("keys", "-n", "app", "--redis-url", "redis://127.0.0.1:" + port,
                "--timeout", "2s");

        assertThat(result.exitCode()).isEqualTo(NetrunCacheCli.EXIT_FAILED);
        assertThat(result.err()).contains("netrun-cache keys: cannot connect to Redis at redis://127.0.0.1:" + port);
    }

    @Test
    void password_inUrlWarnsAndFromFileOrEnvironmentWorks_neverPrinted(@TempDir Path dir) throws Exception {
        secured.server().execute("SET", "app:k", "v");
        String url = "redis://:" + PASSWORD + "@127.0.0.1:" + secured.server().port();
        Path file = Files.writeString(dir.resolve("url"), url + "\n");

        CliRunner.Result inUrl = cli.run("get", "-n", "app", "k", "--redis-url", url);
        CliRunner.Result fromFile = cli.run("get", "-n", "app", "k", "--redis-url-file", file.toString());
        CliRunner.Result fromEnvironment = cli.environment(Map.of("NETRUN_CACHE_REDIS_PORT",
                String.valueOf(secured.server().port()), "NETRUN_CACHE_REDIS_HOST", "127.0.0.1",
                "NETRUN_CACHE_REDIS_PASSWORD", PASSWORD)).run("get", "-n", "app", "k");
        CliRunner.Result wrong = cli.run("get", "-n", "app", "k", "--redis-url-file",
                Files.writeString(dir.resolve("bad"), url.replace(PASSWORD, PASSWORD + "x")).toString());

        assertThat(inUrl.exitCode()).as(inUrl.err()).isZero();
        assertThat(inUrl.err()).contains("warning: --redis-url holds a password");
        assertThat(fromFile.exitCode()).as(fromFile.err()).isZero();
        assertThat(fromFile.err()).doesNotContain("warning");
        assertThat(fromEnvironment.exitCode()).as(fromEnvironment.err()).isZero();
        assertThat(wrong.exitCode()).isEqualTo(NetrunCacheCli.EXIT_FAILED);
        assertThat(wrong.err()).contains("cannot connect").contains("****");
        for (CliRunner.Result result : List.of(inUrl, fromFile, fromEnvironment, wrong)) {
            assertThat(result.all()).doesNotContain(PASSWORD);
        }
    }
}
