#!/bin/sh
# Issue 6's speed figure: a simulated day at constant load (230 V, 10 A, pf 1) on the metrology board with
# its firmware, through the scenario runner. Prints the runner's summary, whose first line gives the wall
# time and the speed factor (virtual time over wall time). Run it on a quiet machine, a few times.
# Usage: docs/bench/metrology-day.sh [RUNS]
set -e
cd "$(dirname "$0")/../.."
runs=${1:-1}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cat >"$work/day.yaml" <<'YAML'
meter: metrology
duration: 1d
mains: { voltage: 230.0, frequency: 50.0 }
load:
  - { at: 0s, current: 10.0, powerFactor: 1.0 }
expect:
  - { register: activeImportWh, tolerancePercent: 0.02 }
YAML
for i in $(seq "$runs"); do
  ./metertwin run --quiet "$work/day.yaml" | head -1
done
