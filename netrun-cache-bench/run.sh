#!/usr/bin/env bash
# Builds netrun-cache-bench, runs the whole benchmark suite and regenerates docs/benchmarks.md and the
# charts docs/bench-*.png from its results. About 30 minutes on 2 cores.
#
#   netrun-cache-bench/run.sh              # from anywhere in a clone
#
# Needs JDK 17+, Maven 3.8+ and redis-server on PATH (the benchmarks start their own servers on free
# 127.0.0.1 ports; a Redis on 6379 is never touched). Steps:
#   1. mvn package of the bench module and the modules it depends on (tests skipped);
#   2. waits up to BENCH_WAIT_SECONDS (900) for the 1-minute load average to drop below BENCH_MAX_LOAD
#      (1.5), then runs anyway and says so in the report;
#   3. JMH: in-process caches and L1 hits (lean harness: both Caffeine baselines and the no-op harness cost)
#      and Redis get/set with 1 and 2 threads, Redis get/set with 8 threads, async reads, getMany(100) and
#      the two-level cache past L1, all with -prof gc, JSON into target/results/;
#   4. the stampede test, the hit-rate simulator and the round-trip check (plain Java programs);
#   5. BenchReport: docs/benchmarks.md and docs/bench-*.png (keeping the hit-path section that
#      netrun-cache-bench/hitpath.sh writes).
# Environment: BENCH_JMH_MEMORY_OPTS / BENCH_JMH_REDIS_OPTS replace the JMH iteration settings
# (forks included, e.g. "-f 1 -wi 0 -i 1 -r 1s" for a smoke run); BENCH_SKIP_BUILD=1 reuses the built jar.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
started=$SECONDS
bench="$root/netrun-cache-bench"
results="$bench/target/results"
jar="$bench/target/benchmarks.jar"
# Several forks per benchmark: on this kind of VM one JVM can run 2x faster or slower than the next
# (placement, JIT), so a single fork's error understates the uncertainty of a ratio.
memory_opts=${BENCH_JMH_MEMORY_OPTS:-"-f 3 -wi 2 -w 600ms -i 3 -r 600ms"}
redis_opts=${BENCH_JMH_REDIS_OPTS:-"-f 2 -wi 2 -w 600ms -i 3 -r 900ms"}
max_load=${BENCH_MAX_LOAD:-1.5}
max_wait=${BENCH_WAIT_SECONDS:-900}

say() { printf '\n==> %s (%ds)\n' "$*" $((SECONDS - started)); }

command -v redis-server >/dev/null || { echo "error: redis-server is not on PATH (Debian: apt-get install redis-server)" >&2; exit 1; }

if [[ "${BENCH_SKIP_BUILD:-}" != 1 || ! -f "$jar" ]]; then
  say "building netrun-cache-bench"
  mvn -q -B -DskipTests -pl netrun-cache-bench -am package
fi

rm -rf "$results"
mkdir -p "$results"

say "waiting for a quiet machine (1-minute load < $max_load, at most ${max_wait}s)"
waited=0
load() { cut -d' ' -f1 /proc/loadavg; }
while awk -v l="$(load)" -v m="$max_load" 'BEGIN { exit !(l >= m) }' && (( waited < max_wait )); do
  sleep 15
  waited=$((waited + 15))
done
load_before=$(load)
quiet=$(awk -v l="$load_before" -v m="$max_load" 'BEGIN { print (l < m) ? "yes" : "no" }')
echo "load $load_before after ${waited}s; quiet: $quiet"

pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$root/pom.xml" | head -1; }
{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "nproc=$(nproc)"
  echo "memory=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "redis=$(redis-server --version | sed 's/ sha=.*//')"
  echo "loadBefore=$load_before"
  echo "quiet=$quiet"
  echo "waitedSeconds=$waited"
  echo "caffeine=$(pom_property caffeine.version)"
  echo "lettuce=$(pom_property lettuce.version)"
  echo "redisson=$(pom_property redisson.version)"
  echo "spring=$(pom_property spring-data-redis.version)"
  echo "jetcache=$(pom_property jetcache.version)"
} > "$results/run.properties"

jmh() {
  local name=$1; shift
  java -jar "$jar" "$@" -prof gc -foe false -rf json -rff "$results/jmh-$name.json" | tee "$results/jmh-$name.txt"
}

for t in 1 2; do
  say "JMH: in-process caches and L1 hits, $t thread(s)"
  jmh "memory-t$t" '\.MemoryBenchmark\.' -t "$t" $memory_opts
  jmh "l1-t$t" '\.L1HitBenchmark\.' -t "$t" $memory_opts
  say "JMH: Redis get/set, $t thread(s)"
  jmh "redis-t$t" '\.RedisBenchmark\.' -t "$t" $redis_opts
done
say "JMH: Redis get/set, 8 threads on one connection"
jmh redis-t8 '\.RedisBenchmark\.' -t 8 $redis_opts
say "JMH: async reads, getMany(100), two-level"
jmh other '\.(RedisAsyncBenchmark|RedisGetManyBenchmark|TwoLevelBenchmark)\.' $redis_opts
say "JMH: @Cacheable through the Spring adapter vs direct get, CaffeineCacheManager, RedisCacheManager"
jmh spring '\.SpringCacheBenchmark\.' $redis_opts

say "stampede: 1,000 concurrent getOrLoad on one cold key"
java -cp "$jar" com.netrunsystems.cache.bench.StampedeRun "$results/stampede.json"
say "hit-rate simulator"
java -cp "$jar" com.netrunsystems.cache.bench.HitRateSimulator "$results/hitrate.json"
say "round trips"
java -cp "$jar" com.netrunsystems.cache.bench.RoundTripCheck "$results/roundtrips.json"

load_after=$(load)
elapsed=$((SECONDS - started))
{
  echo "loadAfter=$load_after"
  echo "elapsed=$((elapsed / 60)) min $((elapsed % 60)) s"
} >> "$results/run.properties"

say "report"
java -Djava.awt.headless=true -cp "$jar" com.netrunsystems.cache.bench.BenchReport "$results" "$root/docs"
say "done: docs/benchmarks.md, docs/bench-*.png"
