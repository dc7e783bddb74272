// SPDX-License-Identifier: Apache-2.0
/*
 * The binding's value names (dts/bindings/, shared-mem node): one table per enum, read both
 * ways, by the parser (name to value) and by the table printer and the guest-DT writer (value
 * to name), so a name is spelled once.
 */
#include <hv/string.h>

#include "parser.h"

const char *const cache_policy_names[3] = {
    [CACHE_POLICY_WB] = "wb",
    [CACHE_POLICY_WT] = "wt",
    [CACHE_POLICY_NC] = "nc",
};

const char *const shm_access_names[3] = {
    [SHM_ACCESS_RO] = "ro",
    [SHM_ACCESS_RW] = "rw",
};

const char *const shm_role_names[2] = {
    [SHM_ROLE_BORROWER] = "borrower",
    [SHM_ROLE_OWNER] = "owner",
};

int config_name_value(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++) {
        if (names[i] != NULL && strcmp(s, names[i]) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* names[v] when v is in the table, else "?" (a value the parser never produces). */
static const char *name_of(unsigned int v, const char *const *names, size_t n)
{
    return v < n && names[v] != NULL ? names[v] : "?";
}

const char *cache_policy_name(enum cache_policy policy)
{
    return name_of(policy, cache_policy_names, ARRAY_SIZE(cache_policy_names));
}

const char *shm_access_name(enum shm_access access)
{
    return name_of(access, shm_access_names, ARRAY_SIZE(shm_access_names));
}

const char *shm_role_name(enum shm_role role)
{
    return name_of(role, shm_role_names, ARRAY_SIZE(shm_role_names));
}
