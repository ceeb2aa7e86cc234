package com.netrunsystems.cache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.spring.NetrunCacheManager;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java snippet of README.md is a region of a compiled source file of this module (and the new-project
 * {@code pom.xml} is {@code examples/new-project/pom.xml}): this test fails when a README block and its source
 * differ, or when a {@code java} block has no {@code <!-- snippet: ... -->} marker (outside {@link #NOT_COMPILED}),
 * and it runs every example, the Redis ones against a throwaway redis-server (named by the system property
 * {@code redis.url}). With {@code -Dnetrun.readme.write=true} it rewrites the README blocks from the sources
 * instead of failing.
 */
class ReadmeSnippetsTest {

    static final Path ROOT = Path.of("..", "..");
    static final Path README = ROOT.resolve("README.md");
    static final String REGENERATE = "mvn -B -ntp -pl examples/readme-snippets -am test -Dtest=ReadmeSnippetsTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dnetrun.readme.write=true";

    /**
     * README {@code java} blocks allowed without a marker, by their first line, each with the reason (none today:
     * the Spring Boot blocks are regions of examples/spring-boot-demo, compiled and tested by that module).
     */
    static final Map<String, String> NOT_COMPILED = Map.of();

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    @BeforeAll
    static void pointTheExamplesAtTheThrowawayRedis() {
        System.setProperty("redis.url", redis.server().uri());
    }

    @AfterAll
    static void forgetTheThrowawayRedis() {
        System.clearProperty("redis.url");
    }

    @Test
    void readmeBlocks_equalTheirSources() throws IOException {
        List<String> lines = readme();
        List<String> drift = Snippets.sync(ROOT, lines);
        if (!drift.isEmpty() && Boolean.getBoolean("netrun.readme.write")) {
            Files.writeString(README, String.join("\n", lines), StandardCharsets.UTF_8);
            return;
        }
        assertThat(drift).as("README blocks that differ from their sources (- source, + README); to rewrite the"
                + " README from the sources, run:\n  " + REGENERATE + "\n").isEmpty();
    }

    @Test
    void everyJavaBlock_isACompiledSnippet_andEveryMarkerShowsABlock() throws IOException {
        List<String> lines = readme();
        assertThat(Snippets.unmarked(lines, "java", NOT_COMPILED.keySet())).as("```java blocks without a"
                + " <!-- snippet: path#tag --> marker line before them; put the code in examples/readme-snippets"
                + " between // tag::name[] and // end::name[]").isEmpty();
        assertThat(Snippets.strayMarkers(lines)).as("snippet markers not directly followed by a ``` fence").isEmpty();
    }

    @Test
    void theCheck_findsDrift_unmarkedBlocks_andStrayMarkers_andRewrites(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("A.java"), "class A {\n    void f() {\n        // tag::x[]\n        g();\n"
                + "        // end::x[]\n    }\n}\n");
        List<String> lines = new ArrayList<>(List.of("# t", "<!-- snippet: A.java#x -->", "```java", "h();", "```",
                "", "```java", "free();", "```", "<!-- snippet: A.java#x -->", "text"));
        assertThat(Snippets.sync(dir, lines)).singleElement().asString().contains("-g();", "+h();");
        assertThat(lines.get(3)).as("rewritten").isEqualTo("g();");
        assertThat(Snippets.sync(dir, lines)).isEmpty();
        assertThat(Snippets.unmarked(lines, "java", Set.of())).containsExactly("README line 7: free();");
        assertThat(Snippets.unmarked(lines, "java", Set.of("free();"))).isEmpty();
        assertThat(Snippets.strayMarkers(lines)).containsExactly("README line 10: <!-- snippet: A.java#x -->");
    }

    @Test
    void regions_dropOtherTags_joinRepeatedOnes_andStripIndentation(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("A.java");
        Files.writeString(file, "// tag::a[]\nimport x;\n// end::a[]\nclass A {\n    void f() {\n"
                + "        // tag::a[]\n        g();\n        // tag::b[]\n        h();\n        // end::b[]\n"
                + "        // end::a[]\n    }\n}\n");
        assertThat(Snippets.region(file, "a")).isEqualTo("import x;\n\ng();\nh();");
        assertThat(Snippets.region(file, "b")).isEqualTo("h();");
        Files.writeString(file, "class A {\n// tag::c[]\n    void f() { }\n// end::c[]\n}\n");
        assertThat(Snippets.region(file, "c")).as("less the tag line's indentation only").isEqualTo("    void f() { }");
    }

    @Test
    void quickStart_runsInMemory() {
        String out = run(() -> QuickStart.main(new String[0]));
        assertThat(out).contains("user:123 = {", "found 2 users", "views 1, stock -1", "acquired true",
                "product:456 = {", "Hit rate: ", "Cached keys: 6");
    }

    @Test
    void configuration_readsTheProperty() {
        assertThat(run(() -> ConfigurationExample.main(new String[0]))).contains("properties: redisPort 6380");
    }

    @Test
    void redisCache_againstAThrowawayRedis() {
        String out = run(() -> RedisExample.main(new String[0]));
        assertThat(out).contains("user:42 = User[name=Ada, email=ada@example.com]", "report: built under the lock");
        assertThat(redis.server().execute("EXISTS", "api:product:456")).isEqualTo(1L);
    }

    @Test
    void twoLevel_againstAThrowawayRedis() {
        String out = run(() -> TwoLevelExample.main(new String[0]));
        assertThat(out).contains("user:789 = {name=Ada}", "L2 circuit CLOSED");
    }

    @Test
    void methodCaching_loadsOnce_perProxy() {
        String out = run(() -> MethodCachingExample.main(new String[0]));
        assertThat(out.lines().filter("loading user 42"::equals)).hasSize(1);
        assertThat(out.lines().filter("loading product 7"::equals)).hasSize(1);
    }

    @Test
    void loadPolicies_loadUnderTheLease() {
        String out = run(() -> StampedeExample.main(new String[0]));
        assertThat(out).contains("report:today = {rows=42}, loads 1");
    }

    @Test
    void springWithoutBoot_configuresTheBooksCache() {
        NetrunCacheManager manager = new SpringCacheConfiguration().cacheManager();
        try {
            assertThat(manager.configFor("books").backend()).isEqualTo(CacheBackend.MULTI_LAYER);
            assertThat(manager.configFor("books").defaultTtl()).isEqualTo(Duration.ofMinutes(30));
        } finally {
            manager.close();
        }
    }

    private static List<String> readme() throws IOException {
        return new ArrayList<>(List.of(Files.readString(README, StandardCharsets.UTF_8).split("\n", -1)));
    }

    private static synchronized String run(Runnable example) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            example.run();
        } finally {
            System.setOut(original);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        original.print(out);
        return out;
    }
}
