unit-page_alloc := core/page_alloc.c core/lockorder.c core/pgtable.c core/pgtable_arm_s2.c core/pgtable_amdvi.c
