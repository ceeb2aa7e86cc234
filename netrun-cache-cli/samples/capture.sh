#!/usr/bin/env bash
# Captures the README's "Operating it" samples by running each operator command against a throwaway
# redis-server (free port, no persistence) holding the test keyspace of the ITs (TestKeyspace.java):
# namespace 'app' as the Python package writes it, and 'app2'. Prints Markdown to stdout.
#   bash netrun-cache-cli/samples/capture.sh > /tmp/samples.md
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cli="$root/bin/netrun-cache"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
dir="$(mktemp -d)"
redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --dir "$dir" --daemonize yes \
  --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
trap 'kill "$(cat "$dir/redis.pid")" 2>/dev/null || true; rm -rf "$dir"' EXIT
r() { redis-cli -p "$port" "$@" > /dev/null; }
for _ in $(seq 50); do redis-cli -p "$port" ping > /dev/null 2>&1 && break; sleep 0.1; done

r SET app:user:1 '{"name": "Ada", "roles": ["admin", "dev"]}' EX 1800
r SET app:user:2 '{"name": "Linus", "active": true}' EX 45
r SET app:greeting 'hello world'
r INCRBY app:page_views 42
r SET app:price 19.99 EX 7200
r SET app:tags '["a", "b"]' EX 172800
r EVAL "return redis.call('SET', KEYS[1], string.char(0, 255, 1, 2, 128))" 1 app:blob
r SET app:stats:hits 30
r SET app:stats:misses 10
r SET app2:user:1 '{"name": "Other"}'
r SET app2:greeting 'not yours'

export NETRUN_CACHE_REDIS_URL="redis://127.0.0.1:$port"
sample() {
  # app:user:2 is the keyspace's key with less than a minute to live: set it again before each command, so that
  # it is still there however slowly the JVMs start on a loaded machine (at 45 s it expired during the first two).
  r SET app:user:2 '{"name": "Linus", "active": true}' EX 59
  echo '```console'
  local shown=() arg
  for arg in "$@"; do [[ "$arg" == *[*?[]* ]] && shown+=("'$arg'") || shown+=("$arg"); done
  echo "\$ netrun-cache ${shown[*]}"
  "$cli" "$@" 2>&1 | sed "s/127.0.0.1:$port/127.0.0.1:6379/g" || true
  echo '```'
  echo
}
sample keys -n app
sample keys -n app 'user:*' --json
sample get -n app user:1
sample get -n app blob
sample ttl -n app user:1
sample stats -n app
sample clear -n app --dry-run
sample doctor -n app
# watch while another client publishes two invalidations (two keys, then a clear), once watch has subscribed
(until [[ "$(redis-cli -p "$port" PUBSUB NUMSUB netrun-cache:invalidate:app | tail -1)" -ge 1 ]]; do sleep 0.2; done
 r PUBLISH netrun-cache:invalidate:app '{"sender":"7f3c9a2e-4d1b-4c8e-9a51-0b6f2d8e1c47","keys":["user:1","user:2"],"all":false}'
 "$cli" clear -n app --yes > /dev/null 2>&1) &
sample watch -n app --duration 40s
wait
sample keys -n app2
