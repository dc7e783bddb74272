# SPDX-License-Identifier: Apache-2.0
hv-y += core/mm/memory.o core/mm/page_alloc.o core/mm/pgtable.o
# The page-table formats this build uses (Kconfig PT_FMT_*, selected by the arch and drivers).
hv-$(CONFIG_PT_FMT_ARM_S1) += core/mm/pgtable_arm_s1.o
hv-$(CONFIG_PT_FMT_ARM_S2) += core/mm/pgtable_arm_s2.o
hv-$(CONFIG_PT_FMT_X86) += core/mm/pgtable_x86.o
hv-$(CONFIG_PT_FMT_AMDVI) += core/mm/pgtable_amdvi.o
# Test builds with partitions only: the leaf walk of the stage-2 audit (core/partition/build.mk).
ifeq ($(CONFIG_TEST_EXIT),y)
hv-$(CONFIG_PARTITIONS) += core/mm/pgtable_leaves.o
endif
