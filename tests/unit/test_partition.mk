# SPDX-License-Identifier: Apache-2.0
unit-partition := core/partition/partition.c core/partition/vcpu.c core/partition/shm.c \
    core/partition/guest_dtb.c core/partition/hypercall.c core/partition/test_monitor.c \
    core/partition/audit.c core/partition/console_input.c core/partition/doorbell.c \
    core/partition/percpu.c core/partition/dma.c core/partition/pci_absent.c core/vdev/vmmio.c tests/unit/vmmio_access.c \
    drivers/iommu/iommu.c core/mm/pgtable_amdvi.c tests/unit/fake_iommu.c core/vdev/vdev.c \
    core/mm/pgtable.c core/mm/pgtable_leaves.c core/mm/pgtable_arm_s2.c core/mm/page_alloc.c \
    core/config/parse.c core/config/check.c core/config/names.c core/config/binding.c \
    core/config/devices.c core/config/xen_shm.c core/config/dma.c core/config/test_props.c core/config/images.c \
    core/config/config_print.c core/lockorder.c core/partition/guest_image.c lib/sha256.c \
    lib/fdt.c lib/fdt_write.c lib/printf.c \
    lib/errno.c tests/unit/fake/fake_vcpu.c tests/unit/fake/fake_vdev.c tests/unit/fake/fake_irq.c \
    tests/unit/fake/fake_console.c tests/unit/part_layout.c
