#!/bin/sh
# Issue 15's suite figure: 100 small test ELFs in one `metertwin exec` (the CPU corpus's 90 libc programs
# and its first 10 again, each on a fresh mps2-an386 board with semihosting), timed as a whole process from
# the shell. Prints the suite's last summary line and the process's wall time. Run on a quiet machine.
# Usage: docs/bench/exec-suite.sh [RUNS]
set -e
cd "$(dirname "$0")/../.."
runs=${1:-1}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
i=0
for elf in $(ls emulator-core/src/test/resources/corpus/*.elf | sort) $(ls emulator-core/src/test/resources/corpus/*.elf | sort | head -10); do
  i=$((i + 1)); ln -s "$(pwd)/$elf" "$work/$(printf '%03d' $i)-$(basename "$elf")"
done
./metertwin --version >/dev/null # build the jar first if a source changed, outside the timing
for r in $(seq "$runs"); do
  t0=$(date +%s.%N)
  ./metertwin exec --semihosting "$work" >"$work/out.txt" 2>&1 || true
  t1=$(date +%s.%N)
  printf '%s; process %.2f s\n' "$(tail -1 "$work/out.txt")" "$(echo "$t1 - $t0" | bc)"
done
