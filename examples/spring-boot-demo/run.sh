#!/usr/bin/env bash
# Builds the demo (and the netrun-cache modules it uses) when needed, then runs it on port 8080.
# Usage, from anywhere:
#   bash examples/spring-boot-demo/run.sh                                   # caches in memory
#   bash examples/spring-boot-demo/run.sh --netrun.cache.backend=multi_layer # Redis on localhost:6379 as L2
# Any further --property=value is passed to Spring Boot.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/examples/spring-boot-demo/target/spring-boot-demo.jar"
if [[ ! -f "$jar" ]] || [[ -n "$(find "$root" -path '*/src/main/*' -newer "$jar" -print -quit)" ]]; then
  (cd "$root" && mvn -q -B -ntp -DskipTests -pl examples/spring-boot-demo -am package)
fi
exec java -jar "$jar" "$@"
