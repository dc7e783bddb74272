// SPDX-License-Identifier: Apache-2.0
/*
 * The binding's property and child-node tables (dts/bindings/): the single list of what each
 * node of the configuration may carry. The parser checks every node against its table, so a
 * misspelt property is an error rather than silently ignored (a misspelt `access` on a
 * borrower would otherwise leave it read-write), and tests/host/binding_docs.sh compares each
 * table with the property table of the binding's document, so the two cannot drift apart.
 */
#include <hv/string.h>

#include "parser.h"

/* The Devicetree Specification's own properties (2.3.1): dtc adds phandles for labels. */
static const char *const generic_props[] = {"phandle", "linux,phandle", NULL};

/* Order: as in the binding document's property table. */
static const char *const hypervisor_props[] = {
    "compatible",    "#address-cells",   "#size-cells", "console",
    "interrupt-cpu", "firmware-forward", NULL,
};

static const char *const partition_props[] = {
    "compatible",
    "reg",
    "label",
    "#address-cells",
    "#size-cells",
    "cpus",
    "memory",
    "devices",
    "pci-devices",
    "dma-masters",
    "dma-isolation",
    "image",
    "initrd",
    "bootargs",
    "input-focus",
    "bulkhead,image-staged",
    "bulkhead,initrd-staged",
    "bulkhead,image-sha256",
    "bulkhead,initrd-sha256",
    "bulkhead,test-expect",
    NULL,
};

static const char *const shm_props[] = {
    "compatible",   "id",     "role",     "shared-mem", "access",
    "cache-policy", "offset", "doorbell", "pci-slot",   NULL,
};

/* Xen's documented properties (docs/misc/arm/device-tree/booting.txt, "Static Shared Memory"),
 * accepted unchanged (core/config/xen_shm.c). */
static const char *const xen_shm_props[] = {
    "compatible", "xen,shm-id", "xen,shared-mem", "role", NULL,
};

/* Children: the compatibles a node may have as children, and the name stems they go by. */
static const char *const hypervisor_child_compats[] = {"bulkhead,partition-v1", NULL};
static const char *const hypervisor_child_names[] = {"partition", NULL};
static const char *const partition_child_compats[] = {"bulkhead,shared-mem-v1",
                                                      "xen,domain-shared-memory-v1", NULL};
static const char *const partition_child_names[] = {"shared-mem", NULL};
static const char *const none[] = {NULL};

static const struct config_binding bindings[] = {
    {"bulkhead,hypervisor-v1", hypervisor_props, hypervisor_child_compats, hypervisor_child_names},
    {"bulkhead,partition-v1", partition_props, partition_child_compats, partition_child_names},
    {"bulkhead,shared-mem-v1", shm_props, none, none},
    {"xen,domain-shared-memory-v1", xen_shm_props, none, none},
};

const struct config_binding *config_binding(unsigned int i)
{
    return i < ARRAY_SIZE(bindings) ? &bindings[i] : NULL;
}

const struct config_binding *config_binding_of(const char *compatible)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(bindings); i++) {
        if (strcmp(compatible, bindings[i].compatible) == 0) {
            return &bindings[i];
        }
    }
    return NULL;
}

/* Whether node is compatible with one of the NULL-terminated compatibles. */
static bool compatible_with_any(const struct fdt *fdt, int node, const char *const *compats)
{
    for (; *compats != NULL; compats++) {
        if (fdt_is_compatible(fdt, node, *compats)) {
            return true;
        }
    }
    return false;
}

/* Whether s is one of the NULL-terminated names. */
static bool listed(const char *const *names, const char *s, size_t len)
{
    for (; *names != NULL; names++) {
        if ((*names)[0] == s[0] && strncmp(*names, s, len) == 0 && (*names)[len] == '\0') {
            return true;
        }
    }
    return false;
}

#define EDIT_MAX 32 /* longer names than this are compared by their first 32 characters */

/*
 * Levenshtein distance between a[0..la) and b[0..lb) (insertions, deletions and
 * substitutions cost 1), one row at a time. Names are at most EDIT_MAX characters here.
 */
static unsigned int edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
    unsigned int row[EDIT_MAX + 1];

    la = la > EDIT_MAX ? EDIT_MAX : la;
    lb = lb > EDIT_MAX ? EDIT_MAX : lb;
    for (size_t j = 0; j <= lb; j++) {
        row[j] = (unsigned int)j;
    }
    for (size_t i = 1; i <= la; i++) {
        unsigned int diag = row[0];

        row[0] = (unsigned int)i;
        for (size_t j = 1; j <= lb; j++) {
            unsigned int up = row[j];
            unsigned int best = diag + (a[i - 1] == b[j - 1] ? 0u : 1u);

            best = up + 1 < best ? up + 1 : best;
            best = row[j - 1] + 1 < best ? row[j - 1] + 1 : best;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb];
}

const char *config_closest_name(const char *const *names, const char *s, size_t len)
{
    const char *best = NULL;
    unsigned int best_d = ~0u;
    /* A suggestion is worth making for a typo, not for an unrelated word: allow about one
     * edit in three characters, at least two. */
    unsigned int limit = len / 3 > 2 ? (unsigned int)(len / 3) : 2u;

    for (; *names != NULL; names++) {
        unsigned int d = edit_distance(s, len, *names, strlen(*names));

        if (d < best_d) {
            best_d = d;
            best = *names;
        }
    }
    return best_d <= limit ? best : NULL;
}

/* The stem of a node name: before the unit address ("shared-mem" of "shared-mem@0"). */
static size_t name_stem(const char *name)
{
    const char *at = strchr(name, '@');

    return at != NULL ? (size_t)(at - name) : strlen(name);
}

/* A name as messages show it: a blob can hold an empty property or node name. */
static const char *shown(const char *name)
{
    return name[0] != '\0' ? name : "(empty)";
}

void config_check_binding(struct parser *p, int node, const struct config_binding *b)
{
    struct fdt_prop prop;
    int err;

    for (err = fdt_first_prop(p->fdt, node, &prop); err == 0; err = fdt_next_prop(p->fdt, &prop)) {
        size_t len = strlen(prop.name);
        const char *hint;

        if (listed(b->props, prop.name, len) || listed(generic_props, prop.name, len)) {
            continue;
        }
        hint = config_closest_name(b->props, prop.name, len);
        cfg_error(p, node, shown(prop.name),
                  hint != NULL ? "unknown property (did you mean \"%s\"?)"
                               : "unknown property of \"%s\"",
                  hint != NULL ? hint : b->compatible);
    }
    for (int c = fdt_first_child(p->fdt, node); c >= 0; c = fdt_next_sibling(p->fdt, c)) {
        const char *name = fdt_node_name(p->fdt, c);
        size_t len = name_stem(name);
        const char *hint;

        /* A child the binding knows by its compatible is checked when it is parsed; one
         * named like a known child without its compatible gets the parser's own message. */
        if (compatible_with_any(p->fdt, c, b->child_compats) || listed(b->child_names, name, len)) {
            continue;
        }
        hint = config_closest_name(b->child_names, name, len);
        cfg_error(p, node, shown(name),
                  hint != NULL ? "unknown node (did you mean \"%s\"?)"
                               : "unknown node: \"%s\" has no child of this kind",
                  hint != NULL ? hint : b->compatible);
    }
}
