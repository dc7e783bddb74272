# SPDX-License-Identifier: Apache-2.0
unit-vmmio := core/vdev/vmmio.c core/vdev/vuart.c core/vdev/vdev.c core/partition/hypercall.c core/lockorder.c core/panic.c \
    tests/unit/fake/fake_irq.c \
    lib/printf.c lib/errno.c tests/unit/fake/fake_console.c
