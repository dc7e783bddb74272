# SPDX-License-Identifier: Apache-2.0
unit-partition := core/partition.c core/shm.c core/guest_dtb.c core/hypercall.c core/vmmio.c core/vuart.c \
    core/test_monitor.c core/percpu.c core/pgtable.c core/pgtable_arm_s2.c core/page_alloc.c core/config.c core/config_print.c \
    core/lockorder.c core/guest_image.c lib/sha256.c lib/fdt.c lib/fdt_write.c lib/printf.c lib/errno.c \
    tests/unit/fake/fake_vcpu.c tests/unit/fake/fake_console.c
