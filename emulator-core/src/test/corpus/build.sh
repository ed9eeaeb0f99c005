#!/usr/bin/env bash
# Builds the MeterTwin firmware corpus and records QEMU's behaviour as golden files.
#
#   ./build.sh            build all ELFs into ../resources/corpus and record goldens
#   ./build.sh --check    rebuild into a temporary directory and compare byte for byte
#                         with the committed ELFs; with QEMU present, also re-run them
#                         and compare with the committed golden output and exit status
#   ./build.sh --elf-only build the ELFs but do not run QEMU
#
# Reproducible by construction: fixed flags and link order, relative source paths
# (-ffile-prefix-map), no __DATE__/__TIME__, no build id, no debug info from the
# host paths. Needs Debian's gcc-arm-none-eabi, libnewlib-arm-none-eabi,
# libstdc++-arm-none-eabi-newlib and, for goldens, qemu-system-arm.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT_DIR="$(cd "$HERE/../resources" && pwd)/corpus"
cd "$HERE"

PROGRAMS=(integer int64 division dsp fpu libc cpp exceptions mpu unpriv bitband sysreset frames recursion alloca)
OPTS=(O0 O2 Os)
FLOATS=(soft hard)
QEMU_TIMEOUT=60

CC=arm-none-eabi-gcc
CXX=arm-none-eabi-g++
QEMU=qemu-system-arm

COMMON=(-mcpu=cortex-m4 -mthumb -Wall -Wextra -Werror
        -ffile-prefix-map="$HERE"=. -ffunction-sections -fdata-sections -I.)
CFLAGS=(-std=gnu11)
CXXFLAGS=(-std=gnu++17)
LDFLAGS=(--specs=rdimon.specs -nostartfiles -T link.ld -Wl,--gc-sections -Wl,-S
         -Wl,--build-id=none -Wl,--no-warn-rwx-segments)

float_flags() {
    case "$1" in
        soft) echo "-mfloat-abi=soft" ;;
        hard) echo "-mfpu=fpv4-sp-d16 -mfloat-abi=hard" ;;
    esac
}

source_of() {
    if [[ -f "$1.cpp" ]]; then echo "$1.cpp"; else echo "$1.c"; fi
}

# build_one PROG OPT FLOAT DEST_DIR
build_one() {
    local prog=$1 opt=$2 fl=$3 dest=$4
    local name="$prog-$opt-$fl"
    local obj="$WORK/$name"
    local src; src=$(source_of "$prog")
    # shellcheck disable=SC2046
    local ff=($(float_flags "$fl"))
    mkdir -p "$obj"
    $CC "${COMMON[@]}" "${CFLAGS[@]}" "${ff[@]}" "-$opt" -c startup.c -o "$obj/startup.o"
    if [[ $src == *.cpp ]]; then
        $CXX "${COMMON[@]}" "${CXXFLAGS[@]}" "${ff[@]}" "-$opt" -c "$src" -o "$obj/$prog.o"
        $CXX "${COMMON[@]}" "${ff[@]}" "-$opt" "${LDFLAGS[@]}" "$obj/startup.o" "$obj/$prog.o" -lm \
            -o "$dest/$name.elf"
    else
        $CC "${COMMON[@]}" "${CFLAGS[@]}" "${ff[@]}" "-$opt" -c "$src" -o "$obj/$prog.o"
        $CC "${COMMON[@]}" "${ff[@]}" "-$opt" "${LDFLAGS[@]}" "$obj/startup.o" "$obj/$prog.o" -lm \
            -o "$dest/$name.elf"
    fi
}

# run_qemu ELF OUT_FILE -> prints exit status
run_qemu() {
    local status=0
    timeout "$QEMU_TIMEOUT" $QEMU -M mps2-an386 -nographic -monitor none -serial none \
        -semihosting -kernel "$1" </dev/null >"$2" 2>/dev/null || status=$?
    echo "$status"
}

toolchain_id() {
    $CC --version | head -1
    $QEMU --version 2>/dev/null | head -1 || echo "qemu: none"
}

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

mode=${1:-build}
case "$mode" in
    build|--elf-only)
        mkdir -p "$OUT_DIR"
        rm -f "$OUT_DIR"/*.elf "$OUT_DIR"/*.out "$OUT_DIR"/*.exit
        for p in "${PROGRAMS[@]}"; do
            for o in "${OPTS[@]}"; do
                for f in "${FLOATS[@]}"; do
                    build_one "$p" "$o" "$f" "$OUT_DIR"
                done
            done
        done
        toolchain_id > "$OUT_DIR/TOOLCHAIN.txt"
        if [[ $mode == build ]]; then
            for elf in "$OUT_DIR"/*.elf; do
                base="${elf%.elf}"
                status=$(run_qemu "$elf" "$base.out")
                if [[ $status == 124 ]]; then
                    echo "TIMEOUT: $(basename "$elf")" >&2
                    exit 1
                fi
                echo "$status" > "$base.exit"
                printf '%-28s exit %-3s %7d bytes out\n' "$(basename "$elf")" "$status" \
                    "$(wc -c < "$base.out")"
            done
        fi
        ;;
    --check)
        fail=0
        mkdir -p "$WORK/elf"
        for p in "${PROGRAMS[@]}"; do
            for o in "${OPTS[@]}"; do
                for f in "${FLOATS[@]}"; do
                    build_one "$p" "$o" "$f" "$WORK/elf"
                    name="$p-$o-$f.elf"
                    if ! cmp -s "$WORK/elf/$name" "$OUT_DIR/$name"; then
                        echo "DIFFERS: $name (rebuilt ELF does not match the committed one)"
                        fail=1
                    fi
                done
            done
        done
        extra=$(comm -13 <(ls "$WORK/elf") <(cd "$OUT_DIR" && ls -- *.elf))
        if [[ -n $extra ]]; then
            echo "NOT BUILT BY THIS SCRIPT: $extra"
            fail=1
        fi
        if command -v $QEMU >/dev/null; then
            for elf in "$WORK"/elf/*.elf; do
                name=$(basename "$elf" .elf)
                # QEMU's SysTick runs on the host clock: on a loaded host the exceptions program can see a
                # tick more than it stopped at. So a golden counts as changed only when three runs differ.
                same=0
                for attempt in 1 2 3; do
                    status=$(run_qemu "$elf" "$WORK/$name.out")
                    if cmp -s "$WORK/$name.out" "$OUT_DIR/$name.out" \
                        && [[ $status == "$(cat "$OUT_DIR/$name.exit")" ]]; then
                        same=1
                        break
                    fi
                done
                if [[ $same != 1 ]]; then
                    echo "GOLDEN DIFFERS: $name (QEMU output or exit status changed in three runs)"
                    fail=1
                fi
            done
        else
            echo "note: $QEMU not found, golden files not re-checked"
        fi
        if [[ $fail != 0 ]]; then
            echo "corpus check FAILED (toolchain here: $(toolchain_id | tr '\n' ';'))"
            echo "committed with: $(tr '\n' ';' < "$OUT_DIR/TOOLCHAIN.txt")"
            exit 1
        fi
        echo "corpus check OK: ${#PROGRAMS[@]} programs, $(ls "$WORK"/elf/*.elf | wc -l) ELFs identical"
        ;;
    *)
        echo "usage: $0 [--check|--elf-only]" >&2
        exit 2
        ;;
esac
