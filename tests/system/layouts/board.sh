# SPDX-License-Identifier: Apache-2.0
#
# Helper of the real-board model tests (tests/system/board_*.sh), sourced after
# tests/system/lib.sh. Each scenario builds the board's defconfig with a layout fragment of
# this directory (<board>_<scenario>.config: layout, CONFIG_TEST_EXIT, CONFIG_TEST_MONITOR),
# boots the board's QEMU model once (tools/qemu_arm64.sh --print-machine: the machine the
# board DT states) with the Image at RAM base + text_offset and the guest images where the
# boot loader would stage them, and decides by the exit status (the test monitor's verdict,
# semihosting SYS_EXIT), the hypervisor's verdict line with this run's nonce, and whole
# console lines.

# board_test NAME DEFCONFIG FRAGMENT SECONDS MARKER...: build, boot, verdict.
board_test() {
    local name=$1 defconfig=$2 frag=$3 secs=$4; shift 4
    local dir log status machine=() args=()
    dir=$(bh_build "$name" "$defconfig" "tests/system/layouts/$frag.config") || {
        echo "FAIL $name: build failed"
        return 1
    }
    mapfile -t machine < <("$BH_TOP/tools/qemu_arm64.sh" --print-machine "$dir")
    mapfile -t args < <("$BH_TOP/tools/qemu_arm64.sh" --print-args kernel "$dir")
    log=$BH_OUT/logs/$name.console
    bh_qemu "$secs" "$log" "${machine[@]}" \
        -semihosting-config enable=on,target=native,chardev=bh_semihost "${args[@]}"
    status=$?
    bh_verdict "$name" "$status" "$BH_ARM64_PASS" "$log" "$@" \
        'monitor: all partitions stopped, PASS'
}

# The markers of the default layout's ping-pong (dts/partitions/<board>-default.dtsi).
board_pingpong_markers=(
    'control: dt: guest addresses only .*' 'worker: dt: guest addresses only .*'
    'control: pingpong: producer: 64 messages acknowledged, digest 0x[0-9a-f]+ matches'
    'worker: pingpong: consumer: 64 messages verified'
    'worker: pingpong: consumer: answer received through mbox'
    'control: guest: PASS' 'worker: guest: PASS'
)

# board_hostile_test NAME DEFCONFIG FRAGMENT SPI GIC: gic_hostile against gic_victim (the
# victim owning SPI, an INTID named to both by "victim-spi"), on a GICv3 (GIC=v3) or GICv2
# (GIC=v2) board. The markers are arm64_part_gic_hostile's, for that SPI and GIC version.
board_hostile_test() {
    local name=$1 defconfig=$2 frag=$3 spi=$4 gic=$5
    local h='partition 1 "hostile" vcpu 0' sgi_reg last_fault off first sgi_pend sgi_pend2
    sgi_pend='hostile: gic_hostile: virtual SPI [0-9]+ cleared by GICD_ICPENDR: disabled, listed, on vcpu 1'
    sgi_pend2=$sgi_pend
    if [ "$gic" = v2 ]; then
        sgi_reg='GICD_SGIR 0x[0-9a-f]+'
        sgi_pend2='hostile: gic_hostile: SGI pending bits: GICD_I\[SC\]PENDR0 ignored, GICD_CPENDSGIR clears'
        last_fault='level 3\): read outside the partition.s memory: ESR 0x[0-9a-f]+ guest address 0x8030004'
    else
        sgi_reg='ICC_[A-Z0-9]+_EL1 0x[0-9a-f]+'
        last_fault='level 1\): read outside the partition.s memory: ESR 0x[0-9a-f]+ guest address 0x80e0008'
    fi
    off=$(printf '0x%x' $((0x104 + 4 * (spi / 32 - 1))))
    first=$((spi / 32 * 32))
    local bits
    bits=$(printf '0x%x' $((1 << (spi % 32))))
    board_test "$name" "$defconfig" "$frag" 240 \
        "$h: vgic: SGI 1 to CPUs outside the partition dropped \\($sgi_reg\\)" \
        "$h: vgic: SGI 2 to CPUs outside the partition dropped \\($sgi_reg\\)" \
        "$h: vgic: SGI 3 to CPUs outside the partition dropped \\($sgi_reg\\)" \
        'hostile: gic_hostile: SGIs by affinity outside the partition dropped' \
        'hostile: gic_hostile: broadcast SGI reached vcpu 1 only' \
        "$h: vgic: GICD write $off to interrupts $first..$((first + 31)) it does not own \\(bits $bits\\) ignored" \
        "hostile: gic_hostile: distributor writes to SPI $spi ignored" \
        'hostile: gic_hostile: 16 pending SGIs at once, on each vCPU: none lost' \
        'hostile: gic_hostile: 1000 self-SGIs, 1000 taken' \
        "$sgi_pend" "$sgi_pend2" \
        "$h: stage-2 translation fault \\($last_fault" \
        'partition 1 "hostile": stopped' \
        "victim: gic_victim: no interrupt from the hostile partition, SPI $spi still its own" \
        'victim: guest: PASS'
}
