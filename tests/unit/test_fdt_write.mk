unit-fdt_write := lib/fdt_write.c lib/fdt.c
