#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# A real Linux guest (tests/system/layouts/linux.dtsi): Debian's arm64 kernel from the
# tools/setup cache plus the generated initramfs (guests/linux/) boots on two vCPUs beside
# the bare-metal peer (guests/arm64/linux_peer.c). One boot checks, from Linux user space
# (guests/linux/init.c): both CPUs online, the arch_timer interrupt count rising on both,
# 64 checksummed messages answered by the peer over the uncached shared region mapped
# through /dev/mem, each request rung through the region's doorbell register page (also
# /dev/mem) and the reply polled for; the peer, asleep in WFI, answers on its doorbell
# interrupt, rings back, and takes exactly 64 doorbell interrupts (Linux rings message n + 1
# only after the reply to n, written after the peer acknowledged ring n: no merging); the
# peer's heartbeat running throughout; then the same region as the ivshmem-style PCI function
# 00:01.0 on Linux's virtual PCI host (docs/pci.md): uio + uio_pci_generic loaded from the
# initramfs, bound by new_id, BAR 0 (registers) and BAR 2 (the region) mapped through sysfs,
# the doorbells the peer rang while the function's mask was clear seen in its status but
# never as an interrupt, then 16 more messages, each rung through BAR 0 naming the peer and
# answered by exactly one interrupt read() from /dev/uio0 (INTA level-triggered through the
# vGIC, masked by the driver with COMMAND.Interrupt-Disable and STATUS.Interrupt-Status);
# then Linux powers off, the peer
# stops with its verdict, and the test monitor exits 0. The console must show no kernel
# warning, oops or BUG, and no GIC or arch_timer failure. Also: the hypervisor binary did
# not grow with the 33 MB kernel (the images are staged beside it).
#
# The passed-through virtio-blk disk (the section "virtio-blk" below): Linux owns the board's
# PCI function 00:03.0, a virtio-blk-pci disk QEMU puts behind its SMMU (every device of the
# virt machine's PCIe root complex is, with iommu=smmuv3), modern only (disable-legacy=on)
# and with VIRTIO_F_ACCESS_PLATFORM (iommu_platform=on; without it QEMU's virtio would reach
# memory by guest address around the SMMU). Linux's own virtio_pci and virtio_blk modules
# drive it through the partition's virtual PCI host, on INTx (MSI-X hidden); /init reads the
# disk this script wrote, checks its checksum, writes a reply block, and the script checks
# that block on the host after QEMU exits.
#
# Skipped (counted, with the reason) only when the kernel cache is missing and CI is unset;
# under CI=true a missing cache fails. PART_BOARD=gicv2 (arm64_gicv2_linux.sh) boots the same
# on the GICv2 board (QEMU virt gic-version=2), where Linux drives the GICV frame as its GICC;
# PART_BOARD=zcu102 (board_xlnx_zcu102_linux.sh) on the ZCU102's model.
. "$(dirname "$0")/lib.sh"

name=arm64_linux
defconfig=qemu_arm64_virt_defconfig
machine=("${bh_arm64_machine[@]}")
# The GIC: Linux finds its GICv3 redistributors; the hypervisor found a GICv2.
gic_marker='linux: .*GICv3: CPU1: found redistributor .*'
if [ "${PART_BOARD:-}" = gicv2 ]; then
    name=arm64_gicv2_linux
    defconfig=qemu_arm64_virt_gicv2_defconfig
    machine=("${machine[@]/gic-version=3/gic-version=2}")
    gic_marker='gic: GICv2 distributor at 0x8000000, .*'
elif [ "${PART_BOARD:-}" = zcu102 ]; then
    # The same layout on the ZCU102's model (its host addresses are in the board's low DDR
    # too), beside the board's GIC-400 and Cadence console; the machine the board DT states.
    name=board_xlnx_zcu102_linux
    defconfig=xlnx_zcu102_defconfig
    gic_marker='gic: GICv2 distributor at 0xf9010000, .*'
fi
if ! "$BH_TOP/tools/fetch_linux.sh" --check >/dev/null 2>&1; then
    if [ "${CI:-}" = true ]; then
        echo "FAIL $name: the Linux kernel cache is missing ($("$BH_TOP/tools/fetch_linux.sh" --dir)); run tools/setup"
        exit 1
    fi
    echo "SKIP $name: no Debian kernel in $("$BH_TOP/tools/fetch_linux.sh" --dir) (run tools/setup)"
    exit 0
fi
dir=$(bh_build "$name" "$defconfig" tests/system/layouts/linux.config) || {
    echo "FAIL $name: build failed"
    exit 1
}
mapfile -t boot < <("$BH_TOP/tools/qemu_arm64.sh" --print-args kernel "$dir")
if [ "${PART_BOARD:-}" = zcu102 ]; then
    mapfile -t machine < <("$BH_TOP/tools/qemu_arm64.sh" --print-machine "$dir")
    machine+=(-semihosting-config enable=on,target=native,chardev=bh_semihost)
fi
log=$BH_OUT/logs/$name.console

# --- virtio-blk: the disk (random data, its FNV-1a 64 in the header; guests/linux/init.c) ---
disk=$BH_OUT/logs/$name.disk
blk_sum=$(python3 - "$disk" <<'EOF'
import os, sys
n = 2048  # data sectors: 1 MiB
data = os.urandom(n * 512)
h = 0xcbf29ce484222325
for b in data:
    h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
hdr = f"bulkhead-blk v1 sectors={n} fnv={h:016x} reply={n + 1}\n".encode()
with open(sys.argv[1], "wb") as f:
    f.write(hdr.ljust(512, b"\0") + data + bytes(4096))
print(f"{h:016x}")
EOF
) || { echo "FAIL $name: cannot write the disk image"; exit 1; }
blk=(-drive "if=none,id=bhdisk,format=raw,file=$disk"
    -device virtio-blk-pci,drive=bhdisk,bus=pcie.0,addr=0x3,disable-legacy=on,iommu_platform=on)
blk_markers=(
    'partition 1 "linux": DMA isolated by smmuv3@9050000, domain 1: .*; 00:03.0 \(stream 0x18\)'
    'pci: 00:03.0 1af4:1042 for partition 1 "linux": INTA(, FLR)?, vendor capabilities; BAR1 4 KiB at 0x[0-9a-f]+; BAR4 16 KiB at 0x[0-9a-f]+'
    'partition 1 "linux": PCI 00:03.0 passed through as 00:02.0 on its virtual host'
    'linux: .*virtio_blk virtio[0-9]+: \[vda\] 2057 512-byte logical blocks .*'
    'linux: linux-test: virtio-blk: /dev/vda is /sys/devices/platform/3f000000.pcie/pci0000:00/0000:00:02.0/virtio[0-9]+/block/vda'
    "linux: linux-test: virtio-blk: 2048 data sectors read, FNV-1a $blk_sum as the header says"
    'linux: linux-test: virtio-blk: reply written at sector 2049 and flushed'
    'linux: linux-test: virtio-blk: INTx, [1-9][0-9]* interrupts: .*GIC[^ ]* +38 Level +virtio[0-9]+'
)
# --- end virtio-blk ---
if [ "${PART_BOARD:-}" = zcu102 ]; then
    blk=() blk_markers=() # the ZCU102 model has no PCIe host: no disk there
fi

bh_qemu 300 "$log" "${machine[@]}" "${blk[@]}" "${boot[@]}"
status=$?
rc=0
bh_verdict "$name" "$status" "$BH_ARM64_PASS" "$log" \
    'linux: .*Booting Linux on physical CPU .*' "$gic_marker" \
    'linux: .*arch_timer: cp15 timer\(s\) running .*' 'linux: .*ttyAMA0 at MMIO 0x9000000 \(irq = [1-9][0-9]*, .*' \
    'linux: .*Run /init as init process' \
    'linux: linux-test: CPUs online: 0-1' \
    'linux: linux-test: arch_timer interrupts: CPU0 [0-9]+ -> [0-9]+, CPU1 [0-9]+ -> [0-9]+' \
    'linux: linux-test: 64 messages exchanged with the peer, checksums good' \
    'linux: linux-test: peer heartbeat [0-9]+ -> [0-9]+' 'linux: linux-test: PASS' \
    'linux: linux-test: PCI function 0000:00:01.0 \(b4ed:0001\) bound to uio_pci_generic, partition 1' \
    'linux: linux-test: 16 messages over the PCI function, one uio interrupt each, checksums good' \
    'linux: .*pci-host-generic 3f000000.pcie: host bridge /pcie@3f000000 ranges:' \
    'linux: linux-test: region "linux-peer" at guest 0x60000000, 65536 bytes, doorbell page 0x60010000 \(interrupt [0-9]+\)' \
    'peer: ready, waiting for doorbell interrupt [0-9]+ of "linux-peer"' \
    'peer: message 1 answered on its doorbell interrupt' \
    'peer: stop after 80 messages, all checksums good' \
    'peer: 80 doorbell interrupts taken, 80 rung back' 'peer: guest: PASS' \
    'partition 1 "linux" vcpu [01]: system off' 'monitor: all partitions stopped, PASS' \
    "${blk_markers[@]}" || rc=1
# --- virtio-blk: what Linux wrote back, read on the host ---
if [ "${PART_BOARD:-}" = zcu102 ]; then
    : # no disk on the ZCU102 model
elif python3 - "$disk" "$blk_sum" <<'EOF'; then
import sys
with open(sys.argv[1], "rb") as f:
    f.seek(2049 * 512)
    got = f.read(4096)
want = f"bulkhead-blk reply fnv={sys.argv[2]} sectors=2048\n".encode().ljust(4096, b"\0")
sys.exit(0 if got == want else 1)
EOF
    echo "PASS ${name}_virtio_blk_writeback"
else
    echo "FAIL ${name}_virtio_blk_writeback: sector 2049 of $disk does not hold Linux's reply"
    rc=1
fi
# Kernel trouble anywhere on the console fails the run, even when user space passed.
bad=$(grep -E '^linux: .*(WARNING:|Oops|BUG[: ]|Kernel panic|(GIC|arch_timer).*(fail|error|Error|FAIL|unable|Unable))' "$log" | head -5)
if [ -n "$bad" ]; then
    echo "FAIL ${name}_kernel_clean: the kernel reported trouble:"
    printf '%s\n' "$bad" | sed 's/^/    | /'
    rc=1
else
    echo "PASS ${name}_kernel_clean"
fi
# The hypervisor binary stays small: the kernel is a staged payload, not linked in.
hv=$(stat -c %s "$dir/bulkhead.bin") kernel=$(stat -c %s "$dir/guests/linux/Image")
if [ "$hv" -lt $((4 << 20)) ] && [ "$hv" -lt $((kernel / 8)) ]; then
    echo "PASS ${name}_hypervisor_size ($hv bytes beside a $kernel-byte kernel)"
else
    echo "FAIL ${name}_hypervisor_size: bulkhead.bin is $hv bytes with a $kernel-byte kernel"
    rc=1
fi
exit $rc
