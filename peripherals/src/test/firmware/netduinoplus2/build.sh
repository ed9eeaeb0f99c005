#!/usr/bin/env bash
# Builds the netduinoplus2 (STM32F405RG) test firmware and records golden output.
#
#   ./build.sh           build every test program (*.c but startup.c) into
#                        ../../resources/firmware/netduinoplus2 and record QEMU goldens
#   ./build.sh --check   rebuild in a temporary directory, compare byte for byte with the committed
#                        ELFs, and (with QEMU present) re-run the QEMU-golden tests and compare
#
# Where the golden comes from is declared on the first line of each test source:
#   /* GOLDEN: qemu */    QEMU's netduinoplus2 models every block the test uses: its output
#                         (semihosting and USART1 merged) and exit status are recorded here.
#   /* GOLDEN: rm0090 */  QEMU lacks a block the test needs: NAME.out/NAME.exit are written by hand
#                         from RM0090, with the section for each line in the test source; this
#                         script only checks that they exist.
# Input for USART1 (QEMU's serial0) comes from NAME.input when present. NAME.vdd (lines "MS VOLTS [NET]") sets
# the board's supply voltage net (or NET, e.g. VBAT) at those virtual times (MeterTwin only: QEMU has no supply).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT_DIR="$(cd "$HERE/../../resources/firmware/netduinoplus2" && pwd)"
cd "$HERE"

CC=arm-none-eabi-gcc
QEMU=qemu-system-arm
QEMU_TIMEOUT=60
CFLAGS=(-mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard -O2 -std=gnu11 -Wall -Wextra -Werror -Wno-override-init
        -ffile-prefix-map="$HERE"=. -ffunction-sections -fdata-sections -I.)
LDFLAGS=(--specs=rdimon.specs -nostartfiles -T link.ld -Wl,--gc-sections -Wl,-S -Wl,--build-id=none
         -Wl,--no-warn-rwx-segments)

tests() {
    for f in *.c; do
        [[ $f == startup.c ]] || echo "${f%.c}"
    done
}

golden_kind() {
    head -1 "$1.c" | sed -n 's#.*GOLDEN: *\([a-z0-9]*\).*#\1#p'
}

build_one() { # NAME DEST_DIR
    local work; work=$(mktemp -d)
    $CC "${CFLAGS[@]}" -c startup.c -o "$work/startup.o"
    $CC "${CFLAGS[@]}" -c "$1.c" -o "$work/$1.o"
    $CC "${CFLAGS[@]}" "${LDFLAGS[@]}" "$work/startup.o" "$work/$1.o" -o "$2/$1.elf"
    rm -rf "$work"
}

run_qemu() { # ELF INPUT OUT -> prints exit status
    local status=0
    # QEMU's USART drops characters that arrive before firmware sets UE and RE, and reads stdin as soon
    # as it starts: input is held back for a second of wall time, long enough for any test to set up.
    { sleep 1; cat "$2"; } | timeout "$QEMU_TIMEOUT" $QEMU -M netduinoplus2 -nographic -monitor none \
        -serial stdio -semihosting -kernel "$1" >"$3" 2>&1 || status=$?
    echo "$status"
}

input_of() {
    if [[ -f "$1.input" ]]; then echo "$HERE/$1.input"; else echo /dev/null; fi
}

mode=${1:-build}
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
fail=0
for t in $(tests); do
    kind=$(golden_kind "$t")
    if [[ $kind != qemu && $kind != rm0090 ]]; then
        echo "$t.c: first line must say /* GOLDEN: qemu */ or /* GOLDEN: rm0090 */" >&2
        exit 2
    fi
    case "$mode" in
        build)
            build_one "$t" "$OUT_DIR"
            cp -f "$t.input" "$OUT_DIR/$t.input" 2>/dev/null || rm -f "$OUT_DIR/$t.input"
            cp -f "$t.vdd" "$OUT_DIR/$t.vdd" 2>/dev/null || rm -f "$OUT_DIR/$t.vdd"
            if [[ $kind == qemu ]]; then
                status=$(run_qemu "$OUT_DIR/$t.elf" "$(input_of "$t")" "$OUT_DIR/$t.out")
                [[ $status == 124 ]] && { echo "TIMEOUT on QEMU: $t" >&2; exit 1; }
                echo "$status" > "$OUT_DIR/$t.exit"
                echo "$t: QEMU golden, exit $status"
            else
                cp -f "$t.out" "$OUT_DIR/$t.out"
                cp -f "$t.exit" "$OUT_DIR/$t.exit"
                echo "$t: RM0090 golden"
            fi
            ;;
        --check)
            build_one "$t" "$WORK"
            if ! cmp -s "$WORK/$t.elf" "$OUT_DIR/$t.elf"; then
                echo "DIFFERS: $t.elf (rebuilt ELF does not match the committed one)"
                fail=1
            fi
            if [[ $kind == qemu ]] && command -v $QEMU >/dev/null; then
                # QEMU's timers follow the host clock: a golden counts as changed only when three runs differ
                same=0
                for attempt in 1 2 3; do
                    status=$(run_qemu "$WORK/$t.elf" "$(input_of "$t")" "$WORK/$t.out")
                    if cmp -s "$WORK/$t.out" "$OUT_DIR/$t.out" && [[ $status == "$(cat "$OUT_DIR/$t.exit")" ]]; then
                        same=1
                        break
                    fi
                done
                if [[ $same != 1 ]]; then
                    echo "GOLDEN DIFFERS: $t (QEMU output or exit status changed in three runs)"
                    fail=1
                fi
            elif [[ $kind == rm0090 ]] && ! cmp -s "$t.out" "$OUT_DIR/$t.out"; then
                echo "DIFFERS: $t.out (the committed golden is not the one next to the source)"
                fail=1
            fi
            ;;
        *) echo "usage: $0 [--check]" >&2; exit 2 ;;
    esac
done
if [[ $mode == --check ]]; then
    [[ $fail == 0 ]] || { echo "netduinoplus2 firmware check FAILED"; exit 1; }
    echo "netduinoplus2 firmware check OK: $(tests | wc -l) programs"
fi
