unit-memory := tests/unit/fake/fake_console.c core/mm/memory.c core/mm/page_alloc.c core/panic.c core/lockorder.c lib/fdt.c lib/fdt_write.c lib/printf.c lib/errno.c
