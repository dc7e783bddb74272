#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64 early console: the embedded configuration DTB of a test build is corrupted after the
# build (its structure-block offset pointed past the blob), so the console the DTB names can
# never come up. The early console (CONFIG_EARLY_CONSOLE_PL011_BASE, from Kconfig, no DT)
# must still print why the boot stopped, and the run must end with the panic exit code (3).
. "$(dirname "$0")/lib.sh"

name=arm64_boot_bad_dtb
dir=$(bh_build arm64_boot_kernel qemu_arm64_virt_defconfig tests/system/test.config) || {
    echo "FAIL $name: build failed"
    exit 1
}
bad=$BH_OUT/$name.bin
# The image embeds exactly one FDT (magic d00dfeed); off_dt_struct is the third word.
if ! python3 - "$dir/bulkhead.bin" "$bad" <<'PY'; then
import sys
data = bytearray(open(sys.argv[1], 'rb').read())
at = data.find(bytes.fromhex('d00dfeed'))
if at < 0 or data.find(bytes.fromhex('d00dfeed'), at + 4) >= 0:
    sys.exit('expected exactly one embedded DTB')
data[at + 8:at + 12] = bytes.fromhex('7fffff00')
open(sys.argv[2], 'wb').write(data)
PY
    echo "FAIL $name: could not corrupt the embedded DTB"
    exit 1
fi
log=$BH_OUT/logs/$name.console
bh_qemu 60 "$log" "${bh_arm64_machine[@]}" -kernel "$bad"
bh_verdict "$name" $? 3 "$log" 'PANIC: cpu0: embedded configuration DTB is malformed: EINVAL'
