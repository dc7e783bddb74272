# SPDX-License-Identifier: Apache-2.0
# arch/x86/pvh.c (the PVH boot information) and arch/x86/guest_acpi.c (the partition's ACPI
# tables, sealed with arch/x86/acpi.c's checksum) on the host, against a hand-made configuration.
unit-x86_pvh := arch/x86/pvh.c arch/x86/guest_acpi.c arch/x86/acpi.c lib/string.c lib/printf.c \
    tests/unit/fake/fake_console.c
$(HOST_O)/obj/arch/x86/guest_acpi.o: UNIT_CPPFLAGS += -I$(srctree)/arch/x86/include
