# SPDX-License-Identifier: Apache-2.0
# arch/x86/acpi.c and multiboot.c on the host: their headers come from the x86 include
# directory (after the fake arch's, so <asm/io.h> and <asm/cpu.h> stay the fake ones).
unit-x86_acpi := arch/x86/acpi.c arch/x86/multiboot.c lib/string.c lib/errno.c lib/printf.c \
    tests/unit/fake/fake_console.c
$(HOST_O)/obj/arch/x86/acpi.o $(HOST_O)/obj/arch/x86/multiboot.o \
    $(HOST_O)/obj/tests/unit/test_x86_acpi.o: UNIT_CPPFLAGS += -I$(srctree)/arch/x86/include
