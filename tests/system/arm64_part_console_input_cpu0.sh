#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Console input when the focused partition owns the boot CPU: arm64_part_console_input.sh
# with "right" (the focus at start) on cpu0 and "left" on cpu1, so no CPU is left to the
# hypervisor to poll the console. The UART's receive interrupt must reach "right" on cpu0,
# move to cpu1 with the focus, and back.
ci_name=arm64_part_console_input_cpu0
ci_layout=tests/system/layouts/console_input_cpu0.config
ci_left_cpu=1
ci_right_cpu=0
. "$(dirname "$0")/arm64_part_console_input.sh"
