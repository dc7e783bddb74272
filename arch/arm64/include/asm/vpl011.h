/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The arm64 virtual console UART every partition gets (arch/arm64/vpl011.c, a virtual device
 * of include/hv/vdev.h): a PL011-compatible register subset (Arm PrimeCell UART PL011 TRM,
 * DDI 0183, 3.2 "Summary of registers") emulated through trapped MMIO (include/hv/vmmio.h)
 * at VPL011_GUEST_BASE, advertised in the generated guest DTB as "arm,pl011",
 * "arm,primecell" and /chosen stdout-path. Bytes written to UARTDR go to the writing vCPU's
 * console line (vcpu_console_put(), the BH_HC_CONSOLE_WRITE path) and come out as
 * "<label>: <line>"; bytes typed at the hypervisor console while the partition has the
 * input focus arrive in its receive FIFO; receive and transmit interrupts come as a virtual
 * SPI of the partition, named in its DT node.
 *
 * Only constants: the configuration validator (core/config/ through arch_config_vdev_range(),
 * and the host tool for arm64 targets) reads the guest range from here too.
 */
#pragma once

/*
 * Guest address of the vUART: where QEMU virt places its own first PL011, so a Linux guest's
 * usual earlycon address works. No default or test layout uses it (guest RAM starts at
 * 0x40000000; uart0 at 0x09000000 is the hypervisor's console, never passed through); the
 * configuration validator refuses a partition that maps anything there.
 */
#define VPL011_GUEST_BASE 0x09000000u
/* One 4 KiB page: the PL011's register block including the identification registers. */
#define VPL011_SIZE 0x1000u

/* Receive FIFO depth: the PL011's 32 entries (r1p5). */
#define VPL011_RX_FIFO 32u

/* Register offsets (PL011 TRM 3.2). */
#define VPL011_DR 0x000u
#define VPL011_RSR 0x004u
#define VPL011_FR 0x018u
#define VPL011_ILPR 0x020u
#define VPL011_IBRD 0x024u
#define VPL011_FBRD 0x028u
#define VPL011_LCR_H 0x02cu
#define VPL011_CR 0x030u
#define VPL011_IFLS 0x034u
#define VPL011_IMSC 0x038u
#define VPL011_RIS 0x03cu
#define VPL011_MIS 0x040u
#define VPL011_ICR 0x044u
#define VPL011_PERIPHID0 0xfe0u
#define VPL011_PCELLID0 0xff0u

/* UARTFR bits (TRM 3.3.3): transmit FIFO empty, receive FIFO empty, transmit full, busy. */
#define VPL011_FR_TXFE (1u << 7)
#define VPL011_FR_TXFF (1u << 5)
#define VPL011_FR_RXFE (1u << 4)
#define VPL011_FR_BUSY (1u << 3)

/* UARTFR receive FIFO full. */
#define VPL011_FR_RXFF (1u << 6)

/* Interrupt bits of UARTIMSC / RIS / MIS / ICR (TRM 3.3.10-3.3.13): receive, transmit,
 * receive timeout. */
#define VPL011_INT_RX (1u << 4)
#define VPL011_INT_TX (1u << 5)
#define VPL011_INT_RT (1u << 6)

/* UARTIFLS reset value (TRM 3.3.9): both FIFO levels at half full. */
#define VPL011_IFLS_RESET 0x12u

/* UARTCR reset value (TRM 3.3.8): TXE and RXE set, UART disabled. */
#define VPL011_CR_RESET 0x300u
