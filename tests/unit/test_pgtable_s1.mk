unit-pgtable_s1 := core/mm/pgtable.c core/mm/pgtable_arm_s1.c tests/unit/pt_arena.c
