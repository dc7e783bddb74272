unit-pgtable := core/mm/pgtable.c core/mm/pgtable_arm_s1.c core/mm/pgtable_arm_s2.c core/mm/pgtable_amdvi.c core/mm/pgtable_x86.c tests/unit/pt_arena.c
