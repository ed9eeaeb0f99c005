#!/usr/bin/env bash
# Builds the metrology firmware into ../src/main/resources/firmware/metrology.elf, reproducibly.
#
#   ./build.sh           build and write the committed ELF
#   ./build.sh --check   check the include graph, run the frame codec's host test, rebuild in a temporary
#                        directory and compare byte for byte with the committed ELF
#   ./build.sh --includes print the include graph: each module and the project modules it includes
#
# Needs arm-none-eabi-gcc (Debian gcc-arm-none-eabi, with newlib for string.h), its binutils, gzip, od and dd.
# After linking, the CRC-32 (IEEE, as zlib's crc32) of the image - every loaded byte before the
# .image_crc word - is written into that word: gzip's trailer carries exactly that CRC-32.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# the virtual-bus frame codec, shared with the management core's firmware (docs/virtual-bus.md, "Firmware sources")
COMMON=../../firmware-common/vbus
OUT="$HERE/../src/main/resources/firmware/metrology.elf"
cd "$HERE"

CC=arm-none-eabi-gcc
OBJCOPY=arm-none-eabi-objcopy
READELF=arm-none-eabi-readelf
CFLAGS=(-mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard -Os -g0 -std=gnu11 -Wall -Wextra -Werror -Wno-override-init
        -ffile-prefix-map="$HERE"=. -ffunction-sections -fdata-sections -ffreestanding -fno-common -I. -I"$COMMON")
LDFLAGS=(-nostartfiles -nostdlib -T link.ld -Wl,--gc-sections -Wl,-S -Wl,--build-id=none -Wl,--no-warn-rwx-segments)
SOURCES=(startup.c main.c clock.c stpm34.c eeprom.c calibration.c energy.c events.c meter.c supply.c image.c led.c
         vbus_usart.c vbus_dispatch.c "$COMMON/vbus_frame.c" crc.c)

build() { # ELF
    local work; work=$(mktemp -d)
    local objects=()
    for s in "${SOURCES[@]}"; do
        local o; o="$work/$(basename "${s%.c}").o"
        $CC "${CFLAGS[@]}" -c "$s" -o "$o"
        objects+=("$o")
    done
    $CC "${CFLAGS[@]}" "${LDFLAGS[@]}" "${objects[@]}" -lc -lgcc -o "$work/fw.elf"
    # the image: every loaded byte from the start of flash up to the CRC word
    $OBJCOPY -O binary -R .image_crc -R .bss "$work/fw.elf" "$work/image.bin"
    local crc; crc=$(gzip -c -n "$work/image.bin" | tail -c 8 | head -c 4 | od -An -tx1 | tr -d ' \n')
    # file offset of .image_crc
    local offset; offset=$($READELF -S -W "$work/fw.elf" \
        | sed -n 's/.*\] \.image_crc  *PROGBITS  *[0-9a-f]*  *\([0-9a-f]*\) .*/\1/p')
    [[ -n $offset ]] || { echo "build.sh: no .image_crc section" >&2; exit 1; }
    printf "$(echo "$crc" | sed 's/../\\x&/g')" | dd of="$work/fw.elf" bs=1 seek=$((16#$offset)) conv=notrunc status=none
    cp "$work/fw.elf" "$1"
    rm -rf "$work"
}

# No include cycles (firmware-common/includes.sh), and the shared codec includes nothing of this firmware.
includes() { ../../firmware-common/includes.sh . "$COMMON"; }

case "${1:-build}" in
    build)
        includes > /dev/null
        mkdir -p "$(dirname "$OUT")"
        build "$OUT"
        echo "metrology.elf built: $(wc -c < "$OUT") bytes"
        ;;
    --includes)
        includes
        ;;
    --check)
        includes | tail -1
        "$COMMON/test.sh"
        tmp=$(mktemp -d)
        trap 'rm -rf "$tmp"' EXIT
        build "$tmp/metrology.elf"
        if ! cmp -s "$tmp/metrology.elf" "$OUT"; then
            echo "DIFFERS: metrology.elf (the rebuilt ELF does not match the committed one)"
            echo "metrology firmware check FAILED"
            exit 1
        fi
        echo "metrology firmware check OK"
        ;;
    *) echo "usage: $0 [--check | --includes]" >&2; exit 2 ;;
esac
