// SPDX-License-Identifier: Apache-2.0
/*
 * Partition configuration, Xen dom0less static shared memory accepted unchanged: a
 * "xen,domain-shared-memory-v1" child of a partition (Xen docs/misc/arm/device-tree/
 * booting.txt, "Static Shared Memory") becomes a shared-memory entry like Bulkhead's own,
 * with Xen's semantics and defaults:
 *   - "xen,shm-id": the region's id, a string of at most 15 characters (Xen's
 *     MAX_SHM_ID_LENGTH is 16 with the NUL);
 *   - "xen,shared-mem" = <host guest size> in the partition's cells (2 and 2 here); Xen lets
 *     the host address be left out for it to allocate, which a statically carved system
 *     cannot do, so Bulkhead refuses it;
 *   - "role": "owner" or "borrower" (default); every node of one id names the identical host
 *     range; a region no partition owns belongs to the hypervisor (Xen's DOMID_IO);
 *   - borrowers are always mapped read-write, the memory is always normal write-back, and a
 *     borrower's offset into the region is always 0.
 * The guest sees the node Xen would generate for it (core/partition/guest_dtb.c).
 * Error policy: parser.h.
 */
#include <hv/string.h>

#include "parser.h"

/* Xen's MAX_SHM_ID_LENGTH, NUL included. */
#define XEN_SHM_ID_MAX 16

/* "xen,shared-mem" = <host guest size>, 64-bit each. */
static void parse_xen_range(struct parser *p, unsigned int idx, int node)
{
    struct fdt_prop prop;

    if (fdt_prop(p->fdt, node, "xen,shared-mem", &prop) != 0) {
        cfg_error(p, node, "xen,shared-mem", "missing: <host guest size>");
    } else if (prop.len == 2 * U64_BYTES) {
        cfg_error(p, node, "xen,shared-mem",
                  "has no host address: Bulkhead carves memory statically at build time and "
                  "does not allocate shared memory; give <host guest size>");
    } else {
        shm_parse_range(p, idx, node, "xen,shared-mem", true, "<host guest size>");
        return;
    }
    p->shm_bad[idx] = true;
}

void config_parse_xen_shm(struct parser *p, unsigned int idx, int node, uint16_t first)
{
    struct hv_config_shm *shm = &p->cfg->shm[idx];
    const char *id;

    config_check_binding(p, node, config_binding_of(XEN_SHM_COMPAT));
    shm->xen = true;
    /* Xen's fixed attributes: read-write for everyone, normal write-back, offset 0. */
    shm->access = SHM_ACCESS_RW;
    shm->cache_policy = CACHE_POLICY_WB;
    p->shm_access_set[idx] = true;
    /* "xen,shm-id": 1..15 characters, at most once per partition. */
    if (!req_string(p, node, "xen,shm-id", &id)) {
        p->shm_bad[idx] = true;
    } else if (strnlen(id, XEN_SHM_ID_MAX) >= XEN_SHM_ID_MAX) {
        cfg_error(p, node, "xen,shm-id", "\"%.40s\" is longer than %d characters (Xen's limit)", id,
                  XEN_SHM_ID_MAX - 1);
        p->shm_bad[idx] = true;
    } else {
        shm_set_id(p, idx, node, "xen,shm-id", id, first);
    }
    shm_parse_role(p, idx, node);
    parse_xen_range(p, idx, node);
}

/*
 * The entries of one Xen id, first at index head: one owner at most, the identical host range
 * everywhere (Xen: "If the SHM ID matches with an existing region, the address range of the
 * region shall also exactly match"), owned by the hypervisor when no partition owns it.
 */
static void resolve_xen_id(struct parser *p, unsigned int head)
{
    struct hv_config *cfg = p->cfg;
    const char *id = cfg->shm[head].id;
    char buf[FDT_MAX_PATH];
    int owner = -1, ref = -1;
    bool bad = false;

    for (unsigned int j = 0; j < cfg->nr_shm; j++) {
        struct hv_config_shm *e = &cfg->shm[j];

        if (strcmp(e->id, id) != 0) {
            continue;
        }
        if (!e->xen) {
            cfg_error(p, p->shm_node[head], "xen,shm-id",
                      "\"%s\" is also the id of %s, a bulkhead,shared-mem-v1 node: a region is "
                      "described by one binding",
                      id, node_path(p, p->shm_node[j], buf, sizeof(buf)));
            bad = true;
            continue;
        }
        bad |= p->shm_bad[j];
        if (e->role == SHM_ROLE_OWNER) {
            if (owner >= 0) {
                cfg_error(p, p->shm_node[j], "role", "\"%s\" has more than one owner (also %s)", id,
                          node_path(p, p->shm_node[owner], buf, sizeof(buf)));
                bad = true;
                continue;
            }
            owner = (int)j;
        }
        if (p->shm_bad[j]) {
            continue;
        }
        if (ref < 0) {
            ref = (int)j;
        } else if (hpa_val(e->host) != hpa_val(cfg->shm[ref].host) ||
                   e->size != cfg->shm[ref].size) {
            cfg_error(p, p->shm_node[j], "xen,shared-mem",
                      "host 0x%llx size 0x%llx differs from host 0x%llx size 0x%llx of %s: "
                      "every node of \"%s\" must name the identical range",
                      (ull)hpa_val(e->host), (ull)e->size, (ull)hpa_val(cfg->shm[ref].host),
                      (ull)cfg->shm[ref].size, node_path(p, p->shm_node[ref], buf, sizeof(buf)),
                      id);
            p->shm_bad[j] = true;
            bad = true;
        }
    }
    /* The owner, or (none) the first entry on the hypervisor's behalf, heads the region. A
     * broken one is kept out of the host-range checks: one mistake, one message. */
    head = owner >= 0 ? (unsigned int)owner : head;
    for (unsigned int j = 0; j < cfg->nr_shm; j++) {
        if (bad) {
            p->shm_bad[j] |= shm_same_id(cfg, head, j);
        } else if (shm_same_id(cfg, head, j)) {
            cfg->shm[j].owner = (uint16_t)head;
            cfg->shm[j].hv_owned = owner < 0;
            cfg->shm[head].users++;
        }
    }
}

void config_resolve_xen_shm(struct parser *p)
{
    for (unsigned int i = 0; i < p->cfg->nr_shm; i++) {
        if (p->cfg->shm[i].xen && shm_id_head(p->cfg, i)) {
            resolve_xen_id(p, i);
        }
    }
}
