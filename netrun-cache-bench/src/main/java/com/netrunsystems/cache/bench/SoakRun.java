package com.netrunsystems.cache.bench;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.redis.RedisCache;
import com.netrunsystems.cache.testsupport.RedisServer;
import com.netrunsystems.cache.testsupport.RedisServerOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The reliability soak: mixed load (get, set, getOrLoad, getMany, increment and the async view) on a
 * {@link RedisCache} and a {@link CacheManager} against a throwaway {@code redis-server}, with a
 * fault injected every {@code --fault-every} in rotation ({@link SoakFaults}), sampled every
 * {@code --sample-every}: heap after a GC, live threads, the server's client connections, calls,
 * errors counted by the caches, exceptions thrown by fail-open operations (must stay 0) and the
 * longest call. Writes a CSV, a plot and the figures in {@code docs/reliability.md} ({@link SoakReport}).
 * Not part of the build's tests: run it with {@code netrun-cache-bench/soak.sh}.
 *
 * <p>Usage: {@code SoakRun [--duration PT10M] [--fault-every PT30S] [--sample-every PT10S] [--threads 4]
 * [--out target/soak] [--docs docs] [--revision abc1234]}; {@code --from-csv soak.csv} (with the options of
 * that run) renders the report of an earlier run again without running.
 */
public final class SoakRun {

    static final Duration SOCKET_TIMEOUT = Duration.ofMillis(500);
    private static final int KEYS = 1_000;
    /** socketTimeout plus the stated margin (RedisLink): a call longer than this is printed. */
    private static final long OVER_BOUND_NANOS = SOCKET_TIMEOUT.plusMillis(80).toNanos();

    private final Options options;
    private final AtomicLong calls = new AtomicLong();
    /** Exceptions from operations that must fail open (everything but counters). */
    private final AtomicLong threw = new AtomicLong();
    /** {@link CacheUnavailableException} from counters, which have no safe default and may throw. */
    private final AtomicLong counterThrew = new AtomicLong();
    /** The longest call of the current sample window, and what it was. */
    private final AtomicReference<Slowest> slowest = new AtomicReference<>(Slowest.NONE);
    private volatile boolean running = true;

    private SoakRun(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        List<SoakReport.Sample> samples = options.fromCsv != null
                ? SoakReport.readCsv(options.fromCsv) // render the report of an earlier run again
                : new SoakRun(options).run();
        new SoakReport(options, samples).write();
    }

    private List<SoakReport.Sample> run() throws Exception {
        RedisServerOptions serverOptions = RedisServerOptions.builder().config("enable-debug-command yes").build();
        try (RedisServer server = RedisServer.start(serverOptions)) {
            CacheConfig config = CacheConfig.builder().namespace("soak").defaultTtl(Duration.ofMinutes(5))
                    .redisHost(server.host()).redisPort(server.port())
                    .socketTimeout(SOCKET_TIMEOUT).socketConnectTimeout(SOCKET_TIMEOUT).build();
            try (RedisCache<Object> redis = RedisCache.create(config);
                 CacheManager<Object> manager = CacheManager.create(config.toBuilder().namespace("soak-ml").build())) {
                List<Cache<Object>> caches = List.of(redis, manager);
                List<Thread> workers = new ArrayList<>();
                for (int i = 0; i < options.threads; i++) {
                    Thread worker = new Thread(() -> load(caches), "soak-load-" + i);
                    worker.setDaemon(true);
                    worker.start();
                    workers.add(worker);
                }
                List<SoakReport.Sample> samples = sample(server, caches);
                running = false;
                for (Thread worker : workers) {
                    worker.join(TimeUnit.SECONDS.toMillis(30));
                }
                return samples;
            }
        }
    }

    /** Samples until the duration is over, while a thread of its own injects the faults on schedule. */
    private List<SoakReport.Sample> sample(RedisServer server, List<Cache<Object>> caches) throws Exception {
        SoakFaults faults = new SoakFaults(server);
        long start = System.nanoTime();
        long end = start + options.duration.toNanos();
        Queue<String> faultsInWindow = new ConcurrentLinkedQueue<>();
        Thread injector = new Thread(() -> injectFaults(faults, start, end, faultsInWindow), "soak-faults");
        injector.setDaemon(true);
        injector.start();
        List<SoakReport.Sample> samples = new ArrayList<>();
        long errorsBefore = 0;
        long callsBefore = 0;
        long threwBefore = 0;
        long counterThrewBefore = 0;
        samples.add(measure(0, faults, 0, 0, 0, 0, Slowest.NONE, ""));
        for (long next = start + options.sampleEvery.toNanos(); next - end <= 0; next += options.sampleEvery.toNanos()) {
            LockSupport.parkNanos(next - System.nanoTime());
            long errors = errors(caches);
            List<String> faulted = new ArrayList<>();
            for (String fault; (fault = faultsInWindow.poll()) != null; ) {
                faulted.add(fault);
            }
            SoakReport.Sample sample = measure(TimeUnit.NANOSECONDS.toSeconds(next - start), faults,
                    calls.get() - callsBefore, errors - errorsBefore, threw.get() - threwBefore,
                    counterThrew.get() - counterThrewBefore, slowest.getAndSet(Slowest.NONE), String.join("+", faulted));
            samples.add(sample);
            System.out.println(sample);
            callsBefore += sample.calls();
            errorsBefore = errors;
            threwBefore += sample.threw();
            counterThrewBefore += sample.counterThrew();
        }
        injector.join(TimeUnit.SECONDS.toMillis(30));
        return samples;
    }

    /** Injects a fault every {@code --fault-every} until {@code end}, noting each in {@code injected}. */
    private void injectFaults(SoakFaults faults, long start, long end, Queue<String> injected) {
        for (long next = start + options.faultEvery.toNanos(); next - end < 0; next += options.faultEvery.toNanos()) {
            LockSupport.parkNanos(next - System.nanoTime());
            SoakFaults.Fault fault = faults.next();
            System.out.printf("%4ds fault %s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), fault);
            injected.add(fault.name());
            try {
                faults.inject(fault);
            } catch (Exception e) {
                System.err.println("could not inject " + fault + ": " + e);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static SoakReport.Sample measure(long second, SoakFaults faults, long calls,
            long errors, long threw, long counterThrew, Slowest longest, String fault) {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        long connections;
        try {
            connections = faults.connections();
        } catch (RuntimeException e) {
            connections = -1; // the server is restarting
        }
        return new SoakReport.Sample(second, heap / (1024.0 * 1024.0), threads, connections, calls, errors, threw,
                counterThrew, longest.nanos() / 1e6, fault, longest.what());
    }

    private static long errors(List<Cache<Object>> caches) {
        return caches.stream().mapToLong(cache -> cache.stats().errors()).sum();
    }

    /** One load thread: random operations on random keys of both caches until the run ends. */
    private void load(List<Cache<Object>> caches) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running) {
            Cache<Object> cache = caches.get(random.nextInt(caches.size()));
            String key = "k" + random.nextInt(KEYS);
            int operation = random.nextInt(100);
            String what;
            long started = System.nanoTime();
            try {
                if (operation < 40) {
                    what = "get";
                    cache.get(key);
                } else if (operation < 55) {
                    what = "set";
                    cache.set(key, Map.of("id", key, "n", random.nextInt(1_000)));
                } else if (operation < 70) {
                    what = "getOrLoad";
                    cache.getOrLoad(key, k -> Map.of("id", k, "loaded", true));
                } else if (operation < 78) {
                    what = "getMany";
                    cache.getMany(List.of(key, "k" + random.nextInt(KEYS), "k" + random.nextInt(KEYS)));
                } else if (operation < 84) {
                    what = "increment";
                    counter(cache);
                } else if (operation < 92) {
                    what = "async().get";
                    cache.async().get(key).get(30, TimeUnit.SECONDS);
                } else {
                    what = "async().set";
                    cache.async().set(key, List.of(key, random.nextInt(1_000))).get(30, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                what = "threw";
                threw.incrementAndGet();
                if (threw.get() <= 20) {
                    System.err.println("fail-open operation threw: " + e);
                }
            }
            long took = System.nanoTime() - started;
            calls.incrementAndGet();
            if (took > slowest.get().nanos()) {
                Slowest call = new Slowest(took, cache.getClass().getSimpleName() + "." + what + " " + key);
                slowest.accumulateAndGet(call, (a, b) -> a.nanos() >= b.nanos() ? a : b);
            }
            if (took > OVER_BOUND_NANOS) {
                System.out.printf("over the bound: %s.%s %s took %d ms%n", cache.getClass().getSimpleName(), what, key,
                        TimeUnit.NANOSECONDS.toMillis(took));
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500)); // about 2,000 calls/s per thread at most
        }
    }

    /** The longest call of a window: its duration and what it was ({@code RedisCache.getOrLoad k17}). */
    record Slowest(long nanos, String what) {
        static final Slowest NONE = new Slowest(0, "");
    }

    private void counter(Cache<Object> cache) {
        try {
            cache.increment("counter:" + ThreadLocalRandom.current().nextInt(10));
        } catch (CacheUnavailableException expected) {
            counterThrew.incrementAndGet(); // counters have no safe default: they throw in an outage (API.md)
        }
    }

    /** Command-line options. */
    static final class Options {
        Duration duration = Duration.ofMinutes(10);
        Duration faultEvery = Duration.ofSeconds(30);
        Duration sampleEvery = Duration.ofSeconds(10);
        int threads = 4;
        Path out = Path.of("target/soak");
        Path docs = Path.of("docs");
        String revision = "unknown";
        Path fromCsv;
        /** When the run started, for a report rendered again; the report's own time otherwise. */
        String date;
        /** The machine and its load, as soak.sh describes them. */
        String machine = Runtime.getRuntime().availableProcessors() + " cores";

        static Options parse(String[] args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                if (value == null) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                switch (args[i]) {
                    case "--duration" -> options.duration = Duration.parse(value);
                    case "--fault-every" -> options.faultEvery = Duration.parse(value);
                    case "--sample-every" -> options.sampleEvery = Duration.parse(value);
                    case "--threads" -> options.threads = Integer.parseInt(value);
                    case "--out" -> options.out = Path.of(value);
                    case "--docs" -> options.docs = Path.of(value);
                    case "--revision" -> options.revision = value;
                    case "--from-csv" -> options.fromCsv = Path.of(value);
                    case "--date" -> options.date = value;
                    case "--machine" -> options.machine = value;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; use --duration, --fault-every, --sample-every, --threads, --out, --docs, --revision, --from-csv, --date, --machine");
                }
                i++;
            }
            if (options.threads < 1) {
                throw new IllegalArgumentException("--threads must be positive, was " + options.threads);
            }
            return options;
        }
    }
}
