#!/usr/bin/env bash
# Builds dsp_vectors.elf and regenerates the golden vectors from QEMU (never from MeterTwin).
# Usage: emulator-core/src/test/firmware/dsp-vectors/build.sh [OUTPUT]
#   OUTPUT defaults to emulator-core/src/test/resources/dsp/vectors.txt (relative to this script's module).
# Needs: arm-none-eabi-gcc 12, qemu-system-arm 7.2 (Debian packages gcc-arm-none-eabi, qemu-system-arm).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
module=$(cd "$here/../../../.." && pwd)
out=${1:-$module/src/test/resources/dsp/vectors.txt}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -O2 -g -nostdlib -ffreestanding -Wall -Wextra \
  -T "$here/link.ld" "$here/dsp_vectors.c" -o "$work/dsp_vectors.elf"
# Semihosting output goes to a file chardev, so QEMU's own messages cannot mix into it.
timeout 120 qemu-system-arm -M mps2-an386 -cpu cortex-m4 -nographic -monitor none -serial none \
  -chardev file,id=semi,path="$work/vectors.txt" -semihosting-config enable=on,target=native,chardev=semi \
  -kernel "$work/dsp_vectors.elf"
# The program ends with "END <count>": refuse a truncated run.
count=$(awk '$1 == "END" { print $2 }' "$work/vectors.txt")
lines=$(grep -vc '^END ' "$work/vectors.txt" || true)
[ -n "$count" ] && [ "$count" = "$lines" ] || { echo "incomplete QEMU output ($lines lines, END '$count')" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
cp "$work/vectors.txt" "$out"
echo "$lines vectors -> $out"
