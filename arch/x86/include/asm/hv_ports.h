/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The I/O ports the x86 hypervisor keeps whatever the board DT says (include/arch/config.h,
 * arch_config_hv_ports()): an initializer of {base, size, name}, shared by arch/x86/config.c
 * and the host tool (tools/bulkhead_check.c) so that the build and the boot refuse the same.
 * A partition reaching them could unmask the 8259s it masks (arch/x86/ioapic.c; their
 * firmware vectors are exception vectors), drive the PIT and port B (NMI enables) it
 * calibrates with (arch/x86/time.c), or reach any PCI function's configuration space (BARs,
 * MSI, the IOMMU's own function) through mechanism #1 (PCI Local Bus 3.0, 3.2.2.3.2).
 */
#pragma once

#define X86_HV_PORTS                                                                               \
    {                                                                                              \
        {0x20, 2, "the master 8259 PIC"}, {0xa0, 2, "the slave 8259 PIC"},                         \
            {0x40, 4, "the 8254 PIT"}, {0x61, 1, "port B (PIT gate, NMI enables)"},                \
            {0xcf8, 8, "PCI configuration mechanism #1"},                                          \
    }
