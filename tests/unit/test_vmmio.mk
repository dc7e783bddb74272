# SPDX-License-Identifier: Apache-2.0
# The arm64 vUART (arch/arm64/vpl011.c) on the host: its constants come from the arm64
# include directory (after the fake arch's, so <asm/vcpu.h> and <asm/cpu.h> stay the fake ones).
unit-vmmio := core/vdev/vmmio.c tests/unit/vmmio_access.c core/vdev/vdev.c arch/arm64/vpl011.c core/partition/hypercall.c \
    core/partition/doorbell.c tests/unit/fake/fake_irq.c \
    core/lockorder.c core/panic.c lib/fdt.c lib/fdt_write.c lib/printf.c lib/errno.c \
    tests/unit/fake/fake_console.c tests/unit/fake/fake_irq.c tests/unit/fake/fake_partition_printf.c \
    tests/unit/fake/fake_power.c
$(HOST_O)/obj/arch/arm64/vpl011.o $(HOST_O)/obj/tests/unit/test_vmmio.o: \
    UNIT_CPPFLAGS += -I$(srctree)/arch/arm64/include
