# SPDX-License-Identifier: Apache-2.0
#
# Sourced by the tools/ scripts that keep downloaded Debian payloads (fetch_linux.sh,
# fetch_uboot_rpi.sh): where that cache lives, always outside the tree.
#   $BULKHEAD_CACHE, else /var/cache/bulkhead as root, else $XDG_CACHE_HOME/bulkhead
#   (default ~/.cache/bulkhead).
cache_root() {
    if [ -n "${BULKHEAD_CACHE:-}" ]; then
        echo "$BULKHEAD_CACHE"
    elif [ "$(id -u)" -eq 0 ]; then
        echo /var/cache/bulkhead
    else
        echo "${XDG_CACHE_HOME:-$HOME/.cache}/bulkhead"
    fi
}

# cache_start TOOL DIR ARG FILE...: the common front of a fetch script. DIR is complete when
# every FILE (relative to DIR) is there and not empty. ARG is the script's option: --dir
# prints DIR, --check says whether DIR is complete (with the first missing file), both exit;
# none exits 0 when DIR is complete already; --refresh returns so that the caller fetches
# again. Anything else is a usage error (exit 2, USAGE from the caller's environment).
cache_start() {
    local tool=$1 dir=$2 arg=$3 f missing=
    shift 3
    for f in "$@"; do
        [ -s "$dir/$f" ] || { missing=$f; break; }
    done
    case $arg in
    --dir) echo "$dir"; exit 0 ;;
    --check)
        [ -z "$missing" ] && exit 0
        echo "$tool: $dir/$missing missing" >&2
        exit 1
        ;;
    --refresh) ;;
    "") [ -n "$missing" ] || { echo "$tool: $dir complete ($(head -n 1 "$dir/VERSION"))"; exit 0; } ;;
    *) echo "usage: ${USAGE:-$tool [--check|--dir|--refresh]}" >&2; exit 2 ;;
    esac
}
