# SPDX-License-Identifier: Apache-2.0
# percpu.o in every build: an arch may find the running CPU through its &hv_percpu[cpu].
hv-y += core/partition/guest_image.o core/partition/percpu.o
hv-$(CONFIG_PARTITIONS) += core/partition/console_input.o core/partition/partition.o core/partition/vcpu.o \
    core/partition/partition_boot.o core/partition/shm.o core/partition/guest_dtb.o \
    core/partition/hypercall.o core/partition/dma.o core/partition/doorbell.o \
    core/partition/console_input.o
# PCI passthrough (include/hv/pci_pt.h), or its empty defaults.
hv-$(CONFIG_PARTITIONS) += core/partition/$(if $(CONFIG_PCI_PASSTHROUGH),pci.o,pci_absent.o)
# ivshmem-style PCI functions of shared-memory regions (docs/pci.md).
hv-$(CONFIG_VPCI) += core/partition/ivshmem.o
# Test builds only: the verdict hypercall and the end-of-run decision.
hv-$(CONFIG_TEST_MONITOR) += core/partition/test_monitor.o
# Test builds with partitions only: the stage-2 audit.
ifeq ($(CONFIG_TEST_EXIT),y)
hv-$(CONFIG_PARTITIONS) += core/partition/audit.o
endif
