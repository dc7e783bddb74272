unit-pgtable_s1 := core/pgtable.c core/pgtable_arm_s1.c tests/unit/pt_arena.c
