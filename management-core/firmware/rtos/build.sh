#!/usr/bin/env bash
# Builds the RTOS kernel's test programs into ../../src/test/resources/firmware/rtos/, reproducibly.
#
#   ./build.sh           build the ELFs
#   ./build.sh --check   rebuild in a temporary directory and compare byte for byte with the committed ELFs
#
# kernel_test.elf is the kernel (kernel.c, startup.c, user.c) with test/kernel_test.c, linked by rtos.ld for
# the management board (STM32F413RG: TIM2, 320 KiB of SRAM); it prints through ../test/semihost.c (reused by
# path, with ../test/console.h). kernel_test_short.elf is the same program with the last scenario's sleep
# of 10 ms instead of 10000 (-DLONG_SLEEP_MS=10): KernelTest compares the two runs' instruction counts.
# devices_test.elf is the kernel with test/devices_test.c: the device files (DevicesTest plays the line);
# watchdog_test.elf the supervisor giving up and the IWDG resetting the board (WatchdogTest); loader_test.elf
# the loader with apps/hello.c's image (LoaderTest).
# The product image (product/main.c, services/) goes to ../../src/main/resources/firmware/rtos.{elf,bin}; its
# test variants to the test resources: rtos_crash90.bin (-DCRASH_AT_S=90: the energy app faults once at 90 s),
# rtos_measurement_crash10.bin (-DMEASUREMENT_CRASH_AT_S=10: measurement management faults once at 10 s),
# rtos_hardfault20.bin (-DKERNEL_HARDFAULT_AT_MS=20000: the kernel takes a HardFault), rtos_feeder.bin and
# rtos_noconfirm.bin (platform management's downloads and a trial that never confirms).
#
# Needs arm-none-eabi-gcc (Debian gcc-arm-none-eabi, with newlib for memcpy, memcmp, strcmp).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT_DIR="$HERE/../../src/test/resources/firmware/rtos"
cd "$HERE"

CC=arm-none-eabi-gcc
FIRMWARE="$(cd .. && pwd)"
CFLAGS=(-mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard -O2 -g0 -std=gnu11 -Wall -Wextra -Werror
        -ffile-prefix-map="$FIRMWARE"=. -ffunction-sections -fdata-sections -ffreestanding -fno-common
        -I. -I../test -I../fs -I../boot -I../../../firmware-common/vbus)
LDFLAGS=(-nostartfiles -nostdlib -Wl,--gc-sections -Wl,-S -Wl,--build-id=none -Wl,--no-warn-rwx-segments)
KERNEL=(startup.c kernel.c process.c files.c loader.c dev_uart.c dev_board.c ../fs/fs.c ../fs/nor_bd.c ../boot/nor.c user.c ../test/semihost.c)

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
    $CC "${CFLAGS[@]}" "${LDFLAGS[@]}" -T rtos.ld "${objects[@]}" -lc -lgcc -o "$elf"
    rm -rf "$work"
}

APP_CFLAGS=(-fPIC -msingle-pic-base -mpic-register=r9 -mno-pic-data-is-text-relative)

build_app() { # WORK NAME STACK PRIORITY SOURCES...: WORK/NAME.app, a loader image (apps/pack.c)
    # APP_EXTRA (the caller's): more compiler flags, and linker flags (the energy app: --gc-sections, -lc)
    local work=$1 name=$2 stack=$3 priority=$4; shift 4
    local objects=()
    for s in "$@"; do
        local o; o="$work/app-$(basename "${s%.c}").o"
        # shellcheck disable=SC2086
        $CC "${CFLAGS[@]}" "${APP_CFLAGS[@]}" ${APP_EXTRA:-} -c "$s" -o "$o"
        objects+=("$o")
    done
    # shellcheck disable=SC2086
    $CC "${CFLAGS[@]}" -nostartfiles -nostdlib -Wl,-q -Wl,--build-id=none -Wl,--no-warn-rwx-segments -T apps/app.ld \
        "${objects[@]}" ${APP_LIBS:-} -lgcc -o "$work/$name.elf"
    arm-none-eabi-objcopy -O binary -j .text "$work/$name.elf" "$work/$name.text"
    arm-none-eabi-objcopy -O binary -j .data "$work/$name.elf" "$work/$name.data"
    sym() { arm-none-eabi-nm "$work/$name.elf" | awk -v s="$1" '$3 == s { print "0x" $1 }'; }
    cc -O2 -o "$work/pack" apps/pack.c
    "$work/pack" "$work/$name.app" "$work/$name.elf" "$work/$name.text" "$work/$name.data" \
        $(( $(sym _bss_end) - 0x10000000 )) $(( $(sym _got_end) - $(sym _got_start) )) \
        $(( $(sym _got_start) - 0x10000000 )) \
        $(( $(sym app_main) | 1 )) "$stack" "$priority" "$(sym app_manifest)" "$name"
}

build_all() { # DIR
    build_one "$1/kernel_test.elf" "" "${KERNEL[@]}" test/kernel_test.c
    build_one "$1/kernel_test_short.elf" "-DLONG_SLEEP_MS=10" "${KERNEL[@]}" test/kernel_test.c
    build_one "$1/devices_test.elf" "" "${KERNEL[@]}" test/devices_test.c
    build_one "$1/watchdog_test.elf" "" "${KERNEL[@]}" test/watchdog_test.c
    local apps; apps=$(mktemp -d)
    build_app "$apps" hello 1024 12 apps/hello.c user.c
    build_one "$1/loader_test.elf" "-DHELLO_APP=\"$apps/hello.app\"" "${KERNEL[@]}" test/loader_test.c
    rm -rf "$apps"
}

ELFS=(kernel_test.elf kernel_test_short.elf devices_test.elf watchdog_test.elf loader_test.elf)
PRODUCT_OUT="$HERE/../../src/main/resources/firmware"
# the product image: the kernel with its bundled processes (product/main.c), its console on USART1
PRODUCT=(startup.c kernel.c process.c files.c loader.c dev_uart.c dev_board.c ../fs/fs.c ../fs/nor_bd.c ../boot/nor.c
         ../boot/records.c ../boot/result_log.c user.c product/console_uart.c product/main.c
         ../../../firmware-common/vbus/vbus_frame.c services/services.c services/router.c services/measurement.c
         services/comm.c services/platform.c update.c ../boot/image/image.c
         ../boot/crypto/sha256.c ../boot/crypto/sha512.c ../boot/crypto/ed25519.c)

build_product() { # DIR [EXTRA_CFLAGS NAME]: NAME.elf and NAME.bin (rtos by default), the body bytes an image is signed over
    local dir=$1 extra=${2:-} name=${3:-rtos}
    local work; work=$(mktemp -d)
    local objects=()
    # the energy app, a loaded application (services/energy_app.c with services.c's helpers, memcpy and strlen
    # from newlib), built with the variant's flags (the crash variant's reach the app) and carried as data
    APP_EXTRA="$extra" APP_LIBS="-Wl,--gc-sections -Wl,--undefined=app_manifest -lc" \
        build_app "$work" energy-app 1024 20 services/energy_app.c services/services.c
    # the bootloader's public key (its build.sh's key file), for platform management's download check
    echo "const unsigned char BOOT_PUBLIC_KEY[32] = {$(sed 's/#.*//' ../boot/keys/test-ed25519.pub | tr -d ' \t\r\n' \
        | sed 's/../0x&, /g; s/, $//')};" > "$work/public_key.c"
    for s in "${PRODUCT[@]}" "$work/public_key.c"; do
        local o; o="$work/$(basename "${s%.c}").o"
        # shellcheck disable=SC2086
        $CC "${CFLAGS[@]}" $extra -DENERGY_APP_IMAGE="\"$work/energy-app.app\"" -c "$s" -o "$o"
        objects+=("$o")
    done
    $CC "${CFLAGS[@]}" "${LDFLAGS[@]}" -T product/product.ld "${objects[@]}" -lc -lgcc -o "$work/$name.elf"
    arm-none-eabi-objcopy -O binary "$work/$name.elf" "$dir/$name.bin"
    if [[ $name == rtos ]]; then
        cp "$work/$name.elf" "$dir/$name.elf"
    fi
    rm -rf "$work"
}

# the crash variant (a test resource): the energy app stores into kernel memory once, at 90 s of uptime
build_variants() { # DIR
    build_product "$1" "-DCRASH_AT_S=90" rtos_crash90
    build_product "$1" "-DMEASUREMENT_CRASH_AT_S=10" rtos_measurement_crash10
    # the kernel's HardFault variant: at 20 s of uptime (not after a watchdog reset) the kernel faults
    build_product "$1" "-DKERNEL_HARDFAULT_AT_MS=20000" rtos_hardfault20
    # platform management's downloads: a feeder process drives /pipe/platform with an image staged in flash
    build_product "$1" "-DPLATFORM_FEEDER" rtos_feeder
    # ... and an image that never confirms its trial (it waits for a process that does not exist)
    build_product "$1" "-DPLATFORM_NEED_MISSING" rtos_noconfirm
}
VARIANTS=(rtos_crash90.bin rtos_measurement_crash10.bin rtos_hardfault20.bin rtos_feeder.bin rtos_noconfirm.bin)

case "${1:-build}" in
    build)
        mkdir -p "$OUT_DIR"
        build_all "$OUT_DIR"
        build_product "$PRODUCT_OUT"
        build_variants "$OUT_DIR"
        echo "built: $(cd "$OUT_DIR" && ls *.elf | tr '\n' ' ') rtos.elf rtos.bin ${VARIANTS[*]}"
        ;;
    --check)
        tmp=$(mktemp -d)
        trap 'rm -rf "$tmp"' EXIT
        build_all "$tmp"
        build_product "$tmp"
        build_variants "$tmp"
        fail=0
        for elf in "${ELFS[@]}" "${VARIANTS[@]}"; do
            if ! cmp -s "$tmp/$elf" "$OUT_DIR/$elf"; then
                echo "DIFFERS: $elf (the rebuilt file does not match the committed one)"
                fail=1
            fi
        done
        for f in rtos.elf rtos.bin; do
            if ! cmp -s "$tmp/$f" "$PRODUCT_OUT/$f"; then
                echo "DIFFERS: $f (the rebuilt file does not match the committed one)"
                fail=1
            fi
        done
        [[ $fail == 0 ]] || { echo "rtos firmware check FAILED"; exit 1; }
        echo "rtos firmware check OK"
        ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
