unit-printf := lib/printf.c
