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
