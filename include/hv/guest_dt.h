/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Phandles in a generated guest DT (core/partition/guest_dtb.c and the virtual devices'
 * guest_dt hooks, include/hv/vdev.h). Fixed numbers rather than an allocator, so that a device
 * can reference another's node (a UART's clock, every device's interrupt parent) without the
 * two knowing each other, and the same layout always gives the same DT. A phandle is written
 * only by the device that owns the node; any node may refer to it.
 */
#pragma once

enum guest_dt_phandle {
    GUEST_DT_PHANDLE_NONE = 0,
    GUEST_DT_PHANDLE_CLOCK = 1, /* the fixed clock of devices that need one (vUART "apb-pclk") */
    GUEST_DT_PHANDLE_INTC = 2,  /* the interrupt controller: the root's "interrupt-parent" */
    GUEST_DT_PHANDLE_FIRST_FREE = 16, /* next ones: add a name here */
};
