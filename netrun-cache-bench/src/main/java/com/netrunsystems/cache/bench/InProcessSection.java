package com.netrunsystems.cache.bench;

import com.netrunsystems.cache.bench.BenchReport.Row;
import com.netrunsystems.cache.bench.BenchReport.Target;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The in-process sections of {@code docs/benchmarks.md} ({@link MemoryBenchmark}, {@link L1HitBenchmark}):
 * every row beside both Caffeine baselines and the harness's own cost ({@code noop}), and the targets of
 * issue 14 on them. Not thread-safe; used once by {@link BenchReport}.
 */
final class InProcessSection {

    static final String BOUNDED = "caffeine";
    static final String FEATURES = "caffeine_features";
    static final String NOOP = "noop";

    private final BenchReport report;

    InProcessSection(BenchReport report) {
        this.report = report;
    }

    /** The table header shared by the in-process tables. */
    static final String HEADER = "| operation | threads | contender | ops/s | time/op per thread | vs caffeine (bounded) "
            + "| vs caffeine_features | harness share | B/op |";
    static final String RULE = "|---|---:|---|---:|---:|---:|---:|---:|---:|";

    /** Writes one table row for {@code row}, or nothing when it is absent. */
    static String row(List<Row> rows, Row r) {
        Optional<Row> bounded = find(rows, r.group(), r.op(), r.threads(), BOUNDED);
        Optional<Row> features = find(rows, r.group(), r.op(), r.threads(), FEATURES);
        Optional<Row> noop = find(rows, r.group(), r.op(), r.threads(), NOOP);
        return "| " + r.op() + " | " + r.threads() + " | " + r.contender() + " | " + BenchReport.ops(r) + " | "
                + nanos(r) + " | " + bounded.map(b -> Ratio.of(r.measure(), b.measure()).format()).orElse("–") + " | "
                + features.map(b -> Ratio.of(r.measure(), b.measure()).format()).orElse("–") + " | "
                + noop.map(n -> percent(r.score() / n.score())).orElse("–") + " | " + BenchReport.bytes(r.bytesPerOp()) + " |";
    }

    /** Time per operation as one thread sees it: threads / throughput. */
    static String nanos(Row r) {
        return time(r.threads() * 1e9 / r.score());
    }

    /** Formats a duration in nanoseconds as ns, µs or ms. */
    static String time(double nanos) {
        if (nanos >= 1e6) {
            return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        }
        if (nanos >= 1e3) {
            return String.format(Locale.ROOT, "%.2f µs", nanos / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f ns", nanos);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f %%", 100 * share);
    }

    static Optional<Row> find(List<Row> rows, String group, String op, int threads, String contender) {
        return rows.stream().filter(r -> r.group().equals(group) && r.op().equals(op) && r.threads() == threads
                && r.contender().equals(contender)).findFirst();
    }

    static final String EXPLAIN = "**caffeine** is raw Caffeine bounded only (`maximumSize`); **caffeine_features** is "
            + "raw Caffeine with what a netrun user gets (`maximumSize` + `expireAfterWrite` + `recordStats()`); "
            + "**noop** answers every read with its key and drops every write, so its time is the harness's own "
            + "(an array load, an index increment, the call and JMH's blackhole). *harness share* is the part of a "
            + "contender's time that is harness: noop's time per operation divided by the contender's. *time/op per thread* is "
            + "threads / throughput. The harness follows Caffeine's `GetPutBenchmark`: "
            + String.format(Locale.ROOT, "%,d", HitTrace.KEYS) + " keys, a precomputed Zipf(0.99) scrambled trace of "
            + String.format(Locale.ROOT, "%,d", HitTrace.SIZE) + " key references walked with a power-of-two mask "
            + "from a per-thread index, nothing allocated per operation, every cache bounded at "
            + String.format(Locale.ROOT, "%,d", HitTrace.CACHE_SIZE) + " entries, so it holds the key set whole and "
            + "every read hits.";

    void memory() throws IOException {
        String group = "MemoryBenchmark";
        report.line("## In-process: MemoryCache vs raw Caffeine (two baselines) and the harness");
        report.line("");
        report.line(EXPLAIN + " `put` overwrites present keys; `mix95` writes at 5 % of the steps. B/op is `-prof gc` "
                + "`gc.alloc.rate.norm`.");
        report.line("");
        harnessCost(group);
        report.line(HEADER);
        report.line(RULE);
        String[] contenders = {NOOP, BOUNDED, FEATURES, "memory_tinylfu", "memory_lru", "caffeine_var", "chm"};
        Map<String, List<Double>> values = new LinkedHashMap<>();
        Map<String, List<Double>> errors = new LinkedHashMap<>();
        List<String> categories = new ArrayList<>();
        List<Row> rows = report.rows();
        for (String op : new String[] {"get", "put", "mix95"}) {
            for (int threads : report.threadCounts(group)) {
                Optional<Row> base = find(rows, group, op, threads, FEATURES);
                if (base.isPresent()) {
                    categories.add(op + " " + threads + "T");
                }
                for (String contender : contenders) {
                    Optional<Row> row = find(rows, group, op, threads, contender);
                    row.ifPresent(r -> report.line(row(rows, r)));
                    if (base.isPresent() && (contender.startsWith("memory_") || contender.equals(BOUNDED))) {
                        Optional<Ratio> ratio = row.map(r -> Ratio.of(r.measure(), base.get().measure()));
                        values.computeIfAbsent(contender, c -> new ArrayList<>()).add(ratio.map(Ratio::value).orElse(0.0));
                        errors.computeIfAbsent(contender, c -> new ArrayList<>()).add(BenchReport.err(ratio));
                    }
                }
            }
        }
        report.line("");
        report.chart("bench-memory.png", "In-process throughput relative to raw Caffeine with the same features "
                + "(1.0 = caffeine_features)", categories, values, errors);
        report.line("![MemoryCache vs Caffeine](bench-memory.png)");
        report.line("");
        for (int threads : report.threadCounts(group)) {
            for (String op : new String[] {"get", "put", "mix95"}) {
                report.ratioTarget("MemoryCache (TINY_LFU) " + op + " ≥ 1.0× caffeine_features, " + threads + " thread(s)",
                        find(rows, group, op, threads, "memory_tinylfu"), find(rows, group, op, threads, FEATURES), 1.0);
            }
        }
        report.ratioTarget("MemoryCache (LRU) get ≥ 0.5× caffeine_features, 2 thread(s)",
                find(rows, group, "get", 2, "memory_lru"), find(rows, group, "get", 2, FEATURES), 0.5);
        zeroBytes(group, "memory_tinylfu", "MemoryCache (TINY_LFU)");
        zeroBytes(group, "memory_lru", "MemoryCache (LRU)");
    }

    void l1Hit() throws IOException {
        String group = "L1HitBenchmark";
        if (report.threadCounts(group).isEmpty()) {
            return;
        }
        report.line("## Two levels: L1 hit (CacheManager vs raw Caffeine, peers and the harness)");
        report.line("");
        report.line("**netrun** is `CacheManager.get` on a real redis-server started by the trial, its L1 filled with "
                + "every key before measuring (a hit sends nothing to Redis: the trial prints the server's commands "
                + "during warm-up and measurement); **redisson** `RLocalCachedMap` and **jetcache** `MultiLevelCache` "
                + "likewise. " + EXPLAIN);
        report.line("");
        harnessCost(group);
        report.line(HEADER);
        report.line(RULE);
        List<Row> rows = report.rows();
        for (int threads : report.threadCounts(group)) {
            for (String contender : new String[] {NOOP, BOUNDED, FEATURES, "netrun", "redisson", "jetcache"}) {
                find(rows, group, "get", threads, contender).ifPresent(r -> report.line(row(rows, r)));
            }
        }
        report.line("");
        for (int threads : report.threadCounts(group)) {
            report.ratioTarget("CacheManager L1 hit ≥ 1.0× caffeine_features, " + threads + " thread(s)",
                    find(rows, group, "get", threads, "netrun"), find(rows, group, "get", threads, FEATURES), 1.0);
        }
        zeroBytes(group, "netrun", "CacheManager (L1 hit)");
    }

    private void harnessCost(String group) {
        List<String> costs = new ArrayList<>();
        for (int threads : report.threadCounts(group)) {
            find(report.rows(), group, "get", threads, NOOP).ifPresent(n -> costs.add(nanos(n) + " per get at "
                    + threads + " thread(s) (" + BenchReport.ops(n) + " ops/s)"));
        }
        if (!costs.isEmpty()) {
            report.line("Harness cost (noop): " + String.join("; ", costs) + ".");
            report.line("");
        }
    }

    private void zeroBytes(String group, String contender, String name) {
        BenchReport.Row row = find(report.rows(), group, "get", 1, contender).orElse(null);
        if (row == null) {
            return;
        }
        // The median iteration: the last iteration of a fork can also count the trial's teardown.
        double bytes = BenchReport.medianIteration(row, "gc.alloc.rate.norm");
        report.targets().add(new Target(name + " 0 B/op on hits", !Double.isNaN(bytes) && bytes < 1.0,
                BenchReport.bytes(bytes) + " B/op, median iteration (mean " + BenchReport.bytes(row.bytesPerOp())
                        + "; under 1 B/op counts as none: the GC profiler's own noise)"));
    }
}
