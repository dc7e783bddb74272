# SPDX-License-Identifier: Apache-2.0
# arch/x86/pvh.c (the PVH boot information) and arch/x86/guest_acpi.c (the partition's ACPI
# tables) on the host, against a hand-made configuration.
unit-x86_pvh := arch/x86/pvh.c arch/x86/guest_acpi.c lib/string.c lib/printf.c
