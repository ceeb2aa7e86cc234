package com.netrunsystems.cache.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.redis.tooling.RedisTooling;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netrun-cache watch}: a live view of a namespace's invalidation channel: each message as it arrives
 * (time, sender, keys), the rate per second, and at the end a summary per sender. Runs until Ctrl-C, or for
 * {@code --duration}. Messages arrive on a Redis thread and are printed by the command's own thread.
 *
 * <p>Not thread-safe: picocli builds one instance per invocation.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {
            "Shows the invalidations of a namespace live (channel netrun-cache:invalidate:<namespace>): which keys, "
                    + "from which sender, and the rate per second, until Ctrl-C or --duration.",
            "",
            "Text: one line a message, '<time>  <sender>  <n> keys: <keys>' or '<time>  <sender>  ALL (clear)'; "
                    + "on a terminal a rate line on standard error; a summary per sender at the end.",
            "--json: one JSON object a line (NDJSON): {\"time\", \"sender\", \"all\", \"keys\"} per message, then "
                    + "{\"summary\": {\"channel\", \"seconds\", \"messages\", \"keys\", \"messagesPerSecond\", "
                    + "\"keysPerSecond\", \"senders\": {sender: messages}}}."
        })
final class WatchCommand extends RedisCommand {

    /** Keys a text line shows of one message before '+N more'. */
    static final int KEYS_SHOWN = 8;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);

    @Option(names = "--duration", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "Stop after this long, such as 30s (default: until Ctrl-C).")
    private Duration duration;

    private final Clock clock = Clock.systemDefaultZone();

    WatchCommand() {
        this(Environment.system());
    }

    WatchCommand(Environment environment) {
        super(environment);
    }

    @Override
    void validate() {
        if (duration != null && (duration.isZero() || duration.isNegative())) {
            throw usage("--duration must be positive, was " + duration);
        }
    }

    @Override
    int run(RedisTooling redis, CacheConfig config, PrintWriter out, PrintWriter err) {
        String channel = ClearCommand.invalidationChannel(config.namespace());
        BlockingQueue<InvalidationEvent> events = new LinkedBlockingQueue<>();
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            interrupted.countDown();
            awaitQuietly(finished);
        }, "netrun-cache-watch-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Summary summary = new Summary(channel);
        try (RedisTooling.Subscription ignored = redis.subscribe(channel,
                payload -> events.add(InvalidationEvent.decode(clock.instant(), payload)))) {
            if (!json) {
                err.printf("watching %s on %s%s; Ctrl-C to stop%n", channel, redis.endpoint(),
                        duration == null ? "" : " for " + duration.toMillis() / 1000.0 + " s");
                err.flush();
            }
            long start = System.nanoTime();
            long end = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
            long nextRate = start + TimeUnit.SECONDS.toNanos(1);
            long secondMessages = 0;
            long secondKeys = 0;
            while (interrupted.getCount() > 0 && System.nanoTime() - end < 0) {
                long wait = Math.min(Math.min(end, nextRate) - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(200));
                InvalidationEvent event = events.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
                if (event != null) {
                    summary.add(event);
                    secondMessages++;
                    secondKeys += event.keys().size();
                    print(out, event);
                }
                if (System.nanoTime() - nextRate >= 0) {
                    if (environment.interactive() && !json) {
                        err.printf(Locale.ROOT, "-- %d messages/s, %d keys/s (%,d messages in all)%n", secondMessages,
                                secondKeys, summary.messages);
                        err.flush();
                    }
                    secondMessages = 0;
                    secondKeys = 0;
                    nextRate += TimeUnit.SECONDS.toNanos(1);
                }
            }
            for (InvalidationEvent event; (event = events.poll()) != null; ) {
                summary.add(event);
                print(out, event);
            }
            summary.seconds = (System.nanoTime() - start) / 1e9;
            printSummary(out, summary);
            return NetrunCacheCli.EXIT_OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NetrunCacheCli.EXIT_FAILED;
        } finally {
            out.flush();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook runs and waits for the summary printed above
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void print(PrintWriter out, InvalidationEvent event) {
        if (json) {
            out.println(event.toJson().toString());
        } else {
            String time = LocalTime.ofInstant(event.received(), ZoneId.systemDefault()).format(TIME);
            if (!event.readable()) {
                out.printf(Locale.ROOT, "%s  unreadable message (%d bytes)%n", time, event.size());
            } else if (event.all()) {
                out.printf(Locale.ROOT, "%s  %s  ALL (clear)%n", time, event.sender());
            } else {
                int n = event.keys().size();
                String shown = String.join(" ", event.keys().subList(0, Math.min(n, KEYS_SHOWN)));
                out.printf(Locale.ROOT, "%s  %s  %d %s: %s%s%n", time, event.sender(), n, n == 1 ? "key" : "keys",
                        shown, n > KEYS_SHOWN ? " +" + (n - KEYS_SHOWN) + " more" : "");
            }
        }
        out.flush();
    }

    private void printSummary(PrintWriter out, Summary summary) {
        double seconds = Math.max(summary.seconds, 1e-9);
        if (json) {
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            ObjectNode node = root.putObject("summary");
            node.put("channel", summary.channel);
            node.put("seconds", Math.round(summary.seconds * 1000) / 1000.0);
            node.put("messages", summary.messages);
            node.put("keys", summary.keys);
            node.put("messagesPerSecond", Math.round(summary.messages / seconds * 100) / 100.0);
            node.put("keysPerSecond", Math.round(summary.keys / seconds * 100) / 100.0);
            ObjectNode senders = node.putObject("senders");
            summary.senders.forEach(senders::put);
            out.println(root.toString());
            return;
        }
        out.printf(Locale.ROOT, "%nwatched %s for %.1f s: %,d messages, %,d keys (%.2f messages/s, %.2f keys/s)%n",
                summary.channel, summary.seconds, summary.messages, summary.keys, summary.messages / seconds,
                summary.keys / seconds);
        summary.senders.forEach((sender, n) -> out.printf(Locale.ROOT, "  %s  %,d messages%n", sender, n));
    }

    /** Totals of one watch. */
    private static final class Summary {
        final String channel;
        final Map<String, Long> senders = new TreeMap<>();
        long messages;
        long keys;
        double seconds;

        Summary(String channel) {
            this.channel = channel;
        }

        void add(InvalidationEvent event) {
            messages++;
            keys += event.keys().size();
            senders.merge(event.readable() ? event.sender() : "(unreadable)", 1L, Long::sum);
        }
    }
}
