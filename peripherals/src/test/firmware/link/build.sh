#!/usr/bin/env bash
# Builds the two-machine link test firmware (ping and pong roles of link.c) for netduinoplus2.
#   ./build.sh          build into ../../resources/firmware/link
#   ./build.sh --check  rebuild in a temporary directory and compare byte for byte
# There is no QEMU golden: QEMU runs one machine at a time. The test compares MeterTwin with itself across
# host orders, and checks the protocol's own invariants (no mismatches, counts).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT_DIR="$(cd "$HERE/../../resources/firmware/link" && pwd)"
BOARD="$HERE/../netduinoplus2"
cd "$HERE"
CFLAGS=(-mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard -O2 -std=gnu11 -Wall -Wextra -Werror
        -Wno-override-init -ffile-prefix-map="$HERE"=. -ffile-prefix-map="$BOARD"=board
        -ffunction-sections -fdata-sections -I"$BOARD")
LDFLAGS=(--specs=rdimon.specs -nostartfiles -T "$BOARD/link.ld" -Wl,--gc-sections -Wl,-S -Wl,--build-id=none
         -Wl,--no-warn-rwx-segments)
build() { # ROLE DEST
    local work; work=$(mktemp -d)
    arm-none-eabi-gcc "${CFLAGS[@]}" -c "$BOARD/startup.c" -o "$work/startup.o"
    arm-none-eabi-gcc "${CFLAGS[@]}" "-DROLE_${1^^}" -c link.c -o "$work/link.o"
    arm-none-eabi-gcc "${CFLAGS[@]}" "${LDFLAGS[@]}" "$work/startup.o" "$work/link.o" -o "$2/$1.elf"
    rm -rf "$work"
}
case "${1:-build}" in
    build) build ping "$OUT_DIR"; build pong "$OUT_DIR" ;;
    --check)
        tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
        build ping "$tmp"; build pong "$tmp"
        for r in ping pong; do
            cmp -s "$tmp/$r.elf" "$OUT_DIR/$r.elf" || { echo "DIFFERS: link/$r.elf"; exit 1; }
        done
        echo "link firmware check OK" ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
