package com.netrunsystems.cache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.testsupport.RedisServerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's "Operating it" samples are what the commands print today: each {@code console} block is run again
 * against a throwaway redis-server holding {@link TestKeyspace} (as {@code samples/capture.sh} writes it) and
 * compared with what the README shows, after masking what changes from run to run (TTLs, times, latencies, the
 * Redis version, the memory estimate, the order SCAN returns keys in). {@code watch} needs another client
 * publishing while it runs: its block is only checked to be there. When this fails, re-run
 * {@code bash netrun-cache-cli/samples/capture.sh} and paste its output into the README.
 */
class ReadmeSamplesIT {

    private static final Pattern BLOCK = Pattern.compile("```console\n\\$ netrun-cache ([^\n]*)\n(.*?)```",
            Pattern.DOTALL);

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    @Test
    void operatingItSamples_matchTheCommandsOutputToday() throws IOException {
        List<String[]> samples = samples();
        assertThat(samples).extracting(s -> s[0].split(" ")[0])
                .contains("keys", "get", "ttl", "stats", "clear", "doctor", "watch");
        CliRunner cli = CliRunner.create().environment(Map.of("NETRUN_CACHE_REDIS_URL", redis.server().uri()));
        for (String[] sample : samples) {
            if (sample[0].startsWith("watch")) {
                continue;
            }
            redis.server().flushAll();
            TestKeyspace.write(redis.server());
            CliRunner.Result result = cli.run(words(sample[0]));

            String printed = (result.out() + result.err()).replace(redis.server().uri(), "redis://127.0.0.1:6379");
            assertThat(mask(printed)).as("README sample '$ netrun-cache %s'", sample[0]).isEqualTo(mask(sample[1]));
        }
    }

    /** Returns each sample of the "Operating it" section: the arguments, and the output shown. */
    private static List<String[]> samples() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("\n## Operating it\n");
        assertThat(start).as("README section 'Operating it'").isPositive();
        int end = readme.indexOf("\n## ", start + 1);
        Matcher block = BLOCK.matcher(readme.substring(start, end < 0 ? readme.length() : end));
        List<String[]> samples = new ArrayList<>();
        while (block.find()) {
            samples.add(new String[] {block.group(1), block.group(2)});
        }
        return samples;
    }

    /** Splits a sample's arguments at spaces; single quotes (as capture.sh prints globs) are removed. */
    private static String[] words(String arguments) {
        List<String> words = new ArrayList<>();
        for (String word : arguments.split(" ")) {
            words.add(word.replaceAll("^'(.*)'$", "$1"));
        }
        return words.toArray(new String[0]);
    }

    private static String mask(String output) {
        String masked = output
                .replaceAll("[0-9,]+\\.[0-9]{3} s \\(expires at [0-9T:Z-]+\\)", "<ttl>")
                .replaceAll("Redis [0-9.]+", "Redis <version>")
                .replaceAll("~[0-9.]+ (B|KiB)", "~<bytes>")
                .replaceAll("[✔⚠] latency      p50 [0-9.]+ ms, p99 [0-9.]+ ms", "<latency>")
                .replaceAll("[+-][0-9]+ ms \\(server TIME minus this machine's clock, \\+- [0-9]+ ms\\)", "<skew>")
                .replaceAll("\nok \\([0-9]+ warnings?\\)\n", "\nok <warnings>\n");
        // A dry run lists keys in SCAN order, which changes with the server's hash seed: compare them sorted.
        List<String> lines = new ArrayList<>(output.isEmpty() ? List.of() : List.of(masked.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(0).startsWith("dry run:")) {
            List<String> keys = new ArrayList<>(lines.subList(1, lines.size()));
            keys.sort(null);
            lines = new ArrayList<>(List.of(lines.get(0)));
            lines.addAll(keys);
        }
        return String.join("\n", lines);
    }
}
