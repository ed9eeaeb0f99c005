#!/usr/bin/env bash
# Record the differential fuzz corpus: generate cases, build the batch ELFs with arm-none-eabi-gcc,
# run each on QEMU (the reference) and store ELFs + QEMU output under src/test/resources/fuzz/.
#
#   emulator-core/src/test/fuzz/record.sh [--seed N] [--cases N] [--batch N] [--out DIR]
#   emulator-core/src/test/fuzz/record.sh --check   # record again elsewhere, require identical files
#
# Needs: a JDK 17, arm-none-eabi-gcc, qemu-system-arm (7.2 recorded the committed corpus).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
CORE="$(cd "$HERE/../../.." && pwd)"                  # emulator-core
SEED=1
CASES=24000
BATCH=500
OUT="$CORE/src/test/resources/fuzz"
while [ $# -gt 0 ]; do
    case "$1" in
        --seed) SEED="$2"; shift 2 ;;
        --cases) CASES="$2"; shift 2 ;;
        --batch) BATCH="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --check) CHECK=1; shift ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if [ "${CHECK:-0}" = 1 ]; then
    # the committed corpus must be what this generator, harness and QEMU make from its manifest
    M="$OUT/manifest.properties"
    get() { sed -n "s/^$1=//p" "$M"; }
    "$0" --seed "$(get seed)" --cases "$(get cases)" --batch "$(get batch.size)" --out "$WORK/check" >/dev/null
    # encodings.txt (the reference table of encodings) lives there too, but is written by hand
    if diff -r -x encodings.txt "$WORK/check" "$OUT" >/dev/null; then
        echo "fuzz corpus in $OUT is reproducible"
        exit 0
    fi
    diff -rq -x encodings.txt "$WORK/check" "$OUT" >&2 || true
    echo "fuzz corpus in $OUT differs from what record.sh makes now: record it again" >&2
    exit 1
fi

# 1. the generator: plain javac over the package's non-test sources (no Maven, no dependencies)
SRC="$CORE/src/test/java/org/metertwin/core/fuzz"
mkdir -p "$WORK/classes" "$WORK/gen"
javac -d "$WORK/classes" $(ls "$SRC"/*.java | grep -v 'Test\.java$')
java -cp "$WORK/classes" org.metertwin.core.fuzz.FuzzGen --seed "$SEED" --cases "$CASES" --batch "$BATCH" --out "$WORK/gen"

# 2. the harness, compiled once; reproducible: no debug info, no paths, no timestamps
H="$HERE/harness"
CF=(-mcpu=cortex-m4 -mthumb -mfloat-abi=soft)
arm-none-eabi-gcc "${CF[@]}" -O2 -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns \
    -Wall -Wextra -Werror -c "$H/harness.c" -o "$WORK/harness.o"
arm-none-eabi-gcc "${CF[@]}" -c "$H/startup.S" -o "$WORK/startup.o"

mkdir -p "$OUT"
rm -f "$OUT"/batch_*.elf "$OUT"/batch_*.cases.gz "$OUT"/batch_*.qemu.gz
faults=0
for S in "$WORK"/gen/batch_*.S; do
    stem="$(basename "$S" .S)"
    arm-none-eabi-gcc "${CF[@]}" -c "$S" -o "$WORK/$stem.o"
    arm-none-eabi-gcc "${CF[@]}" -nostdlib -Wl,--build-id=none -T "$H/link.ld" \
        "$WORK/startup.o" "$WORK/harness.o" "$WORK/$stem.o" -o "$WORK/$stem.elf"
    arm-none-eabi-strip --strip-debug "$WORK/$stem.elf"
    # semihosting console to a file (by default QEMU writes it to stderr)
    timeout 300 qemu-system-arm -M mps2-an386 -display none -monitor none -serial none \
        -chardev file,id=sh,path="$WORK/$stem.raw" -semihosting-config enable=on,target=native,chardev=sh \
        -kernel "$WORK/$stem.elf" </dev/null
    tr -d '\r' < "$WORK/$stem.raw" > "$WORK/$stem.qemu"
    want=$(wc -l < "$WORK/gen/$stem.cases")
    got=$(wc -l < "$WORK/$stem.qemu")
    if [ "$want" != "$got" ]; then
        echo "$stem: QEMU printed $got lines for $want cases" >&2
        exit 1
    fi
    f=$(grep -c FAULT "$WORK/$stem.qemu" || true)
    faults=$((faults + f))
    install -m 644 "$WORK/$stem.elf" "$OUT/"
    # append objdump's disassembly to each metadata line: "... | NAME hex ; ... || disassembly"
    arm-none-eabi-objdump -d "$WORK/$stem.elf" | awk -f "$HERE/disasm.awk" > "$WORK/$stem.dis"
    awk -F'\t' 'NR == FNR { d[$1] = $2; next } { print $0 " || " d[substr($0, 1, 5)] }' \
        "$WORK/$stem.dis" "$WORK/gen/$stem.cases" > "$WORK/$stem.cases"
    gzip -n -9 -c "$WORK/$stem.cases" > "$OUT/$stem.cases.gz"
    gzip -n -9 -c "$WORK/$stem.qemu" > "$OUT/$stem.qemu.gz"
    echo "$stem: $got cases, $f faults"
done
{
    cat "$WORK/gen/manifest.properties"
    echo "qemu.version=$(qemu-system-arm --version | head -1)"
    echo "qemu.faults=$faults"
} > "$OUT/manifest.properties"
echo "recorded $CASES cases ($faults faulting on QEMU) into $OUT"
du -sh "$OUT"
