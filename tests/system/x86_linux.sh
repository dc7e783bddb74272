#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# A real Linux guest on x86 (tests/system/layouts/x86_linux.dtsi): Debian's amd64 kernel (the
# PVH vmlinux from the tools/setup cache) with the busybox initramfs (guests/linux/init_x86.sh)
# boots on two vCPUs beside the bare-metal peer (guests/x86/linux_peer.c). One boot checks:
#  - Linux reaches user space; from there, both CPUs online and the local APIC timer
#    interrupt count (the virtual x2APIC's TSC-deadline timer, arch/x86/vapic.c) rising on
#    each;
#  - 8 checksummed messages exchanged both ways with the peer over the shared region, which
#    Linux maps through /dev/mem (an E820 reserved hole), the peer's heartbeat running;
#  - no host physical address in what the guest sees: every ACPI table Linux exports (/init
#    dumps /sys/firmware/acpi/tables in hex; every 4- and 8-byte little-endian value at each
#    4-byte-aligned offset outside the header's text, every AML integer constant) and every address the kernel printed from the firmware interface
#    (BIOS-e820 map, ACPI table addresses, RAMDISK) lies outside the host ranges the
#    hypervisor's partition table printed (partition memory, shared memory, image staging),
#    and every e820 entry lies inside the partition's guest ranges. The layout puts those
#    host ranges where no guest address of the Linux partition is, so any hit is a leak;
#  - the kernel reports no warning, oops, BUG or panic;
#  - Linux powers off, the peer stops with its verdict, the test monitor exits with PASS.
#
# Skipped (counted, with the reason) only when the kernel cache is missing and CI is unset;
# under CI=true a missing cache fails.
. "$(dirname "$0")/lib.sh"

name=x86_linux
if ! "$BH_TOP/tools/fetch_linux.sh" --arch x86_64 --check >/dev/null 2>&1; then
    if [ "${CI:-}" = true ]; then
        echo "FAIL $name: the Linux kernel cache is missing ($("$BH_TOP/tools/fetch_linux.sh" --arch x86_64 --dir)); run tools/setup"
        exit 1
    fi
    echo "SKIP $name: no Debian kernel in $("$BH_TOP/tools/fetch_linux.sh" --arch x86_64 --dir) (run tools/setup)"
    exit 0
fi
dir=$(bh_build "$name" qemu_x86_64_q35_defconfig tests/system/layouts/x86_linux.config) || {
    echo "FAIL $name: build failed"
    exit 1
}
mapfile -t boot < <("$BH_TOP/tools/qemu_x86.sh" --print-args kernel "$dir")
log=$BH_OUT/logs/$name.console
# Linux's boot under TCG takes minutes on a loaded machine (about 2 with two idle cores).
bh_qemu "${BH_X86_LINUX_SECS:-900}" "$log" "${bh_x86_machine[@]}" -no-reboot "${boot[@]}"
status=$?
rc=0
bh_verdict "$name" "$status" "$BH_X86_PASS" "$log" \
    'linux: .*Linux version .*' \
    'linux: .*ACPI: XSDT 0x[0-9A-F]+ .*' \
    'linux: .*smp: Brought up 1 node, 2 CPUs' \
    'linux: .*clocksource: Switched to clocksource tsc.*' \
    'linux: .*Run /init as init process' \
    'linux: linux-test: acpi tables dumped' \
    'linux: linux-test: CPUs online: 0-1' \
    'linux: linux-test: local timer interrupts: CPU0 [0-9]+ -> [0-9]+, CPU1 [0-9]+ -> [0-9]+' \
    'linux: linux-test: 8 messages exchanged with the peer, checksums good' \
    'linux: linux-test: peer heartbeat [0-9]+ -> [0-9]+' 'linux: linux-test: PASS' \
    'peer: ready, polling "linux-peer" at 0x20000000' \
    'peer: answered 8 messages, checksums good' 'peer: guest: PASS' \
    'partition 1 "linux" vcpu [01]: system off' 'monitor: all partitions stopped, PASS' || rc=1

# Kernel trouble anywhere on the console fails the run, even when user space passed.
bad=$(grep -E '^linux: .*(WARNING:|Oops|BUG[: ]|Kernel panic|Call Trace)' "$log.lines" | head -5)
if [ -n "$bad" ]; then
    echo "FAIL ${name}_kernel_clean: the kernel reported trouble:"
    printf '%s\n' "$bad" | sed 's/^/    | /'
    rc=1
else
    echo "PASS ${name}_kernel_clean"
fi

# No host physical address in anything the guest sees (see the file comment).
if out=$(python3 - "$log.lines" 2>&1 <<'EOF'
import re, sys

lines = open(sys.argv[1], errors="replace").read().splitlines()
size_units = {"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}
host, guest = [], []
part = None
for l in lines:
    m = re.match(r'  partition \d+ "([^"]+)":', l)
    if m:
        part = m.group(1)
        continue
    m = re.match(r'    (?:memory|shm)\s.*?\bguest (0x[0-9a-f]+)  host (0x[0-9a-f]+)  (\d+) (KiB|MiB|GiB)', l)
    if m:
        size = int(m.group(3)) * size_units[m.group(4)]
        host.append((int(m.group(2), 16), size))
        if part == "linux":
            guest.append((int(m.group(1), 16), size))
        continue
    m = re.match(r'    (?:image|initrd)  .* \((\d+) bytes staged at (0x[0-9a-f]+),', l)
    if m:
        host.append((int(m.group(2), 16), int(m.group(1))))
if not host or not guest:
    sys.exit("the partition table (host and guest ranges) is not on the console")
# Host ranges that some guest range of the Linux partition overlaps are ambiguous; the
# layout has none, and the check refuses to run on a layout that has.
for hb, hs in host:
    for gb, gs in guest:
        if hb < gb + gs and gb < hb + hs:
            sys.exit(f"layout: host range {hb:#x}+{hs:#x} overlaps guest range {gb:#x}+{gs:#x}")

def in_host(v):
    return any(b <= v < b + s for b, s in host)

errors = []
# ACPI tables as Linux exports them.
tables = {}
for l in lines:
    m = re.match(r'linux: linux-test: acpi ([A-Za-z0-9_/]+): ((?:[0-9a-f]{2} ?)+)$', l)
    if m:
        tables.setdefault(m.group(1), bytearray()).extend(bytes.fromhex(m.group(2)))
if not {"FACP", "APIC", "DSDT"} <= tables.keys():
    errors.append(f"ACPI tables dumped: {sorted(tables)}, want FACP, APIC, DSDT")
# Text is not an address: the header's signature, checksum, OEM and creator ids (ACPI 6.5,
# 5.2.6) are left out (ASCII capitals fall in the host ranges). In the fixed-layout tables
# every address field starts at a multiple of 4 (FADT 5.2.9, GAS 5.2.3.2, MADT 5.2.12): 4- and
# 8-byte values at every such offset are checked; in AML (DSDT, SSDTs: names and opcodes, 20.2) the numbers are the
# DWordConst and QWordConst data objects (prefixes 0x0c, 0x0e, 20.2.3).
values = 0
for n, t in tables.items():
    t = bytearray(t)
    for off in list(range(0, 4)) + list(range(9, 24)) + list(range(28, 36)):
        if off < len(t):
            t[off] = 0
    if n.startswith(("DSDT", "SSDT")):
        windows = [(off + 1, 4) for off in range(36, len(t) - 4) if t[off] == 0x0c]
        windows += [(off + 1, 8) for off in range(36, len(t) - 8) if t[off] == 0x0e]
    else:
        windows = [(off, w) for w in (4, 8) for off in range(0, len(t) - w + 1, 4)]
    for off, w in windows:
        v = int.from_bytes(t[off:off + w], "little")
        values += 1
        if in_host(v):
            errors.append(f"ACPI {n} offset {off}: {w}-byte value {v:#x} is a host address")
# Addresses the kernel printed from hvm_start_info's memory map, module list and RSDP.
e820 = 0
for l in lines:
    m = re.match(r'linux: \[[ 0-9.]+\] BIOS-e820: \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\] (\w+)', l)
    if m:
        s, e = int(m.group(1), 16), int(m.group(2), 16)
        e820 += 1
        if in_host(s) or in_host(e):
            errors.append(f"e820 [{s:#x}, {e:#x}] is a host range")
        if not any(b <= s and e < b + sz for b, sz in guest):
            errors.append(f"e820 [{s:#x}, {e:#x}] {m.group(3)} is outside the partition's guest ranges")
        continue
    m = re.match(r'linux: \[[ 0-9.]+\] (?:ACPI: \w+ (0x[0-9A-F]+) |RAMDISK: \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\])', l)
    if m:
        for a in filter(None, m.groups()):
            if in_host(int(a, 16)):
                errors.append(f"{l.split('] ', 1)[1]}: {a} is a host address")
if e820 == 0:
    errors.append("no BIOS-e820 lines from the kernel")
if errors:
    print("; ".join(errors[:5]))
    sys.exit(1)
print(f"{len(tables)} ACPI tables ({values} values), {e820} e820 entries, "
      f"{len(host)} host ranges")
EOF
); then
    echo "PASS ${name}_no_host_address ($out)"
else
    echo "FAIL ${name}_no_host_address: $out"
    rc=1
fi
exit $rc
