#!/usr/bin/env bash
# Builds the file system's board test programs into ../../src/test/resources/firmware/fs/, reproducibly, and
# runs its host tests (docs/file-system.md).
#
#   ./build.sh           build the ELFs
#   ./build.sh --check   build and run the host tests natively (cc: the API, a power cut at every program and
#                        erase call of a workload, the erase spread), then rebuild the ELFs in a temporary
#                        directory and compare byte for byte with the committed ones
#
# Each ELF is fs.c and nor_bd.c with ../boot/nor.c (the W25Q64JV driver, by path), test/board.c and one test
# program, linked by ../test/link.ld for the management board (320 KiB of SRAM) with ../test/startup.c and
# ../test/semihost.c:
#   fs_basic.elf  the API on the W25Q model (FileSystemTest)
#   fs_sweep.elf  the workload a power cut interrupts, and the check after it (FileSystemPowerCutSweepTest)
#   fs_wear.elf   one small file rewritten many times, the erases per sector (FileSystemTest)
# The programs divide the core clock (HCLK = 16 MHz / CLOCK_DIVIDE, SPI1 with it): polling a busy NOR costs
# instructions in proportion to the clock, and the erases are most of the time.
#
# Needs arm-none-eabi-gcc (Debian gcc-arm-none-eabi, with newlib for memcpy, memset, memcmp, strlen, strcmp)
# and cc.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT_DIR="$HERE/../../src/test/resources/firmware/fs"
cd "$HERE"

CC=arm-none-eabi-gcc
FIRMWARE="$(cd .. && pwd)"
CFLAGS=(-mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard -O2 -g0 -std=gnu11 -Wall -Wextra -Werror
        -ffile-prefix-map="$FIRMWARE"=. -ffunction-sections -fdata-sections -ffreestanding -fno-common
        -I. -Itest -I../boot -I../test)
LDFLAGS=(-nostartfiles -nostdlib -Wl,--gc-sections -Wl,-S -Wl,--build-id=none -Wl,--no-warn-rwx-segments)
COMMON=(fs.c nor_bd.c ../boot/nor.c test/board.c ../test/startup.c ../test/semihost.c)

build_one() { # OUT.elf EXTRA_CFLAGS SOURCES...
    local elf=$1 extra=$2; shift 2
    local work; work=$(mktemp -d)
    local objects=()
    for s in "$@"; do
        local o; o="$work/$(basename "${s%.c}").o"
        # shellcheck disable=SC2086
        $CC "${CFLAGS[@]}" $extra -c "$s" -o "$o"
        objects+=("$o")
    done
    $CC "${CFLAGS[@]}" "${LDFLAGS[@]}" -T ../test/link.ld -Wl,--defsym=RAM_SIZE=320K "${objects[@]}" -lc -lgcc -o "$elf"
    rm -rf "$work"
}

build_all() { # DIR
    build_one "$1/fs_basic.elf" "-DCLOCK_DIVIDE=4" "${COMMON[@]}" test/board_basic.c
    build_one "$1/fs_sweep.elf" "-DCLOCK_DIVIDE=8" "${COMMON[@]}" test/board_sweep.c
    build_one "$1/fs_wear.elf" "-DCLOCK_DIVIDE=16" "${COMMON[@]}" test/board_wear.c
}

ELFS=(fs_basic.elf fs_sweep.elf fs_wear.elf)

host_test() {
    local work; work=$(mktemp -d)
    cc -O2 -std=gnu11 -Wall -Wextra -Werror -I. -Itest test/host_test.c test/ram_bd.c fs.c -o "$work/host_test"
    "$work/host_test" > "$work/out" || { cat "$work/out"; echo "fs host tests FAILED"; rm -rf "$work"; exit 1; }
    cat "$work/out"
    rm -rf "$work"
}

case "${1:-build}" in
    build)
        mkdir -p "$OUT_DIR"
        build_all "$OUT_DIR"
        echo "built: $(cd "$OUT_DIR" && ls *.elf | tr '\n' ' ')"
        ;;
    --check)
        host_test
        tmp=$(mktemp -d)
        trap 'rm -rf "$tmp"' EXIT
        build_all "$tmp"
        fail=0
        for elf in "${ELFS[@]}"; do
            if ! cmp -s "$tmp/$elf" "$OUT_DIR/$elf"; then
                echo "DIFFERS: $elf (the rebuilt file does not match the committed one)"
                fail=1
            fi
        done
        [[ $fail == 0 ]] || { echo "fs firmware check FAILED"; exit 1; }
        echo "fs firmware check OK"
        ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
