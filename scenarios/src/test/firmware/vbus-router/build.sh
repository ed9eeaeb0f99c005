#!/usr/bin/env bash
# Builds the virtual-bus router (router.c, with the frame codec of firmware-common/vbus) for netduinoplus2:
# the second board of the two-board scenario test.
#   ./build.sh          build into ../../resources/firmware/vbus-router/router.elf
#   ./build.sh --check  rebuild in a temporary directory and compare byte for byte
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../../../.." && pwd)"
OUT_DIR="$HERE/../../resources/firmware/vbus-router"
BOARD="$ROOT/peripherals/src/test/firmware/netduinoplus2"
VBUS="$ROOT/firmware-common/vbus"
cd "$HERE"
CFLAGS=(-mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard -O2 -std=gnu11 -Wall -Wextra -Werror
        -Wno-override-init
        -ffile-prefix-map="$HERE"=. -ffile-prefix-map="$BOARD"=board -ffile-prefix-map="$VBUS"=vbus
        -ffunction-sections -fdata-sections -I"$BOARD" -I"$VBUS")
LDFLAGS=(--specs=rdimon.specs -nostartfiles -T "$BOARD/link.ld" -Wl,--gc-sections -Wl,-S
         -Wl,--build-id=none -Wl,--no-warn-rwx-segments)
build() { # DEST
    local work; work=$(mktemp -d)
    arm-none-eabi-gcc "${CFLAGS[@]}" -c "$BOARD/startup.c" -o "$work/startup.o"
    arm-none-eabi-gcc "${CFLAGS[@]}" -c "$VBUS/vbus_frame.c" -o "$work/vbus_frame.o"
    arm-none-eabi-gcc "${CFLAGS[@]}" -c router.c -o "$work/router.o"
    arm-none-eabi-gcc "${CFLAGS[@]}" "${LDFLAGS[@]}" "$work/startup.o" "$work/vbus_frame.o" "$work/router.o" \
        -o "$1/router.elf"
    rm -rf "$work"
}
case "${1:-build}" in
    build) mkdir -p "$OUT_DIR"; build "$OUT_DIR" ;;
    --check)
        tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
        build "$tmp"
        cmp -s "$tmp/router.elf" "$OUT_DIR/router.elf" || { echo "DIFFERS: vbus-router/router.elf"; exit 1; }
        echo "vbus-router firmware check OK" ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
