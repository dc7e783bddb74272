/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the two guests of tests/system/arm64_part_pci_edu.sh agree on (layout
 * tests/system/layouts/pci_edu.dtsi, the pingpong layout's memory and windows): "worker"
 * (pci_edu.c) drives QEMU's edu through its virtual PCI host and ends with one DMA the IOMMU
 * must block, which gets it contained; "control" (pci_edu_peer.c) plants the patterns that
 * DMA would overwrite if it were not blocked and checks them once it has had time to land.
 */
#pragma once

#include <hv/types.h>

/* "mbox" (worker owns it, control borrows it read-write): the handshake words. */
#define PCI_EDU_MBOX 0x50200000u
#define PCI_EDU_READY 0x52454459u   /* mbox[0], control: the patterns are planted */
#define PCI_EDU_BLOCKED 0x424c4b00u /* mbox[1], worker: | mode, the blocked DMA starts now */

/*
 * The run's mode: a word in "ring0" (control owns it, worker sees its second MiB read-only
 * at 0x50000000) that the test writes with a QEMU loader before anything runs (shared
 * regions keep their contents; partition RAM is scrubbed). 0 (no loader) is PCI_EDU_RO.
 */
#define PCI_EDU_MODE_WORKER 0x500ff000u  /* worker's address of the word */
#define PCI_EDU_MODE_CONTROL 0x501ff000u /* control's */
enum pci_edu_mode {
    PCI_EDU_RO = 1,     /* DMA write into worker's read-only window: permission fault */
    PCI_EDU_PEER = 2,   /* DMA write to control's host memory as IOVA: translation fault */
    PCI_EDU_BEYOND = 3, /* DMA write past worker's RAM: translation fault */
};

/* Targets of the blocked DMA (worker's device addresses) and what control watches. */
#define PCI_EDU_RO_TARGET 0x50001000u         /* worker's ro window, page 1 */
#define PCI_EDU_RO_CONTROL 0x50101000u        /* the same page, control's read-write view */
#define PCI_EDU_PEER_TARGET 0x4c000000u       /* host address of control's guest 0x44000000 */
#define PCI_EDU_PEER_CONTROL 0x44000000u      /* control's RAM there */
#define PCI_EDU_BEYOND_TARGET 0x7ff00000u     /* worker's RAM ends at 0x48000000 */
#define PCI_EDU_PATTERN 0x434f4e54524f4c00ull /* control's pattern, | word index */
#define PCI_EDU_DMA_BYTES 4096u               /* each DMA: edu's whole buffer */
