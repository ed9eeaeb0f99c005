#!/bin/sh
# Builds the FPv4-SP golden-vector generator, runs it on QEMU mps2-an386 and writes
# emulator-core/src/test/resources/fpu/vectors.txt.gz. Reproducible: fixed seed, gzip -n.
# Needs arm-none-eabi-gcc and qemu-system-arm (tested with GCC 12.2, QEMU 7.2).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../resources/fpu"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard \
    -O2 -ffreestanding -fno-builtin -nostdlib -Wall -Wextra \
    -ffile-prefix-map="$here"=. \
    -T "$here/link.ld" "$here/startup.c" "$here/gen.c" -lgcc -o "$tmp/gen.elf"

qemu-system-arm -M mps2-an386 -cpu cortex-m4 -nographic -monitor none -serial none \
    -chardev file,id=semi,path="$tmp/vectors.txt" \
    -semihosting-config enable=on,target=native,chardev=semi -kernel "$tmp/gen.elf"

tail -n 1 "$tmp/vectors.txt" | grep -q '^# end ' || { echo "generator did not finish" >&2; tail -n 3 "$tmp/vectors.txt" >&2; exit 1; }
mkdir -p "$out"
gzip -n -9 < "$tmp/vectors.txt" > "$out/vectors.txt.gz"
echo "$(wc -l < "$tmp/vectors.txt") lines, $(wc -c < "$out/vectors.txt.gz") bytes gzipped -> $out/vectors.txt.gz"
