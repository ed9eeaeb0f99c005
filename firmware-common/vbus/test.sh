#!/usr/bin/env bash
# Host test of the virtual-bus frame codec: compiles vbus_frame.c with the host's C compiler and runs
# test/vbus_frame_test.c (frames from docs/virtual-bus.md). Every firmware that builds the codec runs this
# from its build.sh --check. Needs a host cc (Debian gcc with libc6-dev).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"${HOST_CC:-cc}" -std=gnu11 -Wall -Wextra -Werror -I"$HERE" "$HERE/vbus_frame.c" "$HERE/test/vbus_frame_test.c" \
    -o "$work/vbus_frame_test"
"$work/vbus_frame_test"
