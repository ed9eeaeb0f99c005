#!/usr/bin/env bash
# Builds the management core's test firmware into ../src/test/resources/firmware/, reproducibly.
#
#   ./build.sh           build the ELFs and record crypto_vectors.out, QEMU's output for crypto_vectors.elf
#   ./build.sh --check   run the vector test natively (cc), rebuild in a temporary directory and compare
#                        byte for byte with the committed ELFs, and (with QEMU present) run
#                        crypto_vectors.elf on QEMU again and compare with the committed output
#
# crypto_vectors.elf (boot/crypto against the published vectors) is linked into the first 128 KiB of
# SRAM so that QEMU's netduinoplus2 machine (an STM32F405: flash at 0x08000000, 192 KiB SRAM) runs the same
# bytes as the management board: it uses nothing but the core and semihosting. board_check.elf reads the
# board's own devices and runs on the management board only.
#
# Needs arm-none-eabi-gcc (Debian gcc-arm-none-eabi, with newlib for memcpy/strlen), cc, and for the golden
# qemu-system-arm.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT_DIR="$HERE/../src/test/resources/firmware"
cd "$HERE"

CC=arm-none-eabi-gcc
QEMU=qemu-system-arm
CFLAGS=(-mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard -O2 -g0 -std=gnu11 -Wall -Wextra -Werror
        -ffile-prefix-map="$HERE"=. -ffunction-sections -fdata-sections -ffreestanding -fno-common -Iboot -Itest)
LDFLAGS=(-nostartfiles -nostdlib -T test/link.ld -Wl,--gc-sections -Wl,-S -Wl,--build-id=none -Wl,--no-warn-rwx-segments)
CRYPTO=(boot/crypto/sha256.c boot/crypto/sha512.c boot/crypto/ed25519.c)

build_one() { # OUT.elf RAM_SIZE SOURCES...
    local elf=$1 ram=$2; shift 2
    local work; work=$(mktemp -d)
    local objects=()
    for s in "$@"; do
        local o; o="$work/$(basename "${s%.c}").o"
        $CC "${CFLAGS[@]}" -c "$s" -o "$o"
        objects+=("$o")
    done
    $CC "${CFLAGS[@]}" "${LDFLAGS[@]}" -Wl,--defsym=RAM_SIZE="$ram" "${objects[@]}" -lc -lgcc -o "$elf"
    rm -rf "$work"
}

build_all() { # DIR
    build_one "$1/crypto_vectors.elf" 128K test/startup.c test/semihost.c test/crypto_vectors.c "${CRYPTO[@]}"
    build_one "$1/board_check.elf" 320K test/startup.c test/semihost.c test/board_check.c
}

run_qemu() { # ELF OUT
    timeout 120 $QEMU -M netduinoplus2 -nographic -monitor none -serial null -semihosting -kernel "$1" >"$2" 2>&1 \
        || echo "exit $?" >>"$2"
}

host_test() {
    local work; work=$(mktemp -d)
    cc -O2 -std=gnu11 -Wall -Wextra -Werror -Iboot -Itest test/crypto_vectors.c test/host_console.c "${CRYPTO[@]}" \
        -o "$work/vectors"
    "$work/vectors" > "$work/out" || { cat "$work/out"; echo "host vector test FAILED"; exit 1; }
    echo "host vector test: $(tail -1 "$work/out")"
    rm -rf "$work"
}

case "${1:-build}" in
    build)
        mkdir -p "$OUT_DIR"
        build_all "$OUT_DIR"
        run_qemu "$OUT_DIR/crypto_vectors.elf" "$OUT_DIR/crypto_vectors.out"
        echo "built: $(cd "$OUT_DIR" && ls *.elf | tr '\n' ' ')- QEMU: $(tail -1 "$OUT_DIR/crypto_vectors.out")"
        ;;
    --check)
        host_test
        tmp=$(mktemp -d)
        trap 'rm -rf "$tmp"' EXIT
        build_all "$tmp"
        fail=0
        for elf in crypto_vectors.elf board_check.elf; do
            if ! cmp -s "$tmp/$elf" "$OUT_DIR/$elf"; then
                echo "DIFFERS: $elf (the rebuilt ELF does not match the committed one)"
                fail=1
            fi
        done
        if command -v $QEMU >/dev/null; then
            run_qemu "$OUT_DIR/crypto_vectors.elf" "$tmp/qemu.out"
            if ! cmp -s "$tmp/qemu.out" "$OUT_DIR/crypto_vectors.out"; then
                echo "DIFFERS: QEMU's output for crypto_vectors.elf"
                diff "$OUT_DIR/crypto_vectors.out" "$tmp/qemu.out" | head -5
                fail=1
            fi
        fi
        [[ $fail == 0 ]] || { echo "management firmware check FAILED"; exit 1; }
        echo "management firmware check OK"
        ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
