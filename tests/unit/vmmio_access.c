// SPDX-License-Identifier: Apache-2.0
/*
 * vmmio_access() (include/hv/vmmio.h) for the host tests and fuzzers: the arch trap paths
 * inline vmmio_dispatch() with the vCPU's own hint, so no product build needs this wrapper.
 */
#include <hv/partition.h>
#include <hv/vmmio.h>

int vmmio_access(struct vcpu *v, gpa_t addr, unsigned int size, bool is_write, uint64_t *val)
{
    if (v->vmmio_hit == NULL) {
        v->vmmio_hit = &v->part->vmmio.regions[0]; /* a vCPU outside p->vcpus */
    }
    return vmmio_dispatch(v, &v->vmmio_hit, gpa_val(addr), size, is_write, val);
}
