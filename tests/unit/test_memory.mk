unit-memory := tests/unit/fake/fake_console.c core/memory.c core/page_alloc.c core/panic.c core/lockorder.c lib/fdt.c lib/fdt_write.c lib/printf.c lib/errno.c
