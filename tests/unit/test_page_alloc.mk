unit-page_alloc := core/mm/page_alloc.c core/lockorder.c core/mm/pgtable.c core/mm/pgtable_arm_s2.c core/mm/pgtable_amdvi.c
