#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Kconfig matrix: every combination of {arm64, x86} x partitions on/off x the arch's IOMMU
# driver on/off x debug on/off that the menus allow must configure and build the hypervisor
# ELF. One verdict per combination:
#   build/matrix-<arch>-[no]partitions-[no]iommu-[no]debug
# Both arches select HAS_PARTITIONS, so every combination is allowed today; a combination the
# menus do not allow (none at present: list it in refused()) must be refused by the
# configuration step, or that combination fails too. Layouts are left out (empty
# CONFIG_PARTITION_LAYOUT): the matrix is about which code links, and every layout has its
# own system test. Each build has its own O= directory, run one after the other with -j2.
set -u
top=${BH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
out=${BH_OUT:-$top/out/check}/build-matrix
rm -rf "$out"
mkdir -p "$out"
rc=0

# defconfig and IOMMU driver symbol per arch.
declare -A defconfig=([arm64]=qemu_arm64_virt_defconfig [x86]=qemu_x86_64_q35_defconfig)
declare -A iommu=([arm64]=ARM_SMMU_V3 [x86]=AMD_IOMMU)

# kconfig_line SYMBOL y|n: the .config spelling of one value.
kconfig_line() {
    if [ "$2" = y ]; then echo "CONFIG_$1=y"; else echo "# CONFIG_$1 is not set"; fi
}

# refused ARCH PARTITIONS: whether the menus refuse that combination (none does today).
refused() {
    return 1
}

for arch in arm64 x86; do
    for part in y n; do
        for io in y n; do
            for debug in y n; do
                name=$arch-$([ $part = y ] || echo no)partitions-$([ $io = y ] || echo no)iommu
                name=$name-$([ $debug = y ] || echo no)debug
                dir=$out/$name
                mkdir -p "$dir"
                {
                    echo 'CONFIG_PARTITION_LAYOUT=""'
                    kconfig_line PARTITIONS $part
                    kconfig_line "${iommu[$arch]}" $io
                    kconfig_line DEBUG $debug
                } >"$dir/fragment.config"
                allowed=y
                refused "$arch" $part && allowed=n
                if ! make -s -C "$top" O="$dir" "${defconfig[$arch]}" \
                    EXTRA_CONFIG="$dir/fragment.config" >"$dir/build.log" 2>&1; then
                    if [ $allowed = n ]; then
                        continue # refused, as the menus say
                    fi
                    echo "FAIL build/matrix-$name: configuration refused: $(grep -m2 -i 'warning\|error' "$dir/build.log" | tr '\n' ' ')"
                    rc=1
                    continue
                fi
                if [ $allowed = n ]; then
                    echo "FAIL build/matrix-$name: the menus should not allow this combination"
                    rc=1
                    continue
                fi
                if make -s -C "$top" O="$dir" -j2 "$dir/bulkhead.elf" >>"$dir/build.log" 2>&1; then
                    echo "PASS build/matrix-$name"
                else
                    echo "FAIL build/matrix-$name: $(grep -m3 -E 'error|undefined' "$dir/build.log" | tr '\n' ' ')"
                    rc=1
                fi
            done
        done
    done
done
exit $rc
