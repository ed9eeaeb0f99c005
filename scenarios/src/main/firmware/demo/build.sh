#!/usr/bin/env bash
# Builds the bundled demo firmware reproducibly. Usage: build.sh [--check]
# --check rebuilds into a temporary directory and fails when the committed ELF differs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../resources/firmware/demo.elf"
target="$out"
if [ "${1:-}" = "--check" ]; then target=$(mktemp -d)/demo.elf; fi
cd "$here"
arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -O2 -g0 -nostdlib -ffreestanding -ffile-prefix-map="$here"=. \
  -Wl,--build-id=none -T link.ld demo.c -lgcc -o "$target"
if [ "${1:-}" = "--check" ]; then
  cmp "$target" "$out" && echo "demo.elf is reproducible"
fi
