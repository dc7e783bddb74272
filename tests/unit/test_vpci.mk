# SPDX-License-Identifier: Apache-2.0
# The virtual PCI host (core/vdev/vpci.c) and its header emulation (core/vdev/vpci_cfg.c).
unit-vpci := core/vdev/vpci.c core/vdev/vpci_cfg.c core/vdev/vmmio.c tests/unit/vmmio_access.c core/vdev/vdev.c \
    tests/unit/fake/fake_irq.c tests/unit/fake/fake_console.c core/lockorder.c core/panic.c \
    lib/fdt.c lib/fdt_write.c lib/printf.c lib/errno.c
