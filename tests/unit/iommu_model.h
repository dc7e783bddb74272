/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the IOMMU driver tests (test_smmuv3.c, test_amdvi.c) share around their fake register
 * files: the log of commands the device model consumed, and a fault callback that records
 * what the IOMMU core reported.
 */
#pragma once

#include <hv/iommu.h>

/* One consumed command: its opcode and the first command word. */
struct model_cmd {
    unsigned int op;
    uint64_t word;
};

struct model_log {
    struct model_cmd cmds[512];
    unsigned int n; /* commands logged (the log keeps the first 512) */
};

extern struct model_log model_log;

/* Log a command the model consumed. */
void model_log_add(unsigned int op, uint64_t word);

/* Whether the commands logged from first on contain ops[0..n) in this order. */
bool model_log_in_order(unsigned int first, const unsigned int *ops, unsigned int n);

/* What the fault callback saw: calls, the last fault and its domain (NULL: unassigned). */
struct fault_record {
    unsigned int calls;
    struct iommu_fault last;
    struct iommu_domain *dom;
};

extern struct fault_record fault_record;

/* An iommu_fault_cb_t filling fault_record. */
void fault_record_cb(struct iommu_domain *dom, const struct iommu_fault *fault);
