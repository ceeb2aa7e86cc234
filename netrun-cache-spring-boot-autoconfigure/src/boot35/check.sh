#!/usr/bin/env bash
# Builds and tests this auto-configuration against Spring Boot 3.5 (Framework 6.2, Micrometer 1.15) in a scratch
# copy of the repository, to show what a Boot 3.5 variant takes: the poms' Boot 4 split modules (spring-boot-cache,
# -health, -micrometer-metrics) replaced by spring-boot-actuator(-autoconfigure), and the Boot 4 packages renamed
# to their Boot 3 names (the list below; plus HealthIndicator.health(boolean) -> getHealth(boolean)).
# Not part of CI (the shipped jar is for Boot 4 only; see the README, "Spring Boot 3.5").
# Usage, from anywhere: bash netrun-cache-spring-boot-autoconfigure/src/boot35/check.sh [extra mvn args]
# It needs redis-server on PATH (the ITs start their own) and reaches Maven Central for the Boot 3.5 artifacts.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$root" && git ls-files -z | xargs -0 tar -cf - ) | tar -xf - -C "$work"
module="$work/netrun-cache-spring-boot-autoconfigure"

python3 - "$module/pom.xml" <<'PY'
import sys
path = sys.argv[1]
pom = open(path).read()
def dep(artifact, scope):
    return ("    <dependency>\n      <groupId>org.springframework.boot</groupId>\n      <artifactId>%s</artifactId>\n"
            "      <%s>\n    </dependency>" % (artifact, scope))
for artifact, scope in [("spring-boot-cache", "optional>true</optional"), ("spring-boot-health", "optional>true</optional"),
                        ("spring-boot-micrometer-metrics", "scope>test</scope"), ("spring-boot-actuator", "scope>test</scope")]:
    block = dep(artifact, scope)
    assert block in pom, artifact
    pom = pom.replace(block + "\n", "", 1)
pom = pom.replace("\n  <dependencies>\n", "\n  <dependencies>\n" + dep("spring-boot-actuator", "optional>true</optional")
                  .replace("<optional>", "<version>${spring-boot.version}</version>\n      <optional>") + "\n"
                  + dep("spring-boot-actuator-autoconfigure", "scope>test</scope")
                  .replace("<scope>", "<version>${spring-boot.version}</version>\n      <scope>") + "\n", 1)
open(path, "w").write(pom)
PY

find "$module/src" -name '*.java' -print0 | xargs -0 sed -i \
  -e 's/org\.springframework\.boot\.cache\.metrics\.CacheMeterBinderProvider/org.springframework.boot.actuate.metrics.cache.CacheMeterBinderProvider/' \
  -e 's/org\.springframework\.boot\.health\.contributor\./org.springframework.boot.actuate.health./' \
  -e 's/org\.springframework\.boot\.health\.actuate\.endpoint\.SimpleStatusAggregator/org.springframework.boot.actuate.health.SimpleStatusAggregator/' \
  -e 's/org\.springframework\.boot\.cache\.autoconfigure\.metrics\.CacheMetricsAutoConfiguration/org.springframework.boot.actuate.autoconfigure.metrics.cache.CacheMetricsAutoConfiguration/' \
  -e 's/org\.springframework\.boot\.cache\.autoconfigure\.CacheAutoConfiguration/org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration/' \
  -e 's/org\.springframework\.boot\.micrometer\.metrics\.autoconfigure\.export\.simple\./org.springframework.boot.actuate.autoconfigure.metrics.export.simple./' \
  -e 's/org\.springframework\.boot\.micrometer\.metrics\.autoconfigure\./org.springframework.boot.actuate.autoconfigure.metrics./' \
  -e 's/org\.springframework\.boot\.cache\.actuate\.endpoint\.CachesEndpoint/org.springframework.boot.actuate.cache.CachesEndpoint/' \
  -e 's/org\.springframework\.boot\.micrometer\.metrics\.actuate\.endpoint\.MetricsEndpoint/org.springframework.boot.actuate.metrics.MetricsEndpoint/' \
  -e 's/\.health(true)/.getHealth(true)/g'

cd "$work"
mvn -B -ntp -pl netrun-cache-spring-boot-autoconfigure -am verify \
  -Dspring-boot.version=3.5.7 -Dspring-framework.version=6.2.12 -Dmicrometer.version=1.15.5 \
  -Dtest='MemorySpringCacheTest,SpringCacheKeysTest,NetrunCacheAutoConfigurationTest,ReadmePropertiesTableTest' \
  -Dit.test='SpringBootRedisIT,RedisSpringCacheIT,MultiLayerSpringCacheIT' \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false "$@"
