# SPDX-License-Identifier: Apache-2.0
hv-y += core/mm/memory.o core/mm/page_alloc.o
hv-y += core/mm/pgtable.o core/mm/pgtable_arm_s1.o core/mm/pgtable_arm_s2.o core/mm/pgtable_amdvi.o \
    core/mm/pgtable_x86.o
