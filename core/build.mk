# SPDX-License-Identifier: Apache-2.0
hv-y += core/boot.o core/console.o core/panic.o core/dtb_blob.o core/memory.o
hv-y += core/lockorder.o
hv-y += core/pgtable.o core/pgtable_arm_s2.o core/pgtable_amdvi.o core/pgtable_x86.o core/page_alloc.o
hv-y += core/pgtable_arm_s1.o
hv-y += core/config.o core/config_print.o core/config_boot.o
hv-y += core/guest_image.o
hv-$(CONFIG_PARTITIONS) += core/percpu.o core/partition.o core/partition_boot.o core/shm.o \
    core/guest_dtb.o core/hypercall.o core/test_monitor.o core/vmmio.o core/vuart.o
