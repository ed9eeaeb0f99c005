#!/usr/bin/env bash
# The include graph of a firmware, by module (a module is x.c with its x.h): prints each module and the
# project modules whose headers it includes (in x.c or x.h), and fails when the graph has a cycle, or when
# a file of firmware-common includes a header from outside firmware-common (shared code must not depend on
# one firmware's board or data).
#
#   firmware-common/includes.sh DIR...     the firmware's source directories, firmware-common/vbus included
#
# Needs sed, awk, sort and tsort (coreutils), no Python.
set -euo pipefail
COMMON="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

files=()
for d in "$@"; do
    files+=("$d"/*.c "$d"/*.h)
done

# the project headers: quoted includes of a header found in one of the directories
known=" "
for f in "${files[@]}"; do
    [[ $f == *.h ]] && known+="$(basename "$f") "
done

edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
status=0
for f in "${files[@]}"; do
    [[ -f $f ]] || continue
    m=$(basename "$f"); m=${m%.*}
    echo "$m $m" >> "$edges"                           # every module is a node, even without includes
    for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
        case "$known" in
            *" $h "*) ;;
            *) echo "includes.sh: $f includes \"$h\", which is no project header" >&2; status=1; continue ;;
        esac
        if [[ "$(cd "$(dirname "$f")" && pwd)" == "$COMMON"* && ! -f "$(dirname "$f")/$h" ]]; then
            echo "includes.sh: $f (shared) includes \"$h\" from outside firmware-common" >&2
            status=1
        fi
        [[ ${h%.h} != "$m" ]] && echo "${h%.h} $m" >> "$edges"   # m depends on the header's module
    done
done

# A header is its module's interface only if the .c of the same name defines it: a header with no such .c
# that declares functions or variables would hide who implements them (and the edges to that file).
for f in "${files[@]}"; do
    [[ $f == *.h && ! -f ${f%.h}.c ]] || continue
    if grep -E '^extern[[:space:]]|^[A-Za-z_][A-Za-z0-9_ *]*\(.*\);[[:space:]]*$' "$f" | grep -vq '^static'; then
        echo "includes.sh: $f declares functions or variables but there is no $(basename "${f%.h}").c" >&2
        status=1
    fi
done

# the graph, one line per module: what it includes
while read -r m; do
    printf '%-14s %s\n' "$m:" "$(awk -v m="$m" '$2 == m && $1 != m {print $1}' "$edges" | sort -u | tr '\n' ' ')"
done < <(awk '{print $2}' "$edges" | sort -u)

if ! tsort "$edges" > /dev/null; then
    echo "includes.sh: the include graph has a cycle (tsort lists its modules above)" >&2
    status=1
fi
[[ $status == 0 ]] && echo "include graph: no cycles"
exit $status
