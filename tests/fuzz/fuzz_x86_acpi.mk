# SPDX-License-Identifier: Apache-2.0
fuzz-x86_acpi := arch/x86/acpi.c arch/x86/multiboot.c lib/string.c lib/errno.c
$(HOST_O)/fuzz-obj/arch/x86/acpi.o $(HOST_O)/fuzz-obj/arch/x86/multiboot.o \
    $(HOST_O)/fuzz-obj/tests/fuzz/fuzz_x86_acpi.o: \
    FUZZ_CPPFLAGS += -I$(srctree)/arch/x86/include
