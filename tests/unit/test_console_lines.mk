# SPDX-License-Identifier: Apache-2.0
unit-console_lines := core/console.c core/partition/hypercall.c lib/fdt.c lib/printf.c \
    tests/unit/fake/fake_power.c
unit-console_lines-ldlibs := -lpthread
