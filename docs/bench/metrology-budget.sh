#!/bin/sh
# Issue 15 part 5: what a virtual second of steady load (230 V, 10 A, pf 1) costs on the metering core:
# guest instructions per firmware function, device accesses per register (exact counts), and the host time
# per virtual second after four hours of warm-up (noisy: quote medians of several runs).
# Usage: docs/bench/metrology-budget.sh
set -e
cd "$(dirname "$0")/../.."
mvn -q -o -B -pl metering-core -am test-compile >/dev/null
./metertwin --version >/dev/null # builds the jar when a source changed
exec java -XX:+UseParallelGC -XX:-DontCompileHugeMethods -XX:PerMethodTrapLimit=0 -Xss16m \
  -cp metering-core/target/test-classes:scenarios/target/metertwin.jar org.metertwin.metering.MetrologyBudget
