package com.netrunsystems.cache.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.testsupport.RedisServer;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import com.netrunsystems.cache.testsupport.RedisServerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code watch} and {@code doctor} against real redis-servers: plain, ACL users short of a permission, TLS. */
class WatchAndDoctorIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "d0ctor-pw-91f3";

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    @RegisterExtension
    static final RedisServerExtension acl = RedisServerExtension.standalone(RedisServerOptions.builder()
            .aclUser("full on >" + PASSWORD + " ~app:* &netrun-cache:invalidate:app +@all")
            .aclUser("nopublish on >" + PASSWORD + " ~app:* &netrun-cache:invalidate:app +@all -publish")
            .aclUser("nochannel on >" + PASSWORD + " ~app:* resetchannels +@all")
            .build());

    /** TLS with a certificate for 127.0.0.1 and localhost, also listening on 127.0.0.2, which it does not name. */
    @RegisterExtension
    static final RedisServerExtension tls = RedisServerExtension.standalone(RedisServerOptions.builder().tls()
            .config("bind 127.0.0.1 127.0.0.2").build());

    private final CliRunner cli = CliRunner.create();

    private long subscribers(String channel) {
        List<?> reply = (List<?>) redis.server().execute("PUBSUB", "NUMSUB", channel);
        return (Long) reply.get(1);
    }

    @Test
    void watch_json_seesACacheManagersInvalidationsWithSenderAndKeys() throws Exception {
        String namespace = "watched-" + UUID.randomUUID().toString().substring(0, 8);
        String channel = ClearCommand.invalidationChannel(namespace);
        CompletableFuture<CliRunner.Result> watching = CompletableFuture.supplyAsync(() -> cli.run("watch", "-n",
                namespace, "--duration", "12s", "--json", "--redis-url", redis.server().uri()));
        await("watch to subscribe").atMost(Duration.ofSeconds(20)).until(() -> subscribers(channel) == 1);

        try (CacheManager<Object> manager = CacheManager.create(CacheConfig.builder().namespace(namespace)
                .redisUrl(redis.server().uri()).build())) {
            manager.initialize();
            await("the manager to subscribe").atMost(Duration.ofSeconds(20)).until(() -> subscribers(channel) == 2);
            manager.set("user:1", "Ada");
            manager.delete("user:2");
            manager.clearNamespace();
        }
        redis.server().execute("PUBLISH", channel, "not json");
        CliRunner.Result result = watching.get();

        assertThat(result.exitCode()).as(result.err()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : result.out().lines().toList()) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).hasSize(5);
        String sender = lines.get(0).path("sender").asText();
        assertThat(sender).isNotBlank();
        assertThat(lines.get(0).path("keys").toString()).isEqualTo("[\"user:1\"]");
        assertThat(lines.get(1).path("keys").toString()).isEqualTo("[\"user:2\"]");
        assertThat(lines.get(1).path("sender").asText()).isEqualTo(sender);
        assertThat(lines.get(2).path("all").asBoolean()).isTrue();
        assertThat(lines.get(3).path("unreadableBytes").asInt()).isEqualTo(8);
        JsonNode summary = lines.get(4).path("summary");
        assertThat(summary.path("channel").asText()).isEqualTo(channel);
        assertThat(summary.path("messages").asLong()).isEqualTo(4);
        assertThat(summary.path("keys").asLong()).isEqualTo(2);
        assertThat(summary.path("seconds").asDouble()).isGreaterThanOrEqualTo(12.0);
        assertThat(summary.path("senders").path(sender).asLong()).isEqualTo(3);
    }

    @Test
    void watch_text_printsOneLineAMessageAndASummary() throws Exception {
        String namespace = "watched-" + UUID.randomUUID().toString().substring(0, 8);
        String channel = ClearCommand.invalidationChannel(namespace);
        CompletableFuture<CliRunner.Result> watching = CompletableFuture.supplyAsync(() -> cli.run("watch", "-n",
                namespace, "--duration", "8s", "--redis-url", redis.server().uri()));
        await("watch to subscribe").atMost(Duration.ofSeconds(20)).until(() -> subscribers(channel) == 1);

        redis.server().execute("PUBLISH", channel, "{\"sender\":\"s-1\",\"keys\":[\"a\",\"b\",\"c\"]}");
        redis.server().execute("PUBLISH", channel, "{\"sender\":\"s-2\",\"keys\":[],\"all\":true}");
        CliRunner.Result result = watching.get();

        assertThat(result.out())
                .containsPattern("[0-9:.]{12}  s-1  3 keys: a b c\n")
                .containsPattern("[0-9:.]{12}  s-2  ALL \\(clear\\)\n")
                .containsPattern("watched " + channel + " for [0-9.]+ s: 2 messages, 3 keys")
                .contains("  s-1  1 messages");
        assertThat(result.err()).contains("watching " + channel);
    }

    @Test
    void doctor_plainServer_passesWithTheNoevictionWarningAndJsonParsesBack() throws Exception {
        CliRunner.Result text = cli.run("doctor", "-n", "app", "--redis-url", redis.server().uri());
        CliRunner.Result json = cli.run("doctor", "-n", "app", "--json", "--redis-url", redis.server().uri());

        // A local server answers PINGs well under the threshold, but a loaded CI machine can measure a slower
        // median: then the latency check must warn, as it would for a slow network (each run times its own PINGs).
        boolean textSlow = medianPingMillis(text.out()) > DoctorChecks.SLOW_P50_MILLIS;
        assertThat(text.exitCode()).as(text.out()).isZero();
        assertThat(text.out())
                .contains("✔ connection   connected (no TLS)\n")
                .contains("✔ server       Redis 7")
                .containsPattern((textSlow ? "⚠" : "✔") + " latency      p50 [0-9.]+ ms, p99 [0-9.]+ ms \\(100 PINGs\\)")
                .contains("✔ permissions  SET GET MGET PTTL EVALSHA SCAN UNLINK PUBLISH SUBSCRIBE")
                .contains("⚠ eviction     maxmemory 0 (no limit), policy noeviction")
                .contains("fix: a full Redis refuses writes under noeviction")
                .containsPattern("✔ clock        [+-][0-9]+ ms")
                .contains(textSlow ? "ok (2 warnings)" : "ok (1 warning)");
        JsonNode root = JSON.readTree(json.out());
        boolean jsonSlow = medianPingMillis(root.path("checks").get(2).path("detail").asText())
                > DoctorChecks.SLOW_P50_MILLIS;
        assertThat(root.path("ok").asBoolean()).isTrue();
        assertThat(root.path("checks")).extracting(c -> c.path("name").asText() + "=" + c.path("status").asText())
                .containsExactly("connection=ok", "server=ok", "latency=" + (jsonSlow ? "warn" : "ok"),
                        "permissions=ok", "eviction=warn", "clock=ok");
        assertThat((List<?>) redis.server().execute("KEYS", "*__netrun_doctor__*")).as("probe keys left").isEmpty();
    }

    @Test
    void doctor_probes_leaveARunningCacheManagersL1Alone() {
        String namespace = "probed-" + UUID.randomUUID().toString().substring(0, 8);
        String channel = ClearCommand.invalidationChannel(namespace);
        try (CacheManager<Object> manager = CacheManager.create(CacheConfig.builder().namespace(namespace)
                .redisUrl(redis.server().uri()).build())) {
            manager.initialize();
            await("the manager to subscribe").atMost(Duration.ofSeconds(20)).until(() -> subscribers(channel) == 1);
            manager.set("user:1", "Ada");
            await("user:1 served from L1").atMost(Duration.ofSeconds(20)).until(() -> {
                long hits = manager.l1Stats().hits();
                manager.get("user:1");
                return manager.l1Stats().hits() > hits;
            });

            CliRunner.Result result = cli.run("doctor", "-n", namespace, "--redis-url", redis.server().uri());

            assertThat(result.out()).contains("✔ permissions");
            long hits = manager.l1Stats().hits();
            assertThat(manager.get("user:1")).isEqualTo("Ada");
            assertThat(manager.l1Stats().hits()).as("still an L1 hit after doctor's PUBLISH").isEqualTo(hits + 1);
        }
    }

    @Test
    void doctor_allkeysLru_hasNoEvictionWarning() {
        redis.server().execute("CONFIG", "SET", "maxmemory", "64mb");
        redis.server().execute("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        try {
            CliRunner.Result result = cli.run("doctor", "-n", "app", "--redis-url", redis.server().uri());

            assertThat(result.out()).contains("✔ eviction     maxmemory 64.0 MiB, policy allkeys-lru")
                    .endsWith("\nok\n");
        } finally {
            redis.server().execute("CONFIG", "SET", "maxmemory", "0");
            redis.server().execute("CONFIG", "SET", "maxmemory-policy", "noeviction");
        }
    }

    private CliRunner.Result doctorAs(String user, String... more) {
        CliRunner runner = cli.environment(Map.of("NETRUN_CACHE_REDIS_HOST", "127.0.0.1",
                "NETRUN_CACHE_REDIS_PORT", String.valueOf(acl.server().port()),
                "NETRUN_CACHE_REDIS_USERNAME", user, "NETRUN_CACHE_REDIS_PASSWORD", PASSWORD));
        List<String> args = new ArrayList<>(List.of("doctor", "-n", "app"));
        args.addAll(List.of(more));
        return runner.run(args.toArray(new String[0]));
    }

    @Test
    void doctor_aclUserWithEveryPermission_passes() {
        CliRunner.Result result = doctorAs("full");

        assertThat(result.exitCode()).as(result.out()).isZero();
        assertThat(result.out()).contains("✔ permissions");
    }

    @Test
    void doctor_aclUserWithoutPublish_failsNamingItAndTheFix() {
        CliRunner.Result result = doctorAs("nopublish");

        assertThat(result.exitCode()).isEqualTo(NetrunCacheCli.EXIT_FAILED);
        assertThat(result.out())
                .containsPattern("✖ permissions  missing: PUBLISH \\(NOPERM[^\n]*\\)\n")
                .contains("fix: ACL SETUSER nopublish ~app:* &netrun-cache:invalidate:app ")
                .contains("1 check failed");
        assertThat(result.all()).doesNotContain(PASSWORD);
    }

    @Test
    void doctor_aclUserWithoutTheChannel_failsNamingPublishAndSubscribe() throws Exception {
        CliRunner.Result result = doctorAs("nochannel", "--json");

        assertThat(result.exitCode()).isEqualTo(NetrunCacheCli.EXIT_FAILED);
        JsonNode permissions = JSON.readTree(result.out()).path("checks").get(3);
        assertThat(permissions.path("status").asText()).isEqualTo("fail");
        assertThat(permissions.path("detail").asText()).contains("PUBLISH (NOPERM").contains("SUBSCRIBE (NOPERM")
                .doesNotContain("GET (");
    }

    @Test
    void doctor_wrongPassword_failsTheConnectionWithTheAuthFix() {
        CliRunner runner = cli.environment(Map.of("NETRUN_CACHE_REDIS_HOST", "127.0.0.1",
                "NETRUN_CACHE_REDIS_PORT", String.valueOf(acl.server().port()),
                "NETRUN_CACHE_REDIS_USERNAME", "full", "NETRUN_CACHE_REDIS_PASSWORD", PASSWORD + "-wrong"));

        CliRunner.Result result = runner.run("doctor", "-n", "app");

        assertThat(result.exitCode()).isEqualTo(NetrunCacheCli.EXIT_FAILED);
        assertThat(result.out()).contains("✖ connection").contains("fix: authentication failed");
        assertThat(result.all()).doesNotContain(PASSWORD);
    }

    @Test
    void doctor_unreachable_failsTheConnection() {
        CliRunner.Result result = cli.run("doctor", "--redis-url", "redis://127.0.0.1:" + RedisServer.freePort(),
                "--timeout", "2s");

        assertThat(result.exitCode()).isEqualTo(NetrunCacheCli.EXIT_FAILED);
        assertThat(result.out()).contains("✖ connection").contains("fix: nothing listens there");
    }

    @Test
    void doctor_tls_verifiedWithTheCaAndRefusedWithoutIt() {
        CliRunner.Result trusted = cli.run("doctor", "-n", "app", "--redis-url", tls.server().tlsUri(),
                "--tls-ca-cert", tls.server().caCertificate().toString());
        CliRunner.Result untrusted = cli.run("doctor", "-n", "app", "--redis-url", tls.server().tlsUri(),
                "--timeout", "3s");

        assertThat(trusted.exitCode()).as(trusted.out()).isZero();
        assertThat(trusted.out()).contains("(TLS, certificate and host name verified)");
        assertThat(untrusted.exitCode()).isEqualTo(NetrunCacheCli.EXIT_FAILED);
        assertThat(untrusted.out()).contains("✖ connection").contains("PKIX")
                .contains("fix: the server's TLS certificate is not trusted: trust the CA that signed it with "
                        + "--tls-ca-cert");
    }

    @Test
    void doctor_tls_hostNameTheCertificateDoesNotName_failsTheConnectionWithTheHostNameFix() {
        String otherAddress = "rediss://127.0.0.2:" + tls.server().port();

        CliRunner.Result result = cli.run("doctor", "-n", "app", "--redis-url", otherAddress,
                "--tls-ca-cert", tls.server().caCertificate().toString());

        assertThat(result.exitCode()).as(result.out()).isEqualTo(NetrunCacheCli.EXIT_FAILED);
        assertThat(result.out()).contains("✖ connection").contains("127.0.0.2")
                .contains("fix: the TLS certificate does not name the host connected to (host name verification)")
                .doesNotContain("is not trusted");
    }

    /** Returns the p50 that a doctor's latency line ({@code p50 0.12 ms, p99 ...}) reports, in milliseconds. */
    private static double medianPingMillis(String output) {
        Matcher p50 = Pattern.compile("p50 ([0-9.]+) ms").matcher(output);
        assertThat(p50.find()).as("a p50 in: %s", output).isTrue();
        return Double.parseDouble(p50.group(1));
    }
}
