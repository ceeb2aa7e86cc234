package com.netrunsystems.cache.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.netrunsystems.cache.bench.BenchReport.Row;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.openjdk.jmh.util.ListStatistics;

/**
 * The hit-path subset of the suite that issue 10 must not regress (MemoryCache get, CacheManager L1 hit,
 * RedisCache sync get), run by {@code netrun-cache-bench/hitpath.sh LABEL} with fixed settings so that two
 * runs (e.g. {@code before-issue-10} and {@code after-issue-10}) compare. Each run is kept as a small JSON
 * summary in {@code docs/bench-hitpath/LABEL.json}; the section of {@code docs/benchmarks.md} between
 * {@link #BEGIN} and {@link #END} is rendered from every summary there, with each later run divided by the
 * {@link #BASELINE} run. {@link BenchReport} keeps that section when it regenerates the page.
 * Usage: {@code HitPathReport <results dir> <label> <docs dir>}, or {@code HitPathReport --render <docs dir>} to
 * rewrite the section from the summaries alone. Not thread-safe.
 */
final class HitPathReport {

    static final String BEGIN = "<!-- hit-path:begin (written by netrun-cache-bench/hitpath.sh) -->";
    static final String END = "<!-- hit-path:end -->";
    static final String BASELINE = "before-issue-10";

    /** The rows of the subset: group, contender, the baseline it is divided by, and a second baseline ("" for none). */
    static final String[][] PLAN = {
            {"MemoryBenchmark", "noop", "", ""},
            {"MemoryBenchmark", "caffeine", "caffeine_features", ""},
            {"MemoryBenchmark", "caffeine_features", "", ""},
            {"MemoryBenchmark", "memory_tinylfu", "caffeine_features", "caffeine"},
            {"MemoryBenchmark", "memory_lru", "caffeine_features", "caffeine"},
            {"L1HitBenchmark", "noop", "", ""},
            {"L1HitBenchmark", "caffeine", "caffeine_features", ""},
            {"L1HitBenchmark", "caffeine_features", "", ""},
            {"L1HitBenchmark", "netrun", "caffeine_features", "caffeine"},
            {"RedisBenchmark", "lettuce", "", ""},
            {"RedisBenchmark", "netrun", "lettuce", ""}};

    private HitPathReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("--render")) {
            rewrite(Path.of(args[1]));
            return;
        }
        if (args.length != 3) {
            System.err.println("usage: HitPathReport <results dir> <label> <docs dir> | HitPathReport --render <docs dir>");
            System.exit(2);
        }
        Path results = Path.of(args[0]);
        Path docs = Path.of(args[2]);
        Json.write(docs.resolve("bench-hitpath").resolve(args[1] + ".json"), summary(results, args[1]));
        rewrite(docs);
    }

    /** Rewrites the hit-path section of {@code docs/benchmarks.md} from the summaries in {@code docs/bench-hitpath}. */
    static void rewrite(Path docs) throws IOException {
        Path page = docs.resolve("benchmarks.md");
        String old = Files.exists(page) ? Files.readString(page, StandardCharsets.UTF_8) : "";
        Files.writeString(page, replaceSection(old, render(docs.resolve("bench-hitpath"))), StandardCharsets.UTF_8);
        System.out.println("wrote the hit-path section of " + page);
    }

    /** Returns a summary of the JMH results in {@code results}: run properties and one entry per result. */
    static Map<String, Object> summary(Path results, String label) throws IOException {
        Properties run = new Properties();
        Path properties = results.resolve("run.properties");
        if (Files.exists(properties)) {
            try (var reader = Files.newBufferedReader(properties, StandardCharsets.UTF_8)) {
                run.load(reader);
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("label", label);
        for (String name : run.stringPropertyNames().stream().sorted().toList()) {
            summary.put(name, run.getProperty(name));
        }
        // The same benchmark may come from several rounds (files): pool their iterations, as JMH pools forks.
        Map<String, List<JsonNode>> byBenchmark = new LinkedHashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(results, "jmh-*.json")) {
            List<Path> sorted = new ArrayList<>();
            files.forEach(sorted::add);
            sorted.sort(null);
            for (Path file : sorted) {
                for (JsonNode result : Json.MAPPER.readTree(file.toFile())) {
                    Row r = BenchReport.row(result);
                    byBenchmark.computeIfAbsent(r.group() + "|" + r.op() + "|" + r.threads() + "|" + r.contender(),
                            k -> new ArrayList<>()).add(result);
                }
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (List<JsonNode> pool : byBenchmark.values()) {
            rows.add(pooled(pool));
        }
        summary.put("rows", rows);
        return summary;
    }

    /**
     * Returns one summary row for the results of one benchmark from one or more rounds: the mean of every
     * measured iteration of every fork, JMH's 99.9 % error of that mean, and the mean B/op.
     */
    static Map<String, Object> pooled(List<JsonNode> results) {
        Row first = BenchReport.row(results.get(0));
        ListStatistics score = new ListStatistics();
        ListStatistics bytes = new ListStatistics();
        int forks = 0;
        for (JsonNode result : results) {
            forks += result.path("forks").asInt();
            result.path("primaryMetric").path("rawData").forEach(fork -> fork.forEach(i -> score.addValue(i.asDouble())));
            result.path("secondaryMetrics").path("gc.alloc.rate.norm").path("rawData")
                    .forEach(fork -> fork.forEach(i -> bytes.addValue(i.asDouble())));
        }
        JsonNode settings = results.get(0);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("group", first.group());
        row.put("op", first.op());
        row.put("threads", first.threads());
        row.put("contender", first.contender());
        row.put("score", score.getN() == 0 ? first.score() : score.getMean());
        double error = score.getN() > 1 ? score.getMeanErrorAt(0.999) : first.error();
        row.put("error", Double.isNaN(error) ? null : error);
        row.put("bytesPerOp", bytes.getN() > 0 ? bytes.getMean() : Double.isNaN(first.bytesPerOp()) ? null : first.bytesPerOp());
        row.put("settings", forks + " forks in " + results.size() + " round(s) × " + settings.path("warmupIterations").asInt()
                + " × " + settings.path("warmupTime").asText() + " warm-up + " + settings.path("measurementIterations").asInt()
                + " × " + settings.path("measurementTime").asText());
        return row;
    }

    /** Returns the hit-path section of {@code page} with its markers, or "" when it has none. */
    static String section(String page) {
        int begin = page.indexOf(BEGIN);
        int end = page.indexOf(END);
        return begin < 0 || end < begin ? "" : page.substring(begin, end + END.length());
    }

    /** Returns {@code page} with its hit-path section replaced by {@code section}, or with it appended. */
    static String replaceSection(String page, String section) {
        String old = section(page);
        if (old.isEmpty()) {
            return page + (page.isEmpty() || page.endsWith("\n") ? "" : "\n") + section + "\n";
        }
        return page.replace(old, section);
    }

    /** Renders the section from every summary in {@code dir}, the {@link #BASELINE} run first. */
    static String render(Path dir) throws IOException {
        List<JsonNode> runs = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
                for (Path file : files) {
                    runs.add(Json.MAPPER.readTree(file.toFile()));
                }
            }
        }
        runs.sort((a, b) -> a.path("label").asText().equals(BASELINE) ? -1 : b.path("label").asText().equals(BASELINE)
                ? 1 : a.path("date").asText().compareTo(b.path("date").asText()));
        StringBuilder md = new StringBuilder(BEGIN).append('\n');
        md.append("## Hit paths before and after issue 10\n\n");
        md.append("The three hit paths issue 10 must not regress (MemoryCache get, CacheManager L1 hit, RedisCache sync "
                + "get), with the lean harness of `MemoryBenchmark` and `L1HitBenchmark` (issue 14: precomputed Zipf key trace, "
                + "both Caffeine baselines, `noop` = the harness's own cost) and `RedisBenchmark`, at the settings of "
                + "`netrun-cache-bench/hitpath.sh`, one table per run; the tables above this section come from the last "
                + "full `run.sh` (see the date at the top), which may predate this harness. "
                + "Rerun with `netrun-cache-bench/hitpath.sh LABEL` (e.g. `after-issue-10`): it adds `docs/bench-hitpath/"
                + "LABEL.json` and rewrites this section, dividing each run by `" + BASELINE + "`. Compare the *vs* columns "
                + "(contender and baseline from the same run) rather than raw ops/s, which drift with the machine's load.\n\n");
        JsonNode baseline = runs.isEmpty() || !runs.get(0).path("label").asText().equals(BASELINE) ? null : runs.get(0);
        for (JsonNode run : runs) {
            md.append("### ").append(run.path("label").asText()).append("\n\n");
            md.append(run.path("date").asText("?")).append(", commit `").append(run.path("commit").asText("?"))
                    .append("`, 1-minute load ").append(run.path("loadBefore").asText("?")).append(" before, ")
                    .append(run.path("loadAfter").asText("?")).append(" after. ").append(run.path("note").asText(""))
                    .append("\n\nCommand: `").append(run.path("command").asText("?")).append("`\n\n");
            md.append("| benchmark | threads | contender | ops/s | time/op per thread | vs | vs | B/op |")
                    .append(baseline != null && run != baseline ? " vs, " + BASELINE + " | this / " + BASELINE + " |" : "")
                    .append('\n');
            md.append("|---|---:|---|---:|---:|---:|---:|---:|").append(baseline != null && run != baseline ? "---:|---:|" : "")
                    .append('\n');
            for (int threads : new int[] {1, 2}) {
                for (String[] plan : PLAN) {
                    find(run, plan[0], threads, plan[1]).ifPresent(r -> {
                        md.append("| ").append(plan[0]).append(".get | ").append(threads).append(" | ").append(plan[1])
                                .append(" | ").append(scoreText(r)).append(" | ")
                                .append(InProcessSection.time(threads * 1e9 / r.path("score").asDouble()))
                                .append(" | ").append(versus(run, r, plan[0], plan[2], threads)).append(" | ")
                                .append(versus(run, r, plan[0], plan[3], threads)).append(" | ")
                                .append(BenchReport.bytes(r.path("bytesPerOp").asDouble(Double.NaN))).append(" |");
                        if (baseline != null && run != baseline) {
                            Optional<JsonNode> before = find(baseline, plan[0], threads, plan[1]);
                            md.append(' ').append(versus(baseline, before.orElse(null), plan[0], plan[2], threads)).append(" | ")
                                    .append(before.map(b -> Ratio.of(measure(r), measure(b)).format()).orElse("–"))
                                    .append(" |");
                        }
                        md.append('\n');
                    });
                }
            }
            md.append('\n');
        }
        return md.append(END).toString();
    }

    private static String versus(JsonNode run, JsonNode row, String group, String base, int threads) {
        if (row == null || base.isEmpty()) {
            return "–";
        }
        return find(run, group, threads, base).map(b -> Ratio.of(measure(row), measure(b)).format() + " " + base)
                .orElse("–");
    }

    private static String scoreText(JsonNode row) {
        double error = row.path("error").asDouble(Double.NaN);
        return BenchReport.humanize(row.path("score").asDouble()) + (Double.isNaN(error) ? "" : " ± " + BenchReport.humanize(error));
    }

    private static Ratio.Measure measure(JsonNode row) {
        return new Ratio.Measure(row.path("score").asDouble(), row.path("error").asDouble(Double.NaN));
    }

    private static Optional<JsonNode> find(JsonNode run, String group, int threads, String contender) {
        for (JsonNode row : run.path("rows")) {
            if (row.path("group").asText().equals(group) && row.path("op").asText().equals("get")
                    && row.path("threads").asInt() == threads && row.path("contender").asText().equals(contender)) {
                return Optional.of(row);
            }
        }
        return Optional.empty();
    }
}
