#!/usr/bin/env bash
# Builds gdbdemo.elf (test resource of GdbDifferentialTest) with the corpus's startup code and linker script.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"
arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard -O0 -g -std=gnu11 -Wall -Wextra \
    -ffile-prefix-map="$HERE"=. -I../../corpus --specs=rdimon.specs -nostartfiles -T ../../corpus/link.ld \
    -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
    -o ../../resources/gdb/gdbdemo.elf gdbdemo.c ../../corpus/startup.c
