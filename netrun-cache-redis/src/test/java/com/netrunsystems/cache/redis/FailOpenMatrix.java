package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.redis.connection.RedisFailures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The fail-open table that the {@code FailOpenMatrix*IT}s hold every backend to (issue 11): for each fault and
 * operation, what the call answers or throws, how many errors {@code stats()} counts for it, and how long it takes.
 * Expected answers follow API.md ("Errors: fail open, never invent a value") and the error-reply classification of
 * {@link RedisFailures}: reads miss, writes answer {@code false}, {@code getOrLoad} returns the loader's value
 * (after one failed read it does not write: one error, one timeout), counters throw
 * {@link CacheUnavailableException}; a write rejection ({@code OOM}, {@code MISCONF}, {@code READONLY}) leaves
 * reads unaffected. A {@code CacheManager}'s write answers {@code true} when Redis is unavailable, since its L1
 * stored the value (API.md: "true when at least one layer stored the value"), and {@code false} when Redis
 * refused it (then no layer keeps it). Each cell is one call on keys that exist only in Redis (never in a
 * manager's L1), so a read must go to Redis.
 */
final class FailOpenMatrix {

    /** An async call whose future took longer than this to come back is noted in its cell. */
    static final long ASYNC_RETURN_NOTED_MILLIS = 50;

    /** What {@code getOrLoad}'s loader returns. */
    static final String LOADED = "loaded";

    private FailOpenMatrix() {
    }

    /** How a fault looks to the cache, which decides the expected row. */
    enum Effect {
        /** No fault: the baseline row. */
        NONE,
        /** Redis cannot be reached or does not answer in time (or, on a Cluster, the master of the keys). */
        UNAVAILABLE,
        /** Redis answers reads and refuses writes. */
        WRITE_REJECTED,
        /** A {@code CacheManager} whose L2 circuit is open: L2 is not asked at all. */
        CIRCUIT_OPEN
    }

    /** The operations of the matrix, each one call on the row's keys. */
    enum Operation {
        GET("get", 1),
        SET("set", 1),
        GET_MANY("getMany", 1),
        GET_OR_LOAD("getOrLoad", 1),
        INCREMENT("increment", 1),
        ASYNC_GET("async().get", 1),
        ASYNC_SET("async().set", 1);

        final String label;
        /**
         * Redis round trips that can each wait out a timeout: {@code getOrLoad} reads, loads, then writes, but
         * writes only when its read was answered.
         */
        final int roundTrips;

        Operation(String label, int roundTrips) {
            this.label = label;
            this.roundTrips = roundTrips;
        }

        boolean isAsync() {
            return this == ASYNC_GET || this == ASYNC_SET;
        }

        /** Starts the call; the blocking ones have completed when this returns. */
        CompletableFuture<?> start(Cache<Object> cache, RowKeys keys) {
            return switch (this) {
                case GET -> CompletableFuture.completedFuture(cache.get(keys.a()));
                case SET -> CompletableFuture.completedFuture(cache.set(keys.written(), "W"));
                case GET_MANY -> CompletableFuture.completedFuture(cache.getMany(List.of(keys.a(), keys.o())));
                case GET_OR_LOAD -> CompletableFuture.completedFuture(cache.getOrLoad(keys.loaded(), key -> LOADED));
                case INCREMENT -> CompletableFuture.completedFuture(cache.increment(keys.counter()));
                case ASYNC_GET -> cache.async().get(keys.a());
                case ASYNC_SET -> cache.async().set(keys.written(), "W");
            };
        }
    }

    /**
     * The keys of one row: {@code a} and {@code o} hold "A" and "O" in Redis before the fault ({@code o} on another
     * master of a Cluster); the others do not exist.
     */
    record RowKeys(String a, String o, String written, String loaded, String counter) {

        /** Keys for a standalone server. */
        static RowKeys plain(String row) {
            return new RowKeys(row + ":a", row + ":o", row + ":w", row + ":l", row + ":c");
        }

        /** Keys for a Cluster: all on the master of hash tag {@code victim}, except {@code o} (on {@code other}'s). */
        static RowKeys tagged(String row, String victim, String other) {
            String v = "{" + victim + "}:" + row;
            return new RowKeys(v + ":a", "{" + other + "}:" + row + ":o", v + ":w", v + ":l", v + ":c");
        }

        /** The values to store before the fault, by key. */
        Map<String, String> seeds() {
            return Map.of(a, "A", o, "O");
        }

        String logical(String key) {
            return key.equals(a) ? "a" : key.equals(o) ? "o" : key;
        }
    }

    /** The expected answer (as {@link #describe} prints it) and error count of a cell. */
    record Expected(String answer, long errors) {
    }

    /** One observed call: its answer, errors counted, duration, and for async calls how long until the future returned. */
    record Cell(Operation operation, String answer, long errors, long millis, long returnedMillis, Expected expected) {

        boolean matches() {
            return answer.equals(expected.answer()) && errors == expected.errors();
        }

        String render() {
            String text = answer + " · " + errors + " · " + millis + " ms";
            if (operation.isAsync() && returnedMillis > ASYNC_RETURN_NOTED_MILLIS) {
                text += " (future after " + returnedMillis + " ms)";
            }
            return matches() ? text : "**" + text + "** ✗ expected " + expected.answer() + " · " + expected.errors();
        }
    }

    /** One fault's row. */
    record Row(String fault, Effect effect, List<Cell> cells) {
        long longestMillis() {
            return cells.stream().mapToLong(Cell::millis).max().orElse(0);
        }
    }

    /**
     * What {@code operation} should do under {@code effect}; {@code cluster} when {@code o} lives on a healthy master,
     * {@code manager} for a {@code CacheManager} (whose L1 takes a write Redis could not).
     */
    static Expected expect(Effect effect, Operation operation, boolean cluster, boolean manager) {
        String both = "{a=A, o=O}";
        String storedInL1 = manager ? "true" : "false";
        return switch (effect) {
            case NONE -> switch (operation) {
                case GET, ASYNC_GET -> new Expected("A", 0);
                case SET, ASYNC_SET -> new Expected("true", 0);
                case GET_MANY -> new Expected(both, 0);
                case GET_OR_LOAD -> new Expected(LOADED, 0);
                case INCREMENT -> new Expected("1", 0);
            };
            case UNAVAILABLE -> switch (operation) {
                case GET, ASYNC_GET -> new Expected("null", 1);
                case SET, ASYNC_SET -> new Expected(storedInL1, 1);
                case GET_MANY -> new Expected(cluster ? "{o=O}" : "{}", 1);
                case GET_OR_LOAD -> new Expected(LOADED, 1); // the read fails; the write is not tried
                case INCREMENT -> new Expected(thrown(CacheUnavailableException.Kind.UNAVAILABLE), 1);
            };
            case WRITE_REJECTED -> switch (operation) {
                case GET, ASYNC_GET -> new Expected("A", 0);
                case SET, ASYNC_SET -> new Expected("false", 1); // refused: no layer keeps it
                case GET_MANY -> new Expected(both, 0);
                case GET_OR_LOAD -> new Expected(LOADED, 1); // only the write fails
                case INCREMENT -> new Expected(thrown(CacheUnavailableException.Kind.WRITE_REJECTED), 1);
            };
            case CIRCUIT_OPEN -> switch (operation) {
                case GET, ASYNC_GET -> new Expected("null", 0);
                case SET, ASYNC_SET -> new Expected(storedInL1, 0);
                case GET_MANY -> new Expected("{}", 0);
                case GET_OR_LOAD -> new Expected(LOADED, 0);
                case INCREMENT -> new Expected(thrown(CacheUnavailableException.Kind.UNAVAILABLE), 0);
            };
        };
    }

    /** Runs one cell: the call, its answer or exception, the errors it added to {@code cache.stats()}, its duration. */
    static Cell run(Cache<Object> cache, Operation operation, RowKeys keys, Expected expected) {
        long errorsBefore = cache.stats().errors();
        long started = System.nanoTime();
        long returned = started;
        String answer;
        try {
            CompletableFuture<?> call = operation.start(cache, keys);
            returned = System.nanoTime();
            answer = describe(call.join(), keys);
        } catch (CompletionException e) {
            answer = describeThrown(e.getCause() == null ? e : e.getCause());
        } catch (RuntimeException e) {
            answer = describeThrown(e);
        }
        long finished = System.nanoTime();
        long errors = cache.stats().errors() - errorsBefore;
        return new Cell(operation, answer, errors, TimeUnit.NANOSECONDS.toMillis(finished - started),
                TimeUnit.NANOSECONDS.toMillis(returned - started), expected);
    }

    /** Runs every operation of a row, calling {@code beforeCell} first (a fault that must be renewed renews itself). */
    static List<Cell> runRow(Function<Operation, Cache<Object>> cacheFor, RowKeys keys, Effect effect,
            boolean cluster, Runnable beforeCell) {
        List<Cell> cells = new ArrayList<>();
        for (Operation operation : Operation.values()) {
            beforeCell.run();
            Cache<Object> cache = cacheFor.apply(operation);
            boolean manager = cache.backend() == CacheBackend.MULTI_LAYER;
            cells.add(run(cache, operation, keys, expect(effect, operation, cluster, manager)));
        }
        return cells;
    }

    /**
     * Runs every operation once on {@code keys} before the first row, so that the baseline row does not pay for
     * class loading and JIT (a first {@code get} took 477 ms on a loaded machine, most of it decoding).
     */
    static void warmUp(Function<Operation, Cache<Object>> cacheFor, RowKeys keys) {
        for (Operation operation : Operation.values()) {
            operation.start(cacheFor.apply(operation), keys).join();
        }
    }

    /**
     * The longest a cell may take: its round trips plus two more socket timeouts, plus {@link #LOADED_MACHINE_SLACK}:
     * on a loaded machine the timeout timer runs late (a stalled {@code getOrLoad} of a manager took 2080 ms at load
     * 16 on 2 cores, against 1011-1022 ms measured otherwise).
     */
    static Duration bound(Operation operation, Duration socketTimeout) {
        return socketTimeout.multipliedBy(operation.roundTrips + 2L).plus(LOADED_MACHINE_SLACK);
    }

    /** Added to every cell's bound for a loaded machine; see {@link #bound}. */
    static final Duration LOADED_MACHINE_SLACK = Duration.ofSeconds(1);

    static String describe(Object answer, RowKeys keys) {
        if (answer instanceof Map<?, ?> map) {
            StringJoiner found = new StringJoiner(", ", "{", "}");
            map.forEach((key, value) -> found.add(keys.logical(String.valueOf(key)) + "=" + value));
            return found.toString();
        }
        return String.valueOf(answer);
    }

    static String thrown(CacheUnavailableException.Kind kind) {
        return "throws CUE(" + kind + ")";
    }

    private static String describeThrown(Throwable error) {
        if (error instanceof CacheUnavailableException unavailable) {
            return thrown(unavailable.kind());
        }
        String message = String.valueOf(error.getMessage());
        return "throws " + error.getClass().getSimpleName() + ": "
                + (message.length() > 80 ? message.substring(0, 80) + "…" : message);
    }

    /** Renders rows as a Markdown table: one line per fault, one column per operation, plus the longest call. */
    static String markdown(String title, String description, List<Row> rows) {
        StringBuilder out = new StringBuilder("### ").append(title).append("\n\n").append(description).append("\n\n");
        out.append("| fault |");
        for (Operation operation : Operation.values()) {
            out.append(" `").append(operation.label).append("` |");
        }
        out.append(" longest |\n|---|");
        out.append("---|".repeat(Operation.values().length)).append("---|\n");
        for (Row row : rows) {
            out.append("| ").append(row.fault()).append(" |");
            for (Cell cell : row.cells()) {
                out.append(' ').append(cell.render()).append(" |");
            }
            out.append(' ').append(row.longestMillis()).append(" ms |\n");
        }
        return out.toString();
    }
}
