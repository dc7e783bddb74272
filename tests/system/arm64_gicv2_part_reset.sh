#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The arm64_part_reset scenario on the GICv2 board (qemu_arm64_virt_gicv2_defconfig, QEMU virt
# gic-version=2): same layout, guests and markers (tests/system/layouts/part.sh, PART_BOARD).
PART_BOARD=gicv2 exec bash "$(dirname "$0")/arm64_part_reset.sh"
