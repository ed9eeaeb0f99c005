#!/usr/bin/env bash
# Builds the management core's bootloader into ../src/main/resources/firmware/bootloader.elf and its test
# firmware into ../src/test/resources/firmware/, reproducibly.
#
#   ./build.sh           build the ELFs and record crypto_vectors.out, QEMU's output for crypto_vectors.elf
#   ./build.sh --check   run the vector test natively (cc), rebuild in a temporary directory and compare
#                        byte for byte with the committed ELFs, and (with QEMU present) run
#                        crypto_vectors.elf on QEMU again and compare with the committed output
#
# crypto_vectors.elf (boot/crypto against the published vectors) is linked into the first 128 KiB of
# SRAM so that QEMU's netduinoplus2 machine (an STM32F405: flash at 0x08000000, 192 KiB SRAM) runs the same
# bytes as the management board: it uses nothing but the core and semihosting. board_check.elf reads the
# board's own devices and runs on the management board only. gdbdemo.elf (emulator-core's gdbdemo.c, by
# path, with test/gdbdemo_board.c for its exit) is built the same way for 128 KiB but -O0 -g, its debug
# information kept, for ManagementGdbDifferentialTest (gdb against the board and against QEMU).
#
# bootloader.elf (boot/*.c, linked at 0x08000000 into sectors 0-1) has the Ed25519 public key images must
# be signed for built in, as a C array generated from a key file: BOOT_PUBLIC_KEY=FILE ./build.sh, where
# FILE holds the 32-byte key as 64 hex digits ('#' comments allowed) or as a PEM "PUBLIC KEY"
# (SubjectPublicKeyInfo, RFC 8410). Without it, boot/keys/test-ed25519.pub: RFC 8032 TEST 1's key, whose
# secret key is published - a test key. --check always builds with the test key.
# app_report.elf/.bin is the test application, linked as an image body at 0x08020200 (the .bin is what
# the tests sign into images). app_download.elf/.bin is app_report plus the download write (test/app_download.c:
# the image taken from a staging area in flash sector 4, a test stand-in), for DownloadPowerCutSweepTest.
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
LDFLAGS=(-nostartfiles -nostdlib -Wl,--gc-sections -Wl,-S -Wl,--build-id=none -Wl,--no-warn-rwx-segments)
CRYPTO=(boot/crypto/sha256.c boot/crypto/sha512.c boot/crypto/ed25519.c)
BOOT=(boot/startup.c boot/boot.c boot/image/image.c boot/journal.c boot/slots.c boot/flash.c boot/nor.c boot/records.c boot/result_log.c boot/uart.c
      "${CRYPTO[@]}")
TEST_KEY=boot/keys/test-ed25519.pub
BOOT_OUT="$HERE/../src/main/resources/firmware"
GDBDEMO_DIR=../../emulator-core/src/test/firmware/gdb # gdbdemo.c, shared with emulator-core's gdb test

build_one() { # OUT.elf LINKER_SCRIPT RAM_SIZE SOURCES...
    local elf=$1 script=$2 ram=$3; shift 3
    local work; work=$(mktemp -d)
    local objects=()
    for s in "$@"; do
        local o; o="$work/$(basename "${s%.c}").o"
        local generated=() # a source generated in a temporary directory: its name must not reach the ELF
        [[ $s == /* ]] && generated=(-ffile-prefix-map="$(dirname "$s")"=gen)
        $CC "${CFLAGS[@]}" "${generated[@]}" -c "$s" -o "$o"
        objects+=("$o")
    done
    $CC "${CFLAGS[@]}" "${LDFLAGS[@]}" -T "$script" -Wl,--defsym=RAM_SIZE="$ram" "${objects[@]}" -lc -lgcc -o "$elf"
    rm -rf "$work"
}

build_debug() { # OUT.elf LINKER_SCRIPT RAM_SIZE SOURCES...: build_one at -O0 -g, the debug information kept
    # (no --gc-sections, whose discarded functions would stay in DWARF at address 0); gdbdemo.c's directory
    # is dropped from its name so that gdb names it gdbdemo.c, as in emulator-core's gdbdemo.elf
    local CFLAGS=("${CFLAGS[@]}" -O0 -g -ffile-prefix-map="$GDBDEMO_DIR"/=) # the last -O and -g count
    local LDFLAGS=(-nostartfiles -nostdlib -Wl,--build-id=none -Wl,--no-warn-rwx-segments)
    build_one "$@"
}

fail_key() { echo "$1: $2" >&2; exit 2; }

# KEY_FILE OUT.c: the key as the C array BOOT_PUBLIC_KEY (public_key.h)
key_source() {
    local file=$1 hex
    [[ -r $file ]] || fail_key "$file" "cannot read the public key file"
    if grep -q -- '-----BEGIN PUBLIC KEY-----' "$file"; then
        hex=$(sed -n '/-----BEGIN PUBLIC KEY-----/,/-----END PUBLIC KEY-----/p' "$file" | grep -v -- '-----' \
              | base64 -d 2>/dev/null | od -An -v -tx1 | tr -d ' \n') || fail_key "$file" "PEM body is not base64"
        # RFC 8410: SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING (32 bytes) } = 12-byte prefix + key
        [[ ${#hex} == 88 && ${hex:0:24} == 302a300506032b6570032100 ]] \
            || fail_key "$file" "not an Ed25519 public key (expected the 44-byte SubjectPublicKeyInfo of RFC 8410)"
        hex=${hex:24}
    else
        hex=$(sed 's/#.*//' "$file" | tr -d ' \t\r\n')
        [[ $hex =~ ^[0-9a-fA-F]{64}$ ]] || fail_key "$file" "expected 64 hex digits (a 32-byte Ed25519 public key), got ${#hex} characters"
    fi
    {
        echo "/* generated by build.sh from the key file $(basename "$file") */"
        echo '#include "public_key.h"'
        echo "const uint8_t BOOT_PUBLIC_KEY[32] = {$(echo "$hex" | sed 's/../0x&, /g; s/, $//')};"
    } > "$2"
}

build_bootloader() { # OUT.elf KEY_FILE
    local gen; gen=$(mktemp -d)
    key_source "$2" "$gen/public_key.c"
    build_one "$1" boot/boot.ld 320K "${BOOT[@]}" "$gen/public_key.c"
    rm -rf "$gen"
    local size; size=$(arm-none-eabi-size -A "$1" | awk '$1 == ".text" || $1 == ".data" {n += $2} END {print n}')
    (( size <= 32768 )) || { echo "bootloader.elf: $size bytes of flash, more than sectors 0-1 (32 KiB)" >&2; exit 1; }
}

build_all() { # DIR BOOT_DIR KEY_FILE
    build_one "$1/crypto_vectors.elf" test/link.ld 128K test/startup.c test/semihost.c test/crypto_vectors.c "${CRYPTO[@]}"
    build_one "$1/tou_vectors.elf" test/link.ld 128K test/startup.c test/semihost.c test/tou_vectors.c \
        rtos/apps/basic/tou.c
    build_one "$1/board_check.elf" test/link.ld 320K test/startup.c test/semihost.c test/board_check.c
    build_debug "$1/gdbdemo.elf" test/link.ld 128K test/startup.c test/semihost.c test/gdbdemo_board.c \
        "$GDBDEMO_DIR/gdbdemo.c"
    build_one "$1/app_report.elf" test/app.ld 320K test/startup.c test/semihost.c test/app_report.c boot/nor.c boot/records.c boot/result_log.c
    arm-none-eabi-objcopy -O binary "$1/app_report.elf" "$1/app_report.bin"
    build_one "$1/app_download.elf" test/app.ld 320K test/startup.c test/semihost.c test/app_download.c boot/nor.c boot/records.c boot/result_log.c
    arm-none-eabi-objcopy -O binary "$1/app_download.elf" "$1/app_download.bin"
    build_bootloader "$2/bootloader.elf" "$3"
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
        key_source "${BOOT_PUBLIC_KEY:-$TEST_KEY}" /dev/null # a bad key file stops the build before it starts
        mkdir -p "$OUT_DIR" "$BOOT_OUT"
        build_all "$OUT_DIR" "$BOOT_OUT" "${BOOT_PUBLIC_KEY:-$TEST_KEY}"
        run_qemu "$OUT_DIR/crypto_vectors.elf" "$OUT_DIR/crypto_vectors.out"
        run_qemu "$OUT_DIR/tou_vectors.elf" "$OUT_DIR/tou_vectors.out"
        echo "built: bootloader.elf ($(arm-none-eabi-size -A "$BOOT_OUT/bootloader.elf" | awk '$1 == ".text" || $1 == ".data" {n += $2} END {print n}') bytes of flash), $(cd "$OUT_DIR" && ls *.elf | tr '\n' ' ')- QEMU: $(tail -1 "$OUT_DIR/crypto_vectors.out")"
        ;;
    --check)
        host_test
        tmp=$(mktemp -d)
        trap 'rm -rf "$tmp"' EXIT
        build_all "$tmp" "$tmp" "$TEST_KEY"
        fail=0
        for elf in crypto_vectors.elf tou_vectors.elf board_check.elf gdbdemo.elf app_report.elf app_report.bin app_download.elf app_download.bin; do
            if ! cmp -s "$tmp/$elf" "$OUT_DIR/$elf"; then
                echo "DIFFERS: $elf (the rebuilt file does not match the committed one)"
                fail=1
            fi
        done
        if ! cmp -s "$tmp/bootloader.elf" "$BOOT_OUT/bootloader.elf"; then
            echo "DIFFERS: bootloader.elf (the rebuilt ELF, with the test key, does not match the committed one)"
            fail=1
        fi
        if command -v $QEMU >/dev/null; then
            run_qemu "$OUT_DIR/crypto_vectors.elf" "$tmp/qemu.out"
            if ! cmp -s "$tmp/qemu.out" "$OUT_DIR/crypto_vectors.out"; then
                echo "DIFFERS: QEMU's output for crypto_vectors.elf"
                diff "$OUT_DIR/crypto_vectors.out" "$tmp/qemu.out" | head -5
                fail=1
            fi
            run_qemu "$OUT_DIR/tou_vectors.elf" "$tmp/tou.out"
            if ! cmp -s "$tmp/tou.out" "$OUT_DIR/tou_vectors.out"; then
                echo "DIFFERS: QEMU's output for tou_vectors.elf"
                diff "$OUT_DIR/tou_vectors.out" "$tmp/tou.out" | head -5
                fail=1
            fi
        fi
        [[ $fail == 0 ]] || { echo "management firmware check FAILED"; exit 1; }
        echo "management firmware check OK"
        ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
