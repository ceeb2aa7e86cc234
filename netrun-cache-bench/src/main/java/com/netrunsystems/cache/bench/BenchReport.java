package com.netrunsystems.cache.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Writes {@code docs/benchmarks.md} and the PNG charts beside it from the results of one run of
 * {@code run.sh}: the JMH JSON files ({@code jmh-*.json}), {@code stampede.json},
 * {@code hitrate.json}, {@code roundtrips.json} and {@code run.properties} (machine, load, settings).
 * Every figure in the page comes from those files; nothing is typed by hand.
 * Usage: {@code BenchReport <results dir> <docs dir>}.
 */
public final class BenchReport {

    private final Path results;
    private final Path docs;
    private final List<Row> rows = new ArrayList<>();
    private final Properties run = new Properties();
    private final StringBuilder md = new StringBuilder();
    private final List<Target> targets = new ArrayList<>();
    /** Observations the numbers support, printed before the target summary. */
    private final List<String> findings = new ArrayList<>();

    /** One JMH result: benchmark group, operation, threads, contender, score, error, bytes/op. */
    record Row(String group, String op, int threads, String contender, double score, double error, double bytesPerOp,
            JsonNode raw) {
        Ratio.Measure measure() {
            return new Ratio.Measure(score, error);
        }
    }

    /** One target of issue 6 and its verdict. */
    record Target(String name, boolean met, String figure) {
    }

    BenchReport(Path results, Path docs) {
        this.results = results;
        this.docs = docs;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: BenchReport <results dir> <docs dir>");
            System.exit(2);
        }
        BenchReport report = new BenchReport(Path.of(args[0]), Path.of(args[1]));
        report.load();
        report.write();
    }

    void load() throws IOException {
        Path properties = results.resolve("run.properties");
        if (Files.exists(properties)) {
            try (var reader = Files.newBufferedReader(properties, StandardCharsets.UTF_8)) {
                run.load(reader);
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(results, "jmh-*.json")) {
            List<Path> sorted = new ArrayList<>();
            files.forEach(sorted::add);
            sorted.sort(null);
            for (Path file : sorted) {
                for (JsonNode result : Json.MAPPER.readTree(file.toFile())) {
                    rows.add(row(result));
                }
            }
        }
    }

    static Row row(JsonNode result) {
        String benchmark = result.path("benchmark").asText();
        String[] parts = benchmark.substring("com.netrunsystems.cache.bench.".length()).split("\\.");
        String group = parts[0];
        String op = parts[parts.length - 1];
        if (parts.length == 3) { // TwoLevelBenchmark.L2Hit.get
            op = parts[1];
        }
        JsonNode primary = result.path("primaryMetric");
        JsonNode norm = result.path("secondaryMetrics").path("gc.alloc.rate.norm");
        return new Row(group, op, result.path("threads").asInt(), result.path("params").path("contender").asText(),
                number(primary.path("score")), number(primary.path("scoreError")),
                norm.isMissingNode() ? Double.NaN : number(norm.path("score")), result);
    }

    private static double number(JsonNode node) {
        if (node.isNumber()) {
            return node.asDouble();
        }
        try {
            return Double.parseDouble(node.asText());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    Optional<Row> find(String group, String op, int threads, String contender) {
        return rows.stream().filter(r -> r.group().equals(group) && r.op().equals(op) && r.threads() == threads
                && r.contender().equals(contender)).findFirst();
    }

    List<Row> rows() {
        return rows;
    }

    List<Target> targets() {
        return targets;
    }

    void write() throws IOException {
        Files.createDirectories(docs);
        Path page = docs.resolve("benchmarks.md");
        String kept = Files.exists(page) ? HitPathReport.section(Files.readString(page, StandardCharsets.UTF_8)) : "";
        header();
        InProcessSection inProcess = new InProcessSection(this);
        inProcess.memory();
        inProcess.l1Hit();
        redis();
        asyncAndBulk();
        twoLevel();
        peers();
        springCache();
        stampede();
        hitRate();
        roundTrips();
        targetSummary();
        if (!kept.isEmpty()) {
            line(kept);
        }
        Files.writeString(page, md.toString(), StandardCharsets.UTF_8);
        System.out.println("wrote " + docs.resolve("benchmarks.md"));
    }

    // --- sections -------------------------------------------------------------------------------

    private void header() {
        JsonNode first = rows.isEmpty() ? null : rows.get(0).raw();
        line("# netrun-cache benchmarks");
        line("");
        line("Generated by `netrun-cache-bench/run.sh` (`BenchReport`) on " + run.getProperty("date", "?")
                + "; do not edit by hand: run the script again (the hit-path section at the end is kept from the previous page: `netrun-cache-bench/hitpath.sh` writes it). Issues 6 and 14 describe the suite and its targets.");
        line("");
        line("Scores are operations per second, higher is better, with JMH's 99.9% confidence half-width as the error. "
                + "Ratios divide a contender's score by the raw library's from the same run, with the error "
                + "propagated to first order (`err(a/b) = a/b · √((err a/a)² + (err b/b)²)`). A target is *met* when "
                + "the point estimate reaches it; *(within error)* flags a verdict the error interval could reverse.");
        line("");
        line("## Machine and settings");
        line("");
        line("| | |");
        line("|---|---|");
        line("| CPU | " + run.getProperty("cpu", "?") + " (" + run.getProperty("nproc", "?") + " cores visible) |");
        line("| Memory | " + run.getProperty("memory", "?") + " |");
        if (first != null) {
            line("| JDK | " + first.path("vmName").asText() + " " + first.path("vmVersion").asText() + " (JDK "
                    + first.path("jdkVersion").asText() + ") |");
            List<String> settings = rows.stream().map(r -> r.raw().path("forks").asInt() + " fork(s) of "
                    + r.raw().path("warmupIterations").asInt() + " × " + r.raw().path("warmupTime").asText()
                    + " warm-up, " + r.raw().path("measurementIterations").asInt() + " × "
                    + r.raw().path("measurementTime").asText() + " measurement").distinct().toList();
            line("| JMH | " + first.path("jmhVersion").asText() + ", per benchmark " + String.join("; ", settings)
                    + " (the error includes the spread between forks), `-prof gc` |");
        }
        line("| Redis | " + run.getProperty("redis", "?") + ", started by each benchmark on a free 127.0.0.1 port |");
        line("| Load | 1-minute load average " + run.getProperty("loadBefore", "?") + " when the suite started, "
                + run.getProperty("loadAfter", "?") + " when it ended"
                + ("yes".equals(run.getProperty("quiet")) ? "" : " — **the machine was not quiet** (other jobs were "
                        + "running; waited " + run.getProperty("waitedSeconds", "?") + " s for it to calm down): "
                        + "absolute numbers are lower and noisier than on an idle machine, ratios less affected")
                + " |");
        line("| Run time | " + run.getProperty("elapsed", "?") + " for the whole script |");
        line("");
        line("Contenders: **netrun** = this library. **caffeine** = raw Caffeine " + run.getProperty("caffeine", "")
                + " bounded only (`maximumSize`); **caffeine_features** = the same with `expireAfterWrite` + `recordStats()`; "
                + "**noop** = the harness alone; "
                + "**lettuce** = raw Lettuce " + run.getProperty("lettuce", "") + " (`StringCodec`, one connection); "
                + "**redisson** = Redisson " + run.getProperty("redisson", "") + " (`RBucket`, `RBuckets`, "
                + "`RLocalCachedMap`; its default pool); **spring** = Spring Data Redis " + run.getProperty("spring", "")
                + " `RedisCache` from `RedisCacheManager` on `LettuceConnectionFactory`, with `immediateWrites()` (its default "
                + "writes asynchronously: `put` would return before Redis replied) (bulk: `StringRedisTemplate.multiGet`); "
                + "**jetcache** = JetCache " + run.getProperty("jetcache", "") + " `RedisLettuceCache` / two-level "
                + "`MultiLevelCache` (Java-serialized value holders, its default encoder; its `PUT` is awaited, as it "
                + "returns before Redis replies). Same keys, 100-byte values, "
                + "one-hour TTL everywhere; Zipf(0.99) scrambled access.");
        line("");
    }

    /** Returns the median over every fork's iterations of a secondary metric, or NaN when it is missing. */
    static double medianIteration(Row row, String metric) {
        List<Double> values = new ArrayList<>();
        row.raw().path("secondaryMetrics").path(metric).path("rawData")
                .forEach(fork -> fork.forEach(iteration -> values.add(iteration.asDouble())));
        if (values.isEmpty()) {
            return row.bytesPerOp();
        }
        values.sort(null);
        int middle = values.size() / 2;
        return values.size() % 2 == 1 ? values.get(middle) : (values.get(middle - 1) + values.get(middle)) / 2;
    }

    private void redis() throws IOException {
        line("## Redis: blocking get and set");
        line("");
        line("10,000 preloaded keys; every thread shares the contender's one client (one multiplexed connection, "
                + "except Redisson's pool).");
        line("");
        line("| operation | threads | contender | ops/s | vs lettuce | B/op |");
        line("|---|---:|---|---:|---:|---:|");
        String[] contenders = {"netrun", "lettuce", "redisson", "spring", "jetcache"};
        Map<String, List<Double>> values = new LinkedHashMap<>();
        Map<String, List<Double>> errors = new LinkedHashMap<>();
        List<String> categories = new ArrayList<>();
        for (String op : new String[] {"get", "set"}) {
            for (int threads : threadCounts("RedisBenchmark")) {
                Optional<Row> base = find("RedisBenchmark", op, threads, "lettuce");
                if (base.isPresent()) {
                    categories.add(op + " " + threads + "T");
                }
                for (String contender : contenders) {
                    Optional<Row> row = find("RedisBenchmark", op, threads, contender);
                    Optional<Ratio> ratio = row.flatMap(r -> base.map(b -> Ratio.of(r.measure(), b.measure())));
                    row.ifPresent(r -> line("| " + op + " | " + threads + " | " + contender + " | " + ops(r) + " | "
                            + ratio.map(Ratio::format).orElse("–") + " | " + bytes(r.bytesPerOp()) + " |"));
                    if (base.isPresent() && !contender.equals("lettuce")) {
                        values.computeIfAbsent(contender, c -> new ArrayList<>()).add(ratio.map(Ratio::value).orElse(0.0));
                        errors.computeIfAbsent(contender, c -> new ArrayList<>()).add(err(ratio));
                    }
                }
            }
        }
        line("");
        chart("bench-redis.png", "Redis get/set relative to raw Lettuce (1.0 = Lettuce)", categories, values, errors);
        line("![Redis vs raw Lettuce](bench-redis.png)");
        line("");
        for (int threads : threadCounts("RedisBenchmark")) {
            ratioTarget("RedisCache sync get ≥ 0.9× raw Lettuce, " + threads + " thread(s)",
                    find("RedisBenchmark", "get", threads, "netrun"), find("RedisBenchmark", "get", threads, "lettuce"), 0.9);
        }
    }

    private void asyncAndBulk() throws IOException {
        line("## Redis: asynchronous reads (100 in flight) and getMany(100)");
        line("");
        line("Async: one thread starts 100 GETs, flushes (only `lettuce_manual_flush` buffers: "
                + "`setAutoFlushCommands(false)` + `flushCommands()` per batch) and waits for all; scores are GETs/s. "
                + "getMany: one call of 100 distinct present keys per operation; scores are calls/s.");
        line("");
        line("| workload | contender | ops/s | vs lettuce (auto-flush) | vs lettuce_manual_flush | B/op |");
        line("|---|---|---:|---:|---:|---:|");
        Optional<Row> auto = find("RedisAsyncBenchmark", "get100", 1, "lettuce");
        Optional<Row> manual = find("RedisAsyncBenchmark", "get100", 1, "lettuce_manual_flush");
        for (String contender : new String[] {"netrun", "lettuce", "lettuce_manual_flush", "lettuce_flush_consolidation",
                "redisson"}) {
            find("RedisAsyncBenchmark", "get100", 1, contender).ifPresent(r -> line("| async get, 100 in flight | "
                    + contender + " | " + ops(r) + " | " + auto.map(b -> Ratio.of(r.measure(), b.measure()).format()).orElse("–")
                    + " | " + manual.map(b -> Ratio.of(r.measure(), b.measure()).format()).orElse("–") + " | "
                    + bytes(r.bytesPerOp()) + " |"));
        }
        Optional<Row> mget = find("RedisGetManyBenchmark", "getMany100", 1, "lettuce");
        for (String contender : new String[] {"netrun", "lettuce", "redisson", "spring", "jetcache"}) {
            find("RedisGetManyBenchmark", "getMany100", 1, contender).ifPresent(r -> line("| getMany(100) | " + contender
                    + " | " + ops(r) + " | " + mget.map(b -> Ratio.of(r.measure(), b.measure()).format()).orElse("–")
                    + " | – | " + bytes(r.bytesPerOp()) + " |"));
        }
        line("");
        ratioTarget("RedisCache async get ≥ 1.0× raw Lettuce with manual flush",
                find("RedisAsyncBenchmark", "get100", 1, "netrun"), manual, 1.0);
        ratioTarget("getMany(100) ≥ 0.9× raw Lettuce MGET",
                find("RedisGetManyBenchmark", "getMany100", 1, "netrun"), mget, 0.9);
        auto.ifPresent(a -> manual.ifPresent(m -> {
            Ratio r = Ratio.of(m.measure(), a.measure());
            line("On this machine raw Lettuce with manual flush is " + r.format() + " the speed of raw Lettuce with "
                    + "auto-flush (issue 6 quotes about 2.6× for its machine). **lettuce_flush_consolidation** keeps "
                    + "auto-flush but puts Netty's `FlushConsolidationHandler` first in the pipeline, so writes "
                    + "queued in one event-loop turn share a flush; netrun's own connection is built the same way "
                    + "(`EndpointClient`), which is how its async path batches flushes without any call from its users.");
            line("");
        }));
    }

    private void twoLevel() throws IOException {
        line("## Two levels: CacheManager (L1 memory + L2 Redis)");
        line("");
        line("Past L1 (the L1 hit has its own section above). L2 hit: an L1 of one entry and keys read in sequence, so "
                + "every read goes to Redis (netrun: `GET`+`PTTL` pipelined, then an L1 fill). Miss + load: every "
                + "key new, the loader returns at once; **lettuce** is hand-written read-through (`GET`, then "
                + "`SET PX`), **netrun_redis** is `RedisCache.getOrLoad` without L1. JetCache's `computeIfAbsent` "
                + "returns without waiting for its Redis write, which flatters it here.");
        line("");
        line("| workload | contender | ops/s | vs raw | B/op |");
        line("|---|---|---:|---:|---:|");
        Map<String, List<Double>> values = new LinkedHashMap<>();
        Map<String, List<Double>> errors = new LinkedHashMap<>();
        List<String> categories = List.of("L2 hit (vs lettuce)", "miss + load (vs lettuce)");
        String[][] plan = {{"L2Hit", "lettuce"}, {"MissLoad", "lettuce"}};
        String[] contenders = {"netrun", "netrun_redis", "caffeine", "lettuce", "redisson", "jetcache"};
        for (int w = 0; w < plan.length; w++) {
            final int i = w;
            String workload = plan[i][0];
            Optional<Row> base = find("TwoLevelBenchmark", workload, 1, plan[i][1]);
            for (String contender : contenders) {
                Optional<Row> row = find("TwoLevelBenchmark", workload, 1, contender);
                Optional<Ratio> ratio = row.flatMap(r -> base.map(b -> Ratio.of(r.measure(), b.measure())));
                row.ifPresent(r -> line("| " + categories.get(i).replaceAll(" \\(.*", "") + " | " + contender + " | "
                        + ops(r) + " | " + ratio.map(Ratio::format).orElse("–") + " | " + bytes(r.bytesPerOp()) + " |"));
                if (!contender.equals(plan[i][1]) && !contender.equals("caffeine") && !contender.equals("lettuce")) {
                    values.computeIfAbsent(contender, c -> new ArrayList<>(List.of(0.0, 0.0))).set(i,
                            ratio.map(Ratio::value).orElse(0.0));
                    errors.computeIfAbsent(contender, c -> new ArrayList<>(List.of(0.0, 0.0))).set(i, err(ratio));
                }
            }
        }
        line("");
        chart("bench-two-level.png", "Two-level caches relative to the raw library", categories, values, errors);
        line("![Two-level caches](bench-two-level.png)");
        line("");
    }

    /** netrun against every peer on every workload measured. */
    private void peers() {
        line("## netrun-cache against its peers");
        line("");
        line("netrun's score divided by the peer's, same workload, same run. Target: ≥ 1.0× everywhere, "
                + "≥ 1.2× on getMany and L1 hit.");
        line("");
        line("| workload | peer | netrun / peer | target | verdict |");
        line("|---|---|---:|---:|---|");
        List<String[]> workloads = new ArrayList<>();
        for (int threads : threadCounts("RedisBenchmark")) {
            workloads.add(new String[] {"RedisBenchmark", "get", Integer.toString(threads), "get, " + threads + "T", "1.0"});
            workloads.add(new String[] {"RedisBenchmark", "set", Integer.toString(threads), "set, " + threads + "T", "1.0"});
        }
        workloads.add(new String[] {"RedisAsyncBenchmark", "get100", "1", "async get, 100 in flight", "1.0"});
        workloads.add(new String[] {"RedisGetManyBenchmark", "getMany100", "1", "getMany(100)", "1.2"});
        for (int threads : threadCounts("L1HitBenchmark")) {
            workloads.add(new String[] {"L1HitBenchmark", "get", Integer.toString(threads), "two-level L1 hit, " + threads
                    + "T", "1.2"});
        }
        workloads.add(new String[] {"TwoLevelBenchmark", "L2Hit", "1", "two-level L2 hit", "1.0"});
        workloads.add(new String[] {"TwoLevelBenchmark", "MissLoad", "1", "two-level miss + load", "1.0"});
        for (String[] w : workloads) {
            int threads = Integer.parseInt(w[2]);
            double target = Double.parseDouble(w[4]);
            Optional<Row> ours = find(w[0], w[1], threads, "netrun");
            if (ours.isEmpty()) {
                continue;
            }
            for (String peer : new String[] {"redisson", "spring", "jetcache"}) {
                find(w[0], w[1], threads, peer).ifPresent(p -> {
                    Ratio r = Ratio.of(ours.get().measure(), p.measure());
                    boolean met = r.meets(target);
                    line("| " + w[3] + " | " + peer + " | " + r.format() + " | " + target + "× | " + verdict(met, r, target) + " |");
                    targets.add(new Target("≥ " + target + "× " + peer + " on " + w[3], met,
                            r.format() + (r.uncertainAt(target) ? " (within error)" : "")));
                });
            }
        }
        line("");
    }

    /** {@code @Cacheable} through the netrun Spring adapter, against direct use and Spring's own cache managers. */
    private void springCache() {
        if (rows.stream().noneMatch(r -> r.group().equals("SpringCacheBenchmark"))) {
            return;
        }
        line("## Spring: `@Cacheable` through the netrun adapter");
        line("");
        line("One thread, 10,000 keys, 100-character values, each call through Spring's caching proxy "
                + "(`SpringCacheBenchmark`). hit: every key cached in memory; **netrun-direct** is `Cache.get` on the "
                + "netrun memory cache under the adapter, without Spring. miss + load: every key new, the method "
                + "returns at once. Redis hit: every key in Redis only (netrun backend `redis`; Spring Data "
                + "`RedisCacheManager` with a String serializer).");
        line("");
        line("| workload | contender | ops/s | B/op |");
        line("|---|---|---:|---:|");
        String[][] plan = {{"hit", "hit"}, {"missLoad", "miss + load"}, {"redisHit", "Redis hit"}};
        for (String[] w : plan) {
            for (Row r : rows) {
                if (r.group().equals("SpringCacheBenchmark") && r.op().equals(w[0])) {
                    line("| " + w[1] + " | " + r.contender() + " | " + ops(r) + " | " + bytes(r.bytesPerOp()) + " |");
                }
            }
        }
        line("");
        Optional<Row> adapter = find("SpringCacheBenchmark", "hit", 1, "netrun-adapter");
        Optional<Row> direct = find("SpringCacheBenchmark", "hit", 1, "netrun-direct");
        if (adapter.isPresent() && direct.isPresent()) {
            Ratio cost = Ratio.of(direct.get().measure(), adapter.get().measure());
            boolean met = cost.value() <= 1.2;
            line("Cost of `@Cacheable` through the adapter on a hit: " + cost.format() + " the time of a direct "
                    + "`get` (target ≤ 1.2×): " + (met ? "met" : "missed") + ".");
            line("");
            targets.add(new Target("@Cacheable adapter hit ≤ 1.2× direct get", met, cost.format()));
        }
    }

    private void stampede() throws IOException {
        Path file = results.resolve("stampede.json");
        if (!Files.exists(file)) {
            return;
        }
        JsonNode stampede = Json.MAPPER.readTree(file.toFile());
        line("## Stampede: 1,000 concurrent getOrLoad on one cold key");
        line("");
        line("1,000 platform threads released at once; the loader sleeps " + stampede.path(0).path("loadMillis").asText()
                + " ms. Redis commands are the `INFO commandstats` delta (administrative `INFO`/`CONFIG` removed). "
                + "Latency is each caller's own, from its call to its return (HdrHistogram).");
        line("");
        line("| backend | loader calls | Redis commands | p50 | p99 | max | wrong values / failures |");
        line("|---|---:|---|---:|---:|---:|---:|");
        for (JsonNode r : stampede) {
            line("| " + r.path("backend").asText() + " | " + r.path("loaderCalls").asInt() + " | "
                    + r.path("redisCommandsTotal").asLong() + (r.path("redisCommandsTotal").asLong() == 0 ? "" : " ("
                            + commands(r.path("redisCommands")) + ")") + " | "
                    + millis(r.path("p50Micros").asLong()) + " | " + millis(r.path("p99Micros").asLong()) + " | "
                    + millis(r.path("maxMicros").asLong()) + " | " + r.path("wrongValues").asInt() + " / "
                    + r.path("failures").asInt() + " |");
            if (r.path("backend").asText().equals("redis") && r.path("redisCommands").path("get").asLong() > 2) {
                findings.add("Stampede on RedisCache: " + r.path("redisCommands").path("get").asLong() + " GETs for "
                        + r.path("callers").asInt() + " callers: every caller reads Redis before it joins the "
                        + "single flight; callers that find a load of the key in flight could wait for it without a read.");
            }
            if (!r.path("backend").asText().equals("caffeine")) {
                targets.add(new Target("Single flight (" + r.path("backend").asText() + "): 1 loader call for 1,000 callers",
                        r.path("loaderCalls").asInt() == 1 && r.path("wrongValues").asInt() == 0
                                && r.path("failures").asInt() == 0,
                        r.path("loaderCalls").asInt() + " loader call(s), " + r.path("redisCommandsTotal").asLong()
                                + " Redis commands"));
            }
        }
        line("");
    }

    private void hitRate() throws IOException {
        Path file = results.resolve("hitrate.json");
        if (!Files.exists(file)) {
            return;
        }
        JsonNode hitRates = Json.MAPPER.readTree(file.toFile());
        line("## Hit rate: synthetic traces");
        line("");
        line("1,000,000 accesses per trace (mean of " + HitRateSimulator.RUNS + " replays, " + HitRateSimulator.NOISY_RUNS
                + " for every policy where one policy's first " + HitRateSimulator.RUNS + " spread over more than "
                + HitRateSimulator.NOISY_SPREAD_PERCENT + " points), "
                + "read-through (a miss writes the key), cold start included. "
                + "`zipf`: Zipf(0.99) over 100,000 keys. `zipf+scan`: the same, in runs of 20,000 accesses each "
                + "followed by a scan of 10,000 never-seen keys. `loop`: keys 0…12,499 cyclically, larger than every size. "
                + "**caffeine** is configured like MemoryCache's TinyLFU store (maintenance on the caller, per-entry "
                + "expiry that never fires here); **caffeine, no expiry** is Caffeine's simulator setting, for reference: "
                + "per-entry expiry alone changes Caffeine's hit rate on some traces.");
        line("");
        line("| trace | size | memory_tinylfu | memory_lru | caffeine | caffeine, no expiry | TINY_LFU − caffeine "
                + "| spread of replays (TINY_LFU / caffeine) |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|");
        Map<String, Map<String, Double>> byRow = new LinkedHashMap<>();
        Map<String, Map<String, Double>> spreads = new LinkedHashMap<>();
        for (JsonNode r : hitRates) {
            String cell = r.path("trace").asText() + "|" + r.path("size").asInt();
            byRow.computeIfAbsent(cell, k -> new LinkedHashMap<>())
                    .put(r.path("policy").asText(), r.path("hitRatePercent").asDouble());
            if (r.has("maxPercent")) {
                spreads.computeIfAbsent(cell, k -> new LinkedHashMap<>()).put(r.path("policy").asText(),
                        r.path("maxPercent").asDouble() - r.path("minPercent").asDouble());
            }
        }
        String worstCell = "";
        List<String> categories = new ArrayList<>();
        Map<String, List<Double>> values = new LinkedHashMap<>();
        Map<String, List<Double>> errors = new LinkedHashMap<>();
        boolean scanOk = true;
        boolean closeOk = true;
        double worstGap = 0;
        double worstScan = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, Map<String, Double>> e : byRow.entrySet()) {
            String[] key = e.getKey().split("\\|");
            Map<String, Double> p = e.getValue();
            double tiny = p.getOrDefault("memory_tinylfu", Double.NaN);
            double lru = p.getOrDefault("memory_lru", Double.NaN);
            double caffeine = p.getOrDefault("caffeine", Double.NaN);
            Map<String, Double> spread = spreads.getOrDefault(e.getKey(), Map.of());
            line(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %+.2f | %s |", key[0],
                    Integer.parseInt(key[1]), percent(tiny), percent(lru), percent(caffeine),
                    percent(p.getOrDefault("caffeine_noexpiry", Double.NaN)), tiny - caffeine, spread.isEmpty() ? "–"
                            : String.format(Locale.ROOT, "%.2f / %.2f", spread.getOrDefault("memory_tinylfu", Double.NaN),
                                    spread.getOrDefault("caffeine", Double.NaN))));
            categories.add(key[0] + " " + key[1]);
            for (String policy : new String[] {"memory_tinylfu", "memory_lru", "caffeine"}) {
                values.computeIfAbsent(policy, k -> new ArrayList<>()).add(p.getOrDefault(policy, 0.0));
                errors.computeIfAbsent(policy, k -> new ArrayList<>()).add(0.0);
            }
            if (key[0].equals("zipf+scan")) {
                scanOk &= tiny >= lru;
                worstScan = Math.min(worstScan, tiny - lru);
            }
            closeOk &= Math.abs(tiny - caffeine) <= 0.5;
            if (Math.abs(tiny - caffeine) > worstGap) {
                worstGap = Math.abs(tiny - caffeine);
                worstCell = String.format(Locale.ROOT, " (%s, %,d)%s", key[0], Integer.parseInt(key[1]),
                        spread.isEmpty() ? "" : String.format(Locale.ROOT,
                                "; there the replays of one policy spread over %.2f (TINY_LFU) and %.2f (caffeine) points",
                                spread.getOrDefault("memory_tinylfu", Double.NaN), spread.getOrDefault("caffeine", Double.NaN)));
            }
        }
        line("");
        chart("bench-hitrate.png", "Hit rate (%) by trace and cache size", categories, values, null);
        line("![Hit rates](bench-hitrate.png)");
        line("");
        targets.add(new Target("TINY_LFU hit rate ≥ LRU on the scan trace (every size)", scanOk,
                String.format(Locale.ROOT, "smallest margin %+.2f points", worstScan)));
        targets.add(new Target("TINY_LFU hit rate within 0.5 points of raw Caffeine (every trace and size)", closeOk,
                String.format(Locale.ROOT, "largest gap %.2f points%s", worstGap, worstCell)));
    }

    private void roundTrips() throws IOException {
        Path file = results.resolve("roundtrips.json");
        if (!Files.exists(file)) {
            return;
        }
        line("## Round trips");
        line("");
        line("Redis commands counted by the server (`INFO commandstats`) around one operation. For targets, "
                + "*expected* is what issue 6 requires; for the other rows it is the fewest commands the operation "
                + "could take, so a gap shows round trips the library could save.");
        line("");
        line("| operation | expected / fewest | observed | verdict |");
        line("|---|---|---|---|");
        for (JsonNode r : Json.MAPPER.readTree(file.toFile())) {
            boolean passed = r.path("passed").asBoolean();
            boolean target = r.path("target").asBoolean(true);
            String verdict = target ? (passed ? "met" : "**missed**") : (passed ? "at the minimum" : "above the minimum");
            line("| " + r.path("check").asText() + " | " + commands(r.path("expected")) + " | " + commands(r.path("observed"))
                    + " | " + verdict + " |");
            String name = r.path("check").asText();
            if (target && name.startsWith("RedisCache.getMany")) {
                targets.add(new Target("getMany(100) is exactly one round trip (one MGET)", passed, commands(r.path("observed"))));
            } else if (target && name.contains("L1 hits")) {
                targets.add(new Target("CacheManager L1 hits send no Redis traffic", passed, commands(r.path("observed"))));
            } else if (!target && !passed) {
                findings.add("`" + name + "` sends " + commands(r.path("observed")) + " where "
                        + commands(r.path("expected")) + " would do.");
            }
        }
        line("");
    }

    /** Derives the findings that follow from the in-process, async and two-level results. */
    private void analysis() {
        find("MemoryBenchmark", "get", 1, "memory_lru").filter(r -> r.bytesPerOp() >= 8).ifPresent(r -> findings.add(
                "MemoryCache LRU allocates " + bytes(r.bytesPerOp()) + " B per hit: the store moves an entry to the "
                        + "recent end by removing and re-inserting it, which allocates a new map entry each time."));
        find("L1HitBenchmark", "get", 1, "netrun").filter(r -> r.bytesPerOp() >= 8).ifPresent(r -> findings.add(
                "CacheManager allocates " + bytes(r.bytesPerOp()) + " B per L1 hit (raw Caffeine: "
                        + find("L1HitBenchmark", "get", 1, "caffeine").map(c -> bytes(c.bytesPerOp())).orElse("?")
                        + "): the L1 value is wrapped in a holder for its remaining TTL, which an L1 hit never needs."));
        Optional<Row> manual = find("RedisAsyncBenchmark", "get100", 1, "lettuce_manual_flush");
        Optional<Row> consolidated = find("RedisAsyncBenchmark", "get100", 1, "lettuce_flush_consolidation");
        Optional<Row> ours = find("RedisAsyncBenchmark", "get100", 1, "netrun");
        if (manual.isPresent() && consolidated.isPresent() && ours.isPresent()) {
            Ratio vsManual = Ratio.of(ours.get().measure(), manual.get().measure());
            findings.add("Async reads: netrun reaches " + vsManual.format() + " of raw Lettuce with manual flush "
                    + "and raw Lettuce behind Netty's FlushConsolidationHandler " + Ratio.of(consolidated.get().measure(),
                    manual.get().measure()).format() + "; netrun's own connection has that handler, so "
                    + "commands written in one event-loop turn share a flush without its callers flushing.");
        }
        find("TwoLevelBenchmark", "L2Hit", 1, "netrun").ifPresent(n -> find("TwoLevelBenchmark", "L2Hit", 1, "lettuce")
                .ifPresent(l -> findings.add("L2 hit: " + bytes(n.bytesPerOp()) + " B/op against " + bytes(l.bytesPerOp())
                        + " for a raw GET: the read sends GET and PTTL (the remaining TTL bounds the L1 copy), "
                        + "decodes the JSON value and fills L1.")));
        boolean noisy = rows.stream().anyMatch(r -> r.error() > 0.3 * r.score());
        if (noisy) {
            long wide = rows.stream().filter(r -> r.error() > 0.3 * r.score()).count();
            findings.add(wide + " of " + rows.size() + " scores have an error above 30 % of the score: on this "
                    + "machine consecutive iterations of the same benchmark can differ by up to 2×, so "
                    + "verdicts marked *(within error)* can flip from one run to the next.");
        }
    }

    private void targetSummary() {
        analysis();
        if (!findings.isEmpty()) {
            line("## What the numbers show");
            line("");
            for (String finding : findings) {
                line("- " + finding);
            }
            line("");
        }
        line("## Targets of issues 6 and 14");
        line("");
        long met = targets.stream().filter(Target::met).count();
        line(met + " of " + targets.size() + " met.");
        line("");
        line("| target | figure | verdict |");
        line("|---|---|---|");
        for (Target t : targets) {
            line("| " + t.name() + " | " + t.figure() + " | " + (t.met() ? "met" : "**missed**") + " |");
        }
        line("");
        String notes = run.getProperty("notes", "");
        if (!notes.isBlank()) {
            line("## Notes");
            line("");
            for (String note : notes.split("\\|\\|")) {
                line("- " + note.trim());
            }
            line("");
        }
    }

    // --- helpers --------------------------------------------------------------------------------

    void ratioTarget(String name, Optional<Row> ours, Optional<Row> raw, double target) {
        if (ours.isEmpty() || raw.isEmpty()) {
            targets.add(new Target(name, false, "not measured"));
            return;
        }
        Ratio r = Ratio.of(ours.get().measure(), raw.get().measure());
        targets.add(new Target(name, r.meets(target), r.format() + (r.uncertainAt(target) ? " (within error)" : "")));
    }

    private static String verdict(boolean met, Ratio r, double target) {
        return (met ? "met" : "**missed**") + (r.uncertainAt(target) ? " (within error)" : "");
    }

    List<Integer> threadCounts(String group) {
        return rows.stream().filter(r -> r.group().equals(group)).map(Row::threads).distinct().sorted().toList();
    }

    static double err(Optional<Ratio> ratio) {
        return ratio.map(r -> Double.isNaN(r.error()) ? 0.0 : r.error()).orElse(0.0);
    }

    static String ops(Row row) {
        return humanize(row.score()) + (Double.isNaN(row.error()) ? "" : " ± " + humanize(row.error()));
    }

    static String humanize(double value) {
        if (Double.isNaN(value)) {
            return "?";
        }
        double abs = Math.abs(value);
        if (abs >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M", value / 1e6);
        }
        if (abs >= 1e3) {
            return String.format(Locale.ROOT, "%.1f k", value / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", value);
    }

    private static String percent(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.2f %%", value);
    }

    static String bytes(double bytes) {
        return Double.isNaN(bytes) ? "–" : String.format(Locale.ROOT, "%.1f", bytes);
    }

    private static String millis(long micros) {
        return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
    }

    private static String commands(JsonNode map) {
        if (map.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        map.fields().forEachRemaining(e -> parts.add(e.getKey().toUpperCase(Locale.ROOT) + " × " + e.getValue().asLong()));
        return String.join(", ", parts);
    }

    void chart(String file, String title, List<String> categories, Map<String, List<Double>> values,
            Map<String, List<Double>> errors) throws IOException {
        values.values().removeIf(v -> v.size() != categories.size());
        if (values.isEmpty()) {
            return;
        }
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(480).title(title).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisLabelRotation(20);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setErrorBarsColorSeriesColor(false);
        for (Map.Entry<String, List<Double>> series : values.entrySet()) {
            List<Double> errorBars = errors == null ? null : errors.get(series.getKey());
            if (errorBars != null && errorBars.size() == categories.size()) {
                chart.addSeries(series.getKey(), categories, series.getValue(), errorBars);
            } else {
                chart.addSeries(series.getKey(), categories, series.getValue());
            }
        }
        BitmapEncoder.saveBitmapWithDPI(chart, docs.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG, 96);
    }

    void line(String text) {
        md.append(text).append('\n');
    }

    /** Returns whether any result matches; for tests. */
    boolean has(Predicate<Row> predicate) {
        return rows.stream().anyMatch(predicate);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
