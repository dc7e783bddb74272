#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64_linux on the GICv2 board (qemu_arm64_virt_gicv2_defconfig, QEMU virt gic-version=2):
# Debian's kernel with the GICV frame as its CPU interface, same checks (arm64_linux.sh).
PART_BOARD=gicv2 exec bash "$(dirname "$0")/arm64_linux.sh"
