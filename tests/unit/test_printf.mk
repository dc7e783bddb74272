unit-printf := lib/printf.c lib/errno.c
