// SPDX-License-Identifier: Apache-2.0
/* Shared by the IOMMU driver tests: tests/unit/iommu_model.h. */
#include "iommu_model.h"

struct model_log model_log;
struct fault_record fault_record;

void model_log_add(unsigned int op, uint64_t word)
{
    if (model_log.n < ARRAY_SIZE(model_log.cmds)) {
        model_log.cmds[model_log.n] = (struct model_cmd){op, word};
    }
    model_log.n++;
}

bool model_log_in_order(unsigned int first, const unsigned int *ops, unsigned int n)
{
    unsigned int k = 0;

    for (unsigned int i = first; i < model_log.n && i < ARRAY_SIZE(model_log.cmds) && k < n; i++) {
        k += model_log.cmds[i].op == ops[k];
    }
    return k == n;
}

void fault_record_cb(struct iommu_domain *dom, const struct iommu_fault *fault)
{
    fault_record.calls++;
    fault_record.last = *fault;
    fault_record.dom = dom;
}
