#!/usr/bin/env bash
# The reliability soak (not part of CI's run): 10 minutes of mixed load on a RedisCache and a
# CacheManager against a throwaway redis-server on a free 127.0.0.1 port (never 6379), with a fault
# every 30 s in rotation (kill -STOP/-CONT, restart, CLIENT KILL, DEBUG SLEEP), sampled every 10 s.
# Writes netrun-cache-bench/target/soak/soak.csv, docs/reliability-soak.csv, docs/reliability-soak.png
# and the soak section of docs/reliability.md.
#
#   netrun-cache-bench/soak.sh                                   # 10 minutes, 4 load threads
#   netrun-cache-bench/soak.sh --duration PT2M --threads 2       # any SoakRun option
#   SOAK_SKIP_BUILD=1 netrun-cache-bench/soak.sh                 # reuse target/benchmarks.jar
#
# Needs JDK 17+, Maven 3.8+ and redis-server on PATH. The caches' WARN logs (one per failed call in
# an outage) go to target/soak/soak.log.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
bench="$root/netrun-cache-bench"
jar="$bench/target/benchmarks.jar"
out="$bench/target/soak"

command -v redis-server >/dev/null || { echo "error: redis-server is not on PATH (Debian: apt-get install redis-server)" >&2; exit 1; }

if [[ "${SOAK_SKIP_BUILD:-}" != 1 || ! -f "$jar" ]]; then
  echo "==> building netrun-cache-bench"
  mvn -q -B -ntp -DskipTests -pl netrun-cache-bench -am package
fi
mkdir -p "$out"
revision="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$root" status --porcelain -- '*.java' 2>/dev/null)" ]]; then
  revision="$revision+changes"
fi
machine="$(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg) at the start"
echo "==> soak on revision $revision ($machine); log: $out/soak.log"
java -Xmx512m -Djava.awt.headless=true -cp "$jar" com.netrunsystems.cache.bench.SoakRun \
  --out "$out" --docs "$root/docs" --revision "$revision" --machine "$machine" "$@" 2> "$out/soak.log"
echo "==> done: docs/reliability.md (soak section), docs/reliability-soak.png, docs/reliability-soak.csv"
