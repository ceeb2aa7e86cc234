#!/usr/bin/env bash
# Builds a new Maven project from examples/new-project/pom.xml, as a new user would after
# `mvn install`, compiles every README Java snippet outside Spring (the sources of examples/readme-snippets)
# with it, and runs the two that need no Redis. It installs netrun-cache into a throwaway copy of the
# local repository, so ~/.m2 is never written; Maven may download the install plugin into that copy.
# Usage, from anywhere: bash examples/new-project/check.sh   (about 1 minute; not part of .ci/run)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root="$(pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
repo="$work/m2"

if [[ -d "$HOME/.m2/repository" ]]; then
  cp -a "$HOME/.m2/repository" "$repo"
fi
mvn -B -ntp -q install -pl netrun-cache-bom,netrun-cache-core,netrun-cache-redis -am -DskipTests \
  -Dmaven.repo.local="$repo"

project="$work/my-app"
sources="$project/src/main/java/com/netrunsystems/cache/examples"
mkdir -p "$sources"
cp examples/new-project/pom.xml "$project/"
snippets="$root/examples/readme-snippets/src/main/java/com/netrunsystems/cache/examples"
for example in QuickStart ConfigurationExample RedisExample TwoLevelExample MethodCachingExample StampedeExample; do
  cp "$snippets/$example.java" "$sources/"
done
(cd "$project" && mvn -B -ntp -q compile dependency:build-classpath -Dmdep.outputFile=classpath.txt \
  -Dmaven.repo.local="$repo")
classpath="$project/target/classes:$(cat "$project/classpath.txt")"
java -cp "$classpath" com.netrunsystems.cache.examples.QuickStart
java -cp "$classpath" com.netrunsystems.cache.examples.ConfigurationExample >/dev/null
echo "new project: the README snippets compile with examples/new-project/pom.xml; QuickStart ran"
