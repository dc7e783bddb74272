#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# arm64_linux on a real board's model: the ZCU102 (xlnx_zcu102_defconfig, QEMU xlnx-zcu102
# with virtualization=on): Debian's arm64 kernel in a partition beside the bare-metal peer,
# one boot, the same checks (arm64_linux.sh: both vCPUs, the timer, shared-memory messages,
# the PCI function), the hypervisor on the board's GIC-400 and Cadence UART, Linux's console
# the partition's virtual PL011.
PART_BOARD=zcu102 exec bash "$(dirname "$0")/arm64_linux.sh"
