#!/usr/bin/env bash
# Builds the fault fixture reproducibly. Usage: build.sh [--check]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../resources/firmware/fault.elf"
target="$out"
if [ "${1:-}" = "--check" ]; then target=$(mktemp -d)/fault.elf; fi
cd "$here"
arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -O1 -g0 -nostdlib -ffreestanding -ffile-prefix-map="$here"=. \
  -Wl,--build-id=none -T ../../../main/firmware/demo/link.ld fault.c -o "$target"
if [ "${1:-}" = "--check" ]; then cmp "$target" "$out" && echo "fault.elf is reproducible"; fi
