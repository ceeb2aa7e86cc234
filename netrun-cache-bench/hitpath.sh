#!/usr/bin/env bash
# Reruns exactly the hit-path subset that issue 10 must not regress, with fixed settings, and records it
# under a label: MemoryBenchmark.get (noop, caffeine, caffeine_features, memory_tinylfu, memory_lru),
# L1HitBenchmark.get (noop, caffeine, caffeine_features, netrun) and RedisBenchmark.get (netrun, lettuce),
# each at 1 and 2 threads, with -prof gc, in 2 interleaved rounds of one fork each. About 7 minutes on 2 cores.
#
#   netrun-cache-bench/hitpath.sh before-issue-10     # recorded on main before issue 10
#   netrun-cache-bench/hitpath.sh after-issue-10      # the same subset, same settings, after it
#
# Writes docs/bench-hitpath/LABEL.json (a summary of the JMH results) and rewrites the hit-path section at
# the end of docs/benchmarks.md from every summary there, dividing each later run by before-issue-10.
# Needs JDK 17+, Maven and redis-server on PATH (throwaway servers on free 127.0.0.1 ports; never 6379).
# Environment: BENCH_SKIP_BUILD=1 reuses the built jar; BENCH_NOTE is printed with the run (e.g. the load);
# BENCH_HITPATH_ROUNDS / BENCH_HITPATH_MEMORY_OPTS / BENCH_HITPATH_REDIS_OPTS change the settings (then the
# runs no longer compare).
set -euo pipefail

label=${1:?usage: netrun-cache-bench/hitpath.sh LABEL (e.g. before-issue-10, after-issue-10)}
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
bench="$root/netrun-cache-bench"
jar="$bench/target/benchmarks.jar"
results="$bench/target/hitpath-$label"
# One fork per benchmark per round, ROUNDS rounds: every contender's forks are spread over the whole run, so
# a change in the machine's load falls on all of them alike; HitPathReport pools the rounds' iterations.
rounds=${BENCH_HITPATH_ROUNDS:-2}
memory_opts=${BENCH_HITPATH_MEMORY_OPTS:-"-f 1 -wi 3 -w 500ms -i 5 -r 500ms"}
redis_opts=${BENCH_HITPATH_REDIS_OPTS:-"-f 1 -wi 2 -w 1s -i 3 -r 1s"}
command -v redis-server >/dev/null || { echo "error: redis-server is not on PATH (Debian: apt-get install redis-server)" >&2; exit 1; }
if [[ "${BENCH_SKIP_BUILD:-}" != 1 || ! -f "$jar" ]]; then
  mvn -q -B -DskipTests -pl netrun-cache-bench -am package
fi
rm -rf "$results"
mkdir -p "$results"

load() { cut -d' ' -f1 /proc/loadavg; }
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git status --porcelain -- netrun-cache-core netrun-cache-redis 2>/dev/null)" ]]; then
  commit="$commit (with uncommitted changes in core/redis)"
fi
{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit=$commit"
  echo "nproc=$(nproc)"
  echo "loadBefore=$(load)"
  echo "command=netrun-cache-bench/hitpath.sh $label ($rounds rounds of: in-process $memory_opts; Redis $redis_opts; -t 1 and -t 2; -prof gc)"
  echo "note=${BENCH_NOTE:-}"
} > "$results/run.properties"

jmh() {
  local name=$1; shift
  java -jar "$jar" "$@" -prof gc -foe false -rf json -rff "$results/jmh-$name.json" | tee "$results/jmh-$name.txt"
}

for ((round = 1; round <= rounds; round++)); do
  for t in 1 2; do
    jmh "memory-t$t-r$round" '\.MemoryBenchmark\.get$' -t "$t" -p contender=noop,caffeine,caffeine_features,memory_tinylfu,memory_lru $memory_opts
    jmh "l1-t$t-r$round" '\.L1HitBenchmark\.get$' -t "$t" -p contender=noop,caffeine,caffeine_features,netrun $memory_opts
    jmh "redis-t$t-r$round" '\.RedisBenchmark\.get$' -t "$t" -p contender=netrun,lettuce $redis_opts
  done
done

echo "loadAfter=$(load)" >> "$results/run.properties"
java -cp "$jar" com.netrunsystems.cache.bench.HitPathReport "$results" "$label" "$root/docs"
