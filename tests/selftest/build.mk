# SPDX-License-Identifier: Apache-2.0
#
# Self-tests linked into the hypervisor image of a test build only (Kconfig "Debugging and
# testing"): they take over QEMU devices and end the machine with a verdict, so no product
# configuration can enable them. Each runs as a late boot unit.
#
# IOMMU self-test with QEMU's edu device (CONFIG_IOMMU_SELFTEST): the shared edu driver and
# one test per IOMMU driver, which reaches into that driver's private header.
hv-$(if $(CONFIG_IOMMU_SELFTEST)$(CONFIG_IOMMU_PARTITION_TEST)$(CONFIG_IOMMU_IRQ_TEST),y) += \
    tests/selftest/iommu/edu.o
# Partition DMA isolation with edu (CONFIG_IOMMU_PARTITION_TEST): generic, through partitions.
hv-$(CONFIG_IOMMU_PARTITION_TEST) += tests/selftest/iommu/partition_dma.o
# IOMMU fault interrupts while partitions run (CONFIG_IOMMU_IRQ_TEST): one DMA, not awaited.
hv-$(CONFIG_IOMMU_IRQ_TEST) += tests/selftest/iommu/dma_irq.o
hv-$(and $(CONFIG_AMD_IOMMU),$(CONFIG_IOMMU_SELFTEST)) += tests/selftest/iommu/amdvi.o
# QEMU's AMD-Vi fault sign (no event log), for both tests.
hv-$(and $(CONFIG_AMD_IOMMU),$(if $(CONFIG_IOMMU_SELFTEST)$(CONFIG_IOMMU_PARTITION_TEST),y)) += \
    tests/selftest/iommu/amdvi_abort.o
hv-$(and $(CONFIG_ARM_SMMU_V3),$(CONFIG_IOMMU_SELFTEST)) += tests/selftest/iommu/smmuv3.o
$(O)/obj/tests/selftest/iommu/amdvi.o: HV_CPPFLAGS += -I$(srctree)/drivers/iommu/amd-vi
$(O)/obj/tests/selftest/iommu/amdvi_abort.o: HV_CPPFLAGS += -I$(srctree)/drivers/iommu/amd-vi
$(O)/obj/tests/selftest/iommu/smmuv3.o: HV_CPPFLAGS += -I$(srctree)/drivers/iommu/arm-smmu-v3
