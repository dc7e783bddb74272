#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The arm64_part_reset_irq scenario on the GICv2 board (qemu_arm64_virt_gicv2_defconfig, QEMU
# virt gic-version=2): same layout, guest and markers (GICH_APR instead of ICH_AP1R<n>_EL2).
PART_BOARD=gicv2 exec bash "$(dirname "$0")/arm64_part_reset_irq.sh"
