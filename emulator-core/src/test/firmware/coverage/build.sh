#!/usr/bin/env bash
# Builds the DWARF/coverage fixtures and their binutils goldens reproducibly. Usage: build.sh [--check]
# The assembler writes the line program; without -Wa,--gdwarf-N Debian's gas writes version 3 whatever -gdwarf-N says.
# (gas 2.40 writes no version-2 line program: --gdwarf-2 gives version 3, so there is no v2 fixture.)
# Each ELF is cov.c + util.c for mps2-an386; NAME.decodedline is `arm-none-eabi-objdump --dwarf=decodedline`
# of it (the reference the line-program parser is tested against).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../resources/dwarf"
dest="$out"
if [ "${1:-}" = "--check" ]; then dest=$(mktemp -d); fi
mkdir -p "$dest"
cd "$here"
for variant in O0-dwarf3 O0-dwarf4 O0-dwarf5 O2-dwarf4 O2-dwarf5; do
  opt=${variant%%-*}; dwarf=${variant#*-dwarf}
  elf="$dest/cov-$variant.elf"
  arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -"$opt" -g -gdwarf-"$dwarf" -Wa,--gdwarf-"$dwarf" -Wa,--debug-prefix-map="$here"=/src/coverage -nostdlib -ffreestanding \
    -ffile-prefix-map="$here"=/src/coverage -Wl,--build-id=none -T link.ld cov.c util.c -o "$elf"
  arm-none-eabi-objdump --dwarf=decodedline "$elf" | sed "s|$dest/||" > "$dest/cov-$variant.decodedline"
done
if [ "${1:-}" = "--check" ]; then
  for f in "$dest"/*; do cmp "$f" "$out/$(basename "$f")"; done
  echo "the DWARF fixtures are reproducible"
fi
