#!/usr/bin/env bash
# Idle-heavy benchmark: simulated seconds per wall second for firmware that wakes on a 1 ms SysTick.
# Usage (from the project root): docs/bench/idle.sh [SIMULATED_SECONDS]   (needs arm-none-eabi-gcc)
set -euo pipefail
secs=${1:-6000}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -O2 -nostdlib -ffreestanding -DSECONDS="$secs" \
  -T "$here/../../scenarios/src/main/firmware/demo/link.ld" "$here/idle.c" -o "$work/idle.elf"
stats=$(./metertwin exec --semihosting --stats "$work/idle.elf" 2>&1 >/dev/null | tail -1)
echo "$stats"
echo "$stats" | awk -F'[:,}]' '{for(i=1;i<NF;i++){if($i=="\"virtualNanos\"")v=$(i+1); if($i=="\"wallMillis\"")w=$(i+1)}} END {printf "simulated/wall: %.0fx real time\n", (v/1e6)/w}'
