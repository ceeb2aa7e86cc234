package com.netrunsystems.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link CacheConfig}: defaults, validation, secrets, properties and environment, equality; {@link CacheBackend#parse}. */
class CacheConfigTest {

    private static final String PASSWORD = "s3cret";
    private static final String URL_WITH_PASSWORD = "redis://user:" + PASSWORD + "@host:6379/0";

    // ---------------------------------------------------------------- defaults

    @Test
    void builder_noSettings_holdsApiDefaults() {
        CacheConfig config = CacheConfig.builder().build();

        assertThat(config.backend()).isEqualTo(CacheBackend.MEMORY);
        assertThat(config.namespace()).isEqualTo("cache");
        assertThat(config.defaultTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(config.maxSize()).isEqualTo(1000);
        assertThat(config.evictionPolicy()).isEqualTo(EvictionPolicy.TINY_LFU);
        assertThat(config.redisUrl()).isEmpty();
        assertThat(config.redisHost()).isEqualTo("localhost");
        assertThat(config.redisPort()).isEqualTo(6379);
        assertThat(config.redisDb()).isZero();
        assertThat(config.redisUsername()).isEmpty();
        assertThat(config.redisPassword()).isEmpty();
        assertThat(config.redisClusterNodes()).isEmpty();
        assertThat(config.isCluster()).isFalse();
        assertThat(config.socketTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.socketConnectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.l1MaxSize()).isEqualTo(100);
        assertThat(config.l1Ttl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.failOpen()).isTrue();
        assertThat(config.sharedStats()).isFalse();
        assertThat(config.redisTls()).isFalse();
        assertThat(config.redisTlsVerifyPeer()).isTrue();
        assertThat(config.redisTlsCaCertificate()).isEmpty();
        assertThat(config.redisEndpoint()).isEqualTo("localhost:6379");
    }

    @Test
    void defaults_equalsEmptyBuilder() {
        assertThat(CacheConfig.defaults()).isEqualTo(CacheConfig.builder().build());
    }

    @Test
    void builder_everySetter_isReflectedByItsGetter() {
        CacheConfig config = everythingSet().build();

        assertThat(config.backend()).isEqualTo(CacheBackend.MULTI_LAYER);
        assertThat(config.namespace()).isEqualTo("api");
        assertThat(config.defaultTtl()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.maxSize()).isEqualTo(5000);
        assertThat(config.evictionPolicy()).isEqualTo(EvictionPolicy.LRU);
        assertThat(config.redisHost()).isEqualTo("redis.internal");
        assertThat(config.redisPort()).isEqualTo(6380);
        assertThat(config.redisDb()).isEqualTo(3);
        assertThat(config.redisUsername()).contains("app");
        assertThat(config.redisPassword()).contains(PASSWORD);
        assertThat(config.redisTls()).isTrue();
        assertThat(config.redisTlsVerifyPeer()).isFalse();
        assertThat(config.redisTlsCaCertificate()).contains(Path.of("/etc/ca.pem"));
        assertThat(config.socketTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.socketConnectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.l1MaxSize()).isEqualTo(50);
        assertThat(config.l1Ttl()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.failOpen()).isFalse();
        assertThat(config.sharedStats()).isTrue();
        assertThat(config.keyCountRefresh()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void redisClusterNodes_varargsAndList_giveTheSameImmutableCopy() {
        List<String> nodes = new ArrayList<>(List.of("a:7000", "b:7001"));
        CacheConfig fromList = CacheConfig.builder().redisClusterNodes(nodes).build();
        CacheConfig fromVarargs = CacheConfig.builder().redisClusterNodes("a:7000", "b:7001").build();

        nodes.add("c:7002");

        assertThat(fromList.redisClusterNodes()).containsExactly("a:7000", "b:7001");
        assertThat(fromList).isEqualTo(fromVarargs);
        assertThat(fromList.isCluster()).isTrue();
        assertThat(fromList.redisEndpoint()).isEqualTo("cluster a:7000,b:7001");
        assertThatThrownBy(() -> fromList.redisClusterNodes().add("d:7003"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "redis://localhost", "redis://localhost:6379/0", "rediss://secure.example.com:6380/2",
            "redis://:" + PASSWORD + "@host", URL_WITH_PASSWORD,
            "redis-sentinel://host:26379,host2:26379/0#mymaster", "rediss-sentinel://host:26379#mymaster"})
    void build_validRedisUrl_isAccepted(String url) {
        CacheConfig config = CacheConfig.builder().redisUrl(url).build();

        assertThat(config.redisUrl()).contains(url);
    }

    // ---------------------------------------------------------------- validation: field name and bad value

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                invalid("backend", "null", b -> b.backend(null)),
                invalid("namespace", "null", b -> b.namespace(null)),
                invalid("namespace", "''", b -> b.namespace("")),
                invalid("namespace", "'   '", b -> b.namespace("   ")),
                invalid("defaultTtl", "null", b -> b.defaultTtl(null)),
                invalid("defaultTtl", "PT0S", b -> b.defaultTtl(Duration.ZERO)),
                invalid("defaultTtl", "PT-1S", b -> b.defaultTtl(Duration.ofSeconds(-1))),
                invalid("maxSize", "0", b -> b.maxSize(0)),
                invalid("maxSize", "-5", b -> b.maxSize(-5)),
                invalid("evictionPolicy", "null", b -> b.evictionPolicy(null)),
                invalid("redisHost", "''", b -> b.redisHost("")),
                invalid("redisHost", "null", b -> b.redisHost(null)),
                invalid("redisPort", "0", b -> b.redisPort(0)),
                invalid("redisPort", "-1", b -> b.redisPort(-1)),
                invalid("redisPort", "65536", b -> b.redisPort(65_536)),
                invalid("redisPort", "70000", b -> b.redisPort(70_000)),
                invalid("redisDb", "-1", b -> b.redisDb(-1)),
                invalid("socketTimeout", "PT0S", b -> b.socketTimeout(Duration.ZERO)),
                invalid("socketTimeout", "null", b -> b.socketTimeout(null)),
                invalid("socketConnectTimeout", "PT-2S", b -> b.socketConnectTimeout(Duration.ofSeconds(-2))),
                invalid("l1MaxSize", "0", b -> b.l1MaxSize(0)),
                invalid("l1Ttl", "PT0S", b -> b.l1Ttl(Duration.ZERO)),
                invalid("keyCountRefresh", "PT-1M", b -> b.keyCountRefresh(Duration.ofMinutes(-1))),
                invalid("redisUrl", "not a url", b -> b.redisUrl("not a url")),
                invalid("redisUrl", "http://host:6379", b -> b.redisUrl("http://host:6379")),
                invalid("redisUrl", "localhost:6379", b -> b.redisUrl("localhost:6379")),
                invalid("redisUrl", "redis://host:99999", b -> b.redisUrl("redis://host:99999")),
                invalid("redisUrl", "redis://host/abc", b -> b.redisUrl("redis://host/abc")),
                invalid("redisUrl", "redis://", b -> b.redisUrl("redis://")),
                invalid("redisUrl", "redis-sentinel://host:26379/0", b -> b.redisUrl("redis-sentinel://host:26379/0")),
                invalid("redisClusterNodes", "null", b -> b.redisClusterNodes((List<String>) null)),
                invalid("redisClusterNodes", "'host'", b -> b.redisClusterNodes("host")),
                invalid("redisClusterNodes", "'host:'", b -> b.redisClusterNodes("a:7000", "host:")),
                invalid("redisClusterNodes", "'host:abc'", b -> b.redisClusterNodes("host:abc")),
                invalid("redisClusterNodes", "'host:0'", b -> b.redisClusterNodes("host:0")),
                invalid("redisClusterNodes", "':7000'", b -> b.redisClusterNodes(":7000")),
                invalid("redisClusterNodes", "null", b -> b.redisClusterNodes(Arrays.asList("a:7000", null))),
                invalid("redisClusterNodes", "a:7000",
                        b -> b.redisUrl("redis://host:6379").redisClusterNodes("a:7000")));
    }

    private static Arguments invalid(String field, String echoedValue, UnaryOperator<CacheConfig.Builder> change) {
        return Arguments.of(field, echoedValue, change);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidSettings")
    void build_invalidSetting_throwsNamingFieldAndEchoingValue(String field, String echoedValue,
            UnaryOperator<CacheConfig.Builder> change) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> change.apply(CacheConfig.builder()).build())
                .withMessageContaining(field)
                .withMessageContaining(echoedValue);
    }

    @Test
    void build_sentinelUrlWithoutMaster_saysWhatIsMissing() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheConfig.builder().redisUrl("redis-sentinel://host:26379").build())
                .withMessageContaining("redisUrl")
                .withMessageContaining("#masterName")
                .withMessageContaining("redis-sentinel://host:26379");
    }

    @Test
    void build_urlAndClusterNodes_areExclusive() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheConfig.builder().redisUrl(URL_WITH_PASSWORD).redisClusterNodes("a:7000").build())
                .withMessageContaining("redisUrl")
                .withMessageContaining("redisClusterNodes")
                .withMessageContaining("exclusive")
                .withMessageNotContaining(PASSWORD);
    }

    @Test
    void build_invalidSetting_leavesBuilderUsable() {
        CacheConfig.Builder builder = CacheConfig.builder().redisPort(0);
        assertThatIllegalArgumentException().isThrownBy(builder::build);

        assertThat(builder.redisPort(6380).build().redisPort()).isEqualTo(6380);
    }

    // ---------------------------------------------------------------- secrets

    @Test
    void toString_passwordSet_neverShowsIt() {
        CacheConfig config = CacheConfig.builder().redisPassword(PASSWORD).redisUsername("app").build();

        assertThat(config.toString()).doesNotContain(PASSWORD).contains("****").contains("app");
    }

    @Test
    void toString_passwordInUrl_neverShowsIt() {
        CacheConfig config = CacheConfig.builder().redisUrl(URL_WITH_PASSWORD).build();

        assertThat(config.toString()).doesNotContain(PASSWORD).contains("redis://user:****@host:6379/0");
        assertThat(config.redisEndpoint()).doesNotContain(PASSWORD);
    }

    @Test
    void toString_passwordOnlyInUrl_neverShowsIt() {
        CacheConfig config = CacheConfig.builder().redisUrl("redis://:" + PASSWORD + "@host:6379").build();

        assertThat(config.toString()).doesNotContain(PASSWORD);
        assertThat(config.redisEndpoint()).doesNotContain(PASSWORD);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "redis://user:" + PASSWORD + "@host:99999/0",
            "redis://user:" + PASSWORD + "@host/notadb",
            "redis://user:" + PASSWORD + "@ho st:6379/0",
            "http://user:" + PASSWORD + "@host:6379",
            "redis://user:" + PASSWORD + "@host:notaport/0",
            "redis-sentinel://user:" + PASSWORD + "@host:26379/0"})
    void build_invalidUrlWithPassword_neverShowsPasswordAnywhereInTheException(String url) {
        Throwable thrown = catchThrowable(() -> CacheConfig.builder().redisUrl(url).build());

        assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redisUrl");
        assertNoPasswordInChain(thrown);
    }

    // ---------------------------------------------------------------- fromProperties

    @Test
    void fromProperties_empty_givesDefaults() {
        assertThat(CacheConfig.fromProperties(new Properties())).isEqualTo(CacheConfig.defaults());
    }

    @Test
    void fromProperties_kebabCaseNames_setEveryField() {
        Properties p = new Properties();
        p.setProperty("netrun.cache.backend", "MULTI_LAYER");
        p.setProperty("netrun.cache.namespace", "api");
        p.setProperty("netrun.cache.default-ttl", "PT30M");
        p.setProperty("netrun.cache.max-size", "5000");
        p.setProperty("netrun.cache.eviction-policy", "lru");
        p.setProperty("netrun.cache.redis-host", "redis.internal");
        p.setProperty("netrun.cache.redis-port", "6380");
        p.setProperty("netrun.cache.redis-db", "3");
        p.setProperty("netrun.cache.redis-username", "app");
        p.setProperty("netrun.cache.redis-password", PASSWORD);
        p.setProperty("netrun.cache.redis-tls", "true");
        p.setProperty("netrun.cache.redis-tls-verify-peer", "false");
        p.setProperty("netrun.cache.redis-tls-ca-certificate", "/etc/ca.pem");
        p.setProperty("netrun.cache.socket-timeout", "2s");
        p.setProperty("netrun.cache.socket-connect-timeout", "3");
        p.setProperty("netrun.cache.l1-max-size", "50");
        p.setProperty("netrun.cache.l1-ttl", "1m");
        p.setProperty("netrun.cache.fail-open", "false");
        p.setProperty("netrun.cache.shared-stats", "yes");
        p.setProperty("netrun.cache.key-count-refresh", "10000ms");

        assertThat(CacheConfig.fromProperties(p)).isEqualTo(everythingSet().build());
    }

    @Test
    void fromProperties_coherence_isReadInAnySpellingAndDefaultsToTracking() {
        assertThat(CacheConfig.defaults().coherence()).isEqualTo(Coherence.TRACKING);
        assertThat(CacheConfig.defaults().coherenceHeartbeat()).isEqualTo(Duration.ofSeconds(1));
        assertThat(CacheConfig.fromProperties(props("netrun.cache.coherence", "pubsub")).coherence()).isEqualTo(Coherence.PUBSUB);
        assertThat(CacheConfig.fromProperties(props("netrun.cache.coherence", "Pub-Sub")).coherence()).isEqualTo(Coherence.PUBSUB);
        assertThat(CacheConfig.fromProperties(props("netrun.cache.coherence", "NONE")).coherence()).isEqualTo(Coherence.NONE);
        assertThat(CacheConfig.fromProperties(props("netrun.cache.coherence-heartbeat", "250ms")).coherenceHeartbeat())
                .isEqualTo(Duration.ofMillis(250));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheConfig.fromProperties(props("netrun.cache.coherence", "keyspace")))
                .withMessageContaining("netrun.cache.coherence").withMessageContaining("tracking, pubsub or none");
        assertThat(CacheConfig.builder().coherence(Coherence.NONE).build().toBuilder().build().coherence())
                .isEqualTo(Coherence.NONE);
    }

    @Test
    void fromProperties_redisPort_isRead() {
        assertThat(CacheConfig.fromProperties(props("netrun.cache.redis-port", "6380")).redisPort()).isEqualTo(6380);
        assertThat(CacheConfig.fromProperties(props("netrun.cache.redis-port", " 6381 ")).redisPort()).isEqualTo(6381);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MULTI_LAYER", "multi_layer", "Multi_Layer", "multi-layer", "MULTI-LAYER"})
    void fromProperties_backendInAnyCase_isParsed(String backend) {
        assertThat(CacheConfig.fromProperties(props("netrun.cache.backend", backend)).backend())
                .isEqualTo(CacheBackend.MULTI_LAYER);
    }

    static Stream<Arguments> durations() {
        return Stream.of(
                Arguments.of("PT5M", Duration.ofMinutes(5)),
                Arguments.of("pt5m", Duration.ofMinutes(5)),
                Arguments.of("PT0.5S", Duration.ofMillis(500)),
                Arguments.of("30s", Duration.ofSeconds(30)),
                Arguments.of("300", Duration.ofSeconds(300)),
                Arguments.of("500ms", Duration.ofMillis(500)),
                Arguments.of("5m", Duration.ofMinutes(5)),
                Arguments.of("2h", Duration.ofHours(2)),
                Arguments.of("1d", Duration.ofDays(1)),
                Arguments.of("30S", Duration.ofSeconds(30)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durations")
    void fromProperties_durationInEveryNotation_isParsed(String text, Duration expected) {
        assertThat(CacheConfig.fromProperties(props("netrun.cache.default-ttl", text)).defaultTtl()).isEqualTo(expected);
        assertThat(CacheConfig.fromProperties(props("netrun.cache.l1-ttl", text)).l1Ttl()).isEqualTo(expected);
    }

    @Test
    void fromProperties_clusterNodes_commaListIsSplitAndTrimmed() {
        CacheConfig config = CacheConfig.fromProperties(
                props("netrun.cache.redis-cluster-nodes", "a:7000, b:7001 ,c:7002,"));

        assertThat(config.redisClusterNodes()).containsExactly("a:7000", "b:7001", "c:7002");
        assertThat(config.isCluster()).isTrue();
    }

    @Test
    void fromProperties_redisUrl_isRead() {
        assertThat(CacheConfig.fromProperties(props("netrun.cache.redis-url", URL_WITH_PASSWORD)).redisUrl())
                .contains(URL_WITH_PASSWORD);
    }

    @Test
    void fromProperties_unrelatedAndEnvironmentStyleNames_areIgnored() {
        Properties p = new Properties();
        p.setProperty("netrun.cache.redisPort", "1");
        p.setProperty("NETRUN_CACHE_REDIS_PORT", "2");
        p.setProperty("other.redis-port", "3");

        assertThat(CacheConfig.fromProperties(p)).isEqualTo(CacheConfig.defaults());
    }

    static Stream<Arguments> badProperties() {
        return Stream.of(
                Arguments.of("netrun.cache.redis-port", "abc", "abc"),
                Arguments.of("netrun.cache.redis-port", "70000", "70000"),
                Arguments.of("netrun.cache.redis-port", "0", "was 0"),
                Arguments.of("netrun.cache.redis-port", "99999999999", "99999999999"),
                Arguments.of("netrun.cache.redis-db", "-1", "-1"),
                Arguments.of("netrun.cache.max-size", "many", "many"),
                Arguments.of("netrun.cache.max-size", "0", "was 0"),
                Arguments.of("netrun.cache.default-ttl", "5 minutes", "5 minutes"),
                Arguments.of("netrun.cache.default-ttl", "0", "PT0S"),
                Arguments.of("netrun.cache.l1-ttl", "-5s", "-5s"),
                Arguments.of("netrun.cache.backend", "mongo", "mongo"),
                Arguments.of("netrun.cache.eviction-policy", "fifo", "fifo"),
                Arguments.of("netrun.cache.fail-open", "maybe", "maybe"),
                Arguments.of("netrun.cache.namespace", "   ", "''"),
                Arguments.of("netrun.cache.redis-cluster-nodes", "a:7000,nohost", "nohost"),
                Arguments.of("netrun.cache.redis-url", "http://host", "http://host"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badProperties")
    void fromProperties_badValue_throwsNamingPropertyAndEchoingValue(String property, String value, String echo) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheConfig.fromProperties(props(property, value)))
                .withMessageContaining(property)
                .withMessageContaining(echo);
    }

    @Test
    void fromProperties_badUrlWithPassword_namesPropertyWithoutPassword() {
        Throwable thrown = catchThrowable(() -> CacheConfig.fromProperties(
                props("netrun.cache.redis-url", "redis://user:" + PASSWORD + "@host:99999/0")));

        assertThat(thrown).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("netrun.cache.redis-url")
                .hasMessageContaining("user:****@host:99999");
        assertNoPasswordInChain(thrown);
    }

    // ---------------------------------------------------------------- fromEnvironment

    @Test
    void fromEnvironment_emptyMap_givesDefaults() {
        assertThat(CacheConfig.fromEnvironment(Map.of())).isEqualTo(CacheConfig.defaults());
    }

    @Test
    void fromEnvironment_upperSnakeCaseNames_areRead() {
        CacheConfig config = CacheConfig.fromEnvironment(Map.of(
                "NETRUN_CACHE_REDIS_PORT", "6380",
                "NETRUN_CACHE_BACKEND", "multi_layer",
                "NETRUN_CACHE_DEFAULT_TTL", "30s",
                "NETRUN_CACHE_L1_MAX_SIZE", "50",
                "NETRUN_CACHE_REDIS_PASSWORD", PASSWORD,
                "NETRUN_CACHE_REDIS_CLUSTER_NODES", "a:7000,b:7001",
                "NETRUN_CACHE_FAIL_OPEN", "FALSE",
                "PATH", "/usr/bin",
                "netrun_cache_redis_db", "5"));

        assertThat(config.redisPort()).isEqualTo(6380);
        assertThat(config.backend()).isEqualTo(CacheBackend.MULTI_LAYER);
        assertThat(config.defaultTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.l1MaxSize()).isEqualTo(50);
        assertThat(config.redisPassword()).contains(PASSWORD);
        assertThat(config.redisClusterNodes()).containsExactly("a:7000", "b:7001");
        assertThat(config.failOpen()).isFalse();
        assertThat(config.redisDb()).isZero();
    }

    @Test
    void fromEnvironment_unparseableValue_namesVariableAndEchoesValue() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheConfig.fromEnvironment(Map.of("NETRUN_CACHE_REDIS_PORT", "abc")))
                .withMessageContaining("NETRUN_CACHE_REDIS_PORT")
                .withMessageContaining("abc");
    }

    @Test
    void fromEnvironment_invalidValue_namesVariableAndEchoesValue() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheConfig.fromEnvironment(Map.of("NETRUN_CACHE_REDIS_PORT", "70000")))
                .withMessageContaining("NETRUN_CACHE_REDIS_PORT")
                .withMessageContaining("70000");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheConfig.fromEnvironment(Map.of("NETRUN_CACHE_L1_TTL", "0")))
                .withMessageContaining("NETRUN_CACHE_L1_TTL")
                .withMessageContaining("PT0S");
    }

    @Test
    void fromEnvironment_badBackend_namesVariableAndAcceptedValues() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheConfig.fromEnvironment(Map.of("NETRUN_CACHE_BACKEND", "mongo")))
                .withMessageContaining("NETRUN_CACHE_BACKEND")
                .withMessageContaining("mongo")
                .withMessageContaining("memory, redis, multi_layer");
    }

    @Test
    void fromEnvironment_badUrlWithPassword_namesVariableWithoutPassword() {
        Throwable thrown = catchThrowable(() -> CacheConfig.fromEnvironment(Map.of(
                "NETRUN_CACHE_REDIS_URL", "redis://user:" + PASSWORD + "@ho st:6379/0",
                "NETRUN_CACHE_REDIS_PASSWORD", PASSWORD)));

        assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NETRUN_CACHE_REDIS_URL");
        assertNoPasswordInChain(thrown);
    }

    @Test
    void fromEnvironment_urlAndClusterNodes_namesUrlVariable() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheConfig.fromEnvironment(Map.of(
                        "NETRUN_CACHE_REDIS_URL", "redis://host", "NETRUN_CACHE_REDIS_CLUSTER_NODES", "a:7000")))
                .withMessageContaining("NETRUN_CACHE_REDIS_URL")
                .withMessageContaining("exclusive");
    }

    // ---------------------------------------------------------------- toBuilder, equals, hashCode

    @Test
    void toBuilder_unchanged_buildsAnEqualConfig() {
        CacheConfig config = everythingSet().build();

        CacheConfig copy = config.toBuilder().build();

        assertThat(copy).isEqualTo(config).hasSameHashCodeAs(config);
        assertThat(copy.toString()).isEqualTo(config.toString());
    }

    @Test
    void toBuilder_oneChange_changesOnlyThatField() {
        CacheConfig config = everythingSet().build();

        CacheConfig variant = config.toBuilder().redisPort(7000).build();

        assertThat(variant.redisPort()).isEqualTo(7000);
        assertThat(config.redisPort()).isEqualTo(6380);
        assertThat(variant).isNotEqualTo(config);
        assertThat(variant.toBuilder().redisPort(6380).build()).isEqualTo(config);
    }

    @Test
    void toBuilder_ofUrlConfig_keepsUrlAndClusterConfigKeepsNodes() {
        CacheConfig url = CacheConfig.builder().redisUrl(URL_WITH_PASSWORD).build();
        CacheConfig cluster = CacheConfig.builder().redisClusterNodes("a:7000").build();

        assertThat(url.toBuilder().build()).isEqualTo(url);
        assertThat(cluster.toBuilder().build()).isEqualTo(cluster);
    }

    static Stream<Arguments> singleFieldChanges() {
        return Stream.<UnaryOperator<CacheConfig.Builder>>of(
                b -> b.backend(CacheBackend.REDIS),
                b -> b.namespace("other"),
                b -> b.defaultTtl(Duration.ofMinutes(31)),
                b -> b.maxSize(5001),
                b -> b.evictionPolicy(EvictionPolicy.TINY_LFU),
                b -> b.redisUrl("redis://other"),
                b -> b.redisHost("other"),
                b -> b.redisPort(6381),
                b -> b.redisDb(4),
                b -> b.redisUsername("other"),
                b -> b.redisPassword("other"),
                b -> b.redisClusterNodes("x:7000"),
                b -> b.redisTls(false),
                b -> b.redisTlsVerifyPeer(true),
                b -> b.redisTlsCaCertificate(Path.of("/other.pem")),
                b -> b.socketTimeout(Duration.ofSeconds(9)),
                b -> b.socketConnectTimeout(Duration.ofSeconds(9)),
                b -> b.l1MaxSize(51),
                b -> b.l1Ttl(Duration.ofMinutes(2)),
                b -> b.failOpen(true),
                b -> b.sharedStats(false),
                b -> b.keyCountRefresh(Duration.ofSeconds(11)))
                .map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("singleFieldChanges")
    void equals_anyFieldDiffers_notEqual(UnaryOperator<CacheConfig.Builder> change) {
        CacheConfig config = everythingSet().build();

        CacheConfig changed = change.apply(config.toBuilder()).build();

        assertThat(changed).isNotEqualTo(config);
        assertThat(config).isNotEqualTo(changed);
    }

    @Test
    void equals_sameSettings_equalWithSameHashCode() {
        CacheConfig a = everythingSet().build();
        CacheConfig b = everythingSet().build();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isEqualTo(a);
        assertThat(a).isNotEqualTo(null);
        assertThat(a).isNotEqualTo("config");
    }

    // ---------------------------------------------------------------- CacheBackend

    @ParameterizedTest
    @ValueSource(strings = {"memory", "MEMORY", "Memory", " memory "})
    void parse_memoryInAnyCase_isMemory(String text) {
        assertThat(CacheBackend.parse(text)).isEqualTo(CacheBackend.MEMORY);
    }

    @Test
    void parse_seedSpellings_giveEveryBackend() {
        assertThat(CacheBackend.parse("redis")).isEqualTo(CacheBackend.REDIS);
        assertThat(CacheBackend.parse("REDIS")).isEqualTo(CacheBackend.REDIS);
        assertThat(CacheBackend.parse("multi_layer")).isEqualTo(CacheBackend.MULTI_LAYER);
        assertThat(CacheBackend.parse("MULTI_LAYER")).isEqualTo(CacheBackend.MULTI_LAYER);
        assertThat(CacheBackend.parse("multi-layer")).isEqualTo(CacheBackend.MULTI_LAYER);
    }

    @Test
    void parse_unknownOrNull_throwsNamingAcceptedValues() {
        for (String text : Arrays.asList("mongo", "", "multilayer", null)) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> CacheBackend.parse(text))
                    .withMessageContaining("backend")
                    .withMessageContaining("memory, redis, multi_layer")
                    .withMessageContaining(text == null ? "null" : "'" + text + "'");
        }
    }

    @Test
    void wireName_eachBackend_isTheSeedSpelling() {
        assertThat(CacheBackend.MEMORY.wireName()).isEqualTo("memory");
        assertThat(CacheBackend.REDIS.wireName()).isEqualTo("redis");
        assertThat(CacheBackend.MULTI_LAYER.wireName()).isEqualTo("multi_layer");
        for (CacheBackend backend : CacheBackend.values()) {
            assertThat(CacheBackend.parse(backend.wireName())).isEqualTo(backend);
            assertThat(CacheBackend.parse(backend.name())).isEqualTo(backend);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static CacheConfig.Builder everythingSet() {
        return CacheConfig.builder()
                .backend(CacheBackend.MULTI_LAYER)
                .namespace("api")
                .defaultTtl(Duration.ofMinutes(30))
                .maxSize(5000)
                .evictionPolicy(EvictionPolicy.LRU)
                .redisHost("redis.internal")
                .redisPort(6380)
                .redisDb(3)
                .redisUsername("app")
                .redisPassword(PASSWORD)
                .redisTls(true)
                .redisTlsVerifyPeer(false)
                .redisTlsCaCertificate(Path.of("/etc/ca.pem"))
                .socketTimeout(Duration.ofSeconds(2))
                .socketConnectTimeout(Duration.ofSeconds(3))
                .l1MaxSize(50)
                .l1Ttl(Duration.ofMinutes(1))
                .failOpen(false)
                .sharedStats(true)
                .keyCountRefresh(Duration.ofSeconds(10));
    }

    private static Properties props(String name, String value) {
        Properties properties = new Properties();
        properties.setProperty(name, value);
        return properties;
    }

    private static void assertNoPasswordInChain(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).as("message of %s", t.getClass().getName())
                    .doesNotContain(PASSWORD);
            assertThat(t.toString()).doesNotContain(PASSWORD);
        }
    }
}
