unit-pgtable := core/pgtable.c core/pgtable_arm_s2.c core/pgtable_amdvi.c core/pgtable_x86.c tests/unit/pt_arena.c
